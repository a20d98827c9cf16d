package dev.cairn.query.transport.graphql;

import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.query.metrics.MetricFigures;
import dev.cairn.store.EdgeTotal;
import dev.cairn.store.MetricsPoint;
import dev.cairn.store.MetricsQuery;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

/**
 * The span-metric answers of GraphQL, field for field REST's {@code ServiceMetricsResponse} and
 * {@code DependenciesResponse}. Counts are weighted by adjusted count, so they stay right under
 * head sampling.
 */
final class GraphQLMetrics {

  private GraphQLMetrics() {}

  /** RED figures of a service per step. */
  @Name("ServiceMetrics")
  public record ServiceMetrics(
      @NonNull String service,
      @Description("The operation filter, if any") String operation,
      @Description("The span kind filter, if any") String spanKind,
      @NonNull Instant start,
      @NonNull Instant end,
      long stepSeconds,
      @NonNull @Description("One point per step, steps without spans as zeros")
          List<@NonNull Point> points) {

    static ServiceMetrics of(MetricsQuery query, List<MetricsPoint> points) {
      long step = query.step().toSeconds();
      return new ServiceMetrics(
          query.service(),
          query.operation().orElse(null),
          query.kind().map(Enum::name).orElse(null),
          query.start(),
          query.end(),
          step,
          points.stream().map(p -> Point.of(p, step)).toList());
    }
  }

  /** One step. */
  @Name("MetricsPoint")
  public record Point(
      @NonNull Instant start,
      @Description("Requests (spans) in the step") double requests,
      @Description("Requests with status ERROR") double errors,
      @Description("Requests per second") double requestRate,
      @Description("Errors per request (0 to 1); null without requests") Double errorRate,
      @Description("Spans seen, unweighted: what the figures rest on") long spanCount,
      @NonNull Latency latency) {

    static Point of(MetricsPoint point, long stepSeconds) {
      double requests = point.aggregate().count();
      return new Point(
          point.start(),
          requests,
          point.errors(),
          MetricFigures.requestRate(point, stepSeconds),
          MetricFigures.errorRate(point),
          point.aggregate().spans(),
          Latency.of(point.aggregate()));
    }
  }

  /** Percentiles in milliseconds; null without data. */
  @Name("Latency")
  public record Latency(Double p50, Double p95, Double p99) {

    static Latency of(SeriesAggregate aggregate) {
      return new Latency(
          MetricFigures.latencyMillis(aggregate, 0.5),
          MetricFigures.latencyMillis(aggregate, 0.95),
          MetricFigures.latencyMillis(aggregate, 0.99));
    }
  }

  /** The service graph of a window. */
  @Name("Dependencies")
  public record Dependencies(
      @NonNull @Description("Window start (inclusive), rounded down to the minute") Instant start,
      @NonNull @Description("Window end (exclusive), rounded up to the minute") Instant end,
      @NonNull List<@NonNull Edge> edges,
      @Description("true when there were more edges than the answer holds") boolean truncated) {}

  /** Calls from {@code parent} to {@code child}. */
  @Name("DependencyEdge")
  public record Edge(
      @NonNull @Description("The calling service") String parent,
      @NonNull @Description("The called service, or the peer a client span names") String child,
      @NonNull @Description("request (client/server), messaging (producer/consumer), virtual")
          String type,
      double callCount,
      double errorCount,
      @Description("Client spans seen, unweighted") long spanCount,
      @NonNull Latency latency) {

    static Edge of(EdgeTotal edge) {
      return new Edge(
          edge.client(),
          edge.server(),
          edge.type().name().toLowerCase(Locale.ROOT),
          edge.aggregate().count(),
          edge.errors(),
          edge.aggregate().spans(),
          Latency.of(edge.aggregate()));
    }
  }
}
