package dev.cairn.query.trace;

import dev.cairn.model.TraceId;
import dev.cairn.store.EdgeTotal;
import dev.cairn.store.MetricsPoint;
import dev.cairn.store.MetricsQuery;
import dev.cairn.store.MetricsReader;
import dev.cairn.store.Operation;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceReader;
import dev.cairn.store.TraceSpans;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one query service under every surface (REST, GraphQL, the Jaeger API, the web UI): each asks
 * here, so a trace reads the same everywhere. Non-blocking; failures are the store's ({@code
 * QueryTimeoutException}, {@code StoreUnavailableException}).
 */
public final class TraceQueries {

  private final TraceReader reader;
  private final MetricsReader metrics;
  private final TraceAnalyzer analyzer;
  private final int maxSpans;

  /**
   * @param maxSpans spans read for one trace at most ({@code cairn.query.trace.max-spans})
   */
  public TraceQueries(
      TraceReader reader, MetricsReader metrics, TraceAnalyzer analyzer, int maxSpans) {
    if (maxSpans < 1) {
      throw new IllegalArgumentException(
          "cairn.query.trace.max-spans must be at least 1, got " + maxSpans);
    }
    this.reader = reader;
    this.metrics = metrics;
    this.analyzer = analyzer;
    this.maxSpans = maxSpans;
  }

  /**
   * The stored spans, as stored (for OTLP answers); {@link TraceSpans#ABSENT} when none is. Emitted
   * on a worker thread.
   */
  public Uni<TraceSpans> spans(TraceId traceId) {
    return reader.findTrace(traceId, maxSpans);
  }

  /** The analysed trace with clock skew adjusted; empty when no span of it is stored. */
  public Uni<Optional<TraceView>> trace(TraceId traceId) {
    return trace(traceId, true);
  }

  /**
   * The analysed trace; empty when no span of it is stored.
   *
   * @param adjustClockSkew false for the raw view (Jaeger's {@code raw=true}): adjusted times equal
   *     the stored ones, the critical path is computed on them
   */
  public Uni<Optional<TraceView>> trace(TraceId traceId, boolean adjustClockSkew) {
    return spans(traceId)
        .map(
            found ->
                found.isEmpty()
                    ? Optional.empty()
                    : Optional.of(analyzer.analyze(traceId, found, adjustClockSkew)));
  }

  /** Trace summaries matching the query, newest first. */
  public Uni<SearchResult> search(TraceQuery query) {
    return reader.search(query).map(SearchResult::local);
  }

  /** Service names seen, sorted. */
  public Uni<List<String>> services() {
    return reader.services();
  }

  /** Operations seen for a service, sorted by name then kind. */
  public Uni<List<Operation>> operations(String service) {
    return reader.operations(service);
  }

  /** Service-graph edges of [start, end), at most {@code limit}. */
  public Uni<List<EdgeTotal>> dependencies(Instant start, Instant end, int limit) {
    return metrics.dependencies(start, end, limit);
  }

  /** Span metrics of a service, one point per step that has data. */
  public Uni<List<MetricsPoint>> serviceMetrics(MetricsQuery query) {
    return metrics.serviceMetrics(query);
  }
}
