package dev.cairn.query.transport.http;

import dev.cairn.query.metrics.MetricFigures;
import dev.cairn.store.MetricsPoint;
import dev.cairn.store.MetricsQuery;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** {@code GET /api/v1/services/{service}/metrics}: RED figures per step. */
public record ServiceMetricsResponse(
    String service,
    @Schema(description = "The operation filter, if any") String operation,
    @Schema(description = "The span kind filter, if any") String spanKind,
    Instant start,
    Instant end,
    long stepSeconds,
    @Schema(description = "One point per step, steps without spans as zeros") List<Point> points) {

  static ServiceMetricsResponse of(MetricsQuery query, List<MetricsPoint> points) {
    long step = query.step().toSeconds();
    return new ServiceMetricsResponse(
        query.service(),
        query.operation().orElse(null),
        query.kind().map(Enum::name).orElse(null),
        query.start(),
        query.end(),
        step,
        points.stream().map(p -> Point.of(p, step)).toList());
  }

  /** One step. Counts are weighted by the spans' adjusted counts. */
  @Schema(name = "MetricsPoint")
  public record Point(
      Instant start,
      @Schema(description = "Requests (spans) in the step") double requests,
      @Schema(description = "Requests with status ERROR") double errors,
      @Schema(description = "Requests per second") double requestRate,
      @Schema(description = "Errors per request (0 to 1); null without requests") Double errorRate,
      @Schema(description = "Spans seen, unweighted: what the figures rest on") long spanCount,
      LatencyResponse latency) {

    static Point of(MetricsPoint point, long stepSeconds) {
      double requests = point.aggregate().count();
      return new Point(
          point.start(),
          requests,
          point.errors(),
          MetricFigures.requestRate(point, stepSeconds),
          MetricFigures.errorRate(point),
          point.aggregate().spans(),
          LatencyResponse.of(point.aggregate()));
    }
  }
}
