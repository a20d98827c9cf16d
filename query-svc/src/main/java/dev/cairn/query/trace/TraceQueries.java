package dev.cairn.query.trace;

import dev.cairn.model.TraceId;
import dev.cairn.query.federation.FederatedAnswer;
import dev.cairn.query.federation.Federation;
import dev.cairn.store.EdgeTotal;
import dev.cairn.store.MetricsPoint;
import dev.cairn.store.MetricsQuery;
import dev.cairn.store.MetricsReader;
import dev.cairn.store.Operation;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceSpans;
import io.smallrye.mutiny.Uni;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one query service under every surface (REST, GraphQL, the Jaeger API, the web UI): each asks
 * here, so a trace reads the same everywhere. With peer regions configured, trace reads, search and
 * the service lists are federated ({@link Federation}): answers name the regions that did not
 * answer. Non-blocking; failures are the local store's ({@code QueryTimeoutException}, {@code
 * StoreUnavailableException}).
 */
public final class TraceQueries {

  private final Federation federation;
  private final MetricsReader metrics;
  private final TraceAnalyzer analyzer;
  private final int maxSpans;
  private final TraceQueries localOnly;

  /**
   * @param federation this region's store and its peers (possibly none)
   * @param maxSpans spans read for one trace at most ({@code cairn.query.trace.max-spans})
   */
  public TraceQueries(
      Federation federation, MetricsReader metrics, TraceAnalyzer analyzer, int maxSpans) {
    if (maxSpans < 1) {
      throw new IllegalArgumentException(
          "cairn.query.trace.max-spans must be at least 1, got " + maxSpans);
    }
    this.federation = federation;
    this.metrics = metrics;
    this.analyzer = analyzer;
    this.maxSpans = maxSpans;
    Federation local = federation.withoutPeers();
    this.localOnly =
        local == federation ? this : new TraceQueries(local, metrics, analyzer, maxSpans);
  }

  /**
   * The same queries answered from this region's store alone: what a peer region's request gets, so
   * that a federated read never fans out again.
   */
  public TraceQueries localOnly() {
    return localOnly;
  }

  /**
   * The stored spans, as stored (for OTLP answers); {@link TraceSpans#ABSENT} when none is. Emitted
   * on a worker thread.
   */
  public Uni<FederatedAnswer<TraceSpans>> spans(TraceId traceId) {
    return federation.findTrace(traceId, maxSpans);
  }

  /**
   * Likewise, at most {@code cap} spans (the earliest), each region reading no more: a search that
   * answers with whole traces shares a budget between them.
   */
  public Uni<FederatedAnswer<TraceSpans>> spans(TraceId traceId, int cap) {
    return federation.findTrace(traceId, capped(cap));
  }

  /**
   * Several traces, as stored, in the order of {@code traceIds} ({@link TraceSpans#ABSENT} for one
   * not stored), at most {@code cap} spans each: one read per region, however many traces.
   */
  public Uni<FederatedAnswer<List<TraceSpans>>> spans(List<TraceId> traceIds, int cap) {
    if (traceIds.isEmpty()) {
      return Uni.createFrom().item(FederatedAnswer.complete(List.of()));
    }
    return federation.findTraces(traceIds, capped(cap));
  }

  /** A caller's cap within [1, {@code cairn.query.trace.max-spans}]. */
  private int capped(int cap) {
    return Math.max(1, Math.min(cap, maxSpans));
  }

  /** The analysed trace with clock skew adjusted; empty when no span of it is stored. */
  public Uni<FederatedAnswer<Optional<TraceView>>> trace(TraceId traceId) {
    return trace(traceId, true);
  }

  /**
   * The analysed trace (carrying the missing regions too); empty when no span of it is stored in
   * the regions that answered.
   *
   * @param adjustClockSkew false for the raw view (Jaeger's {@code raw=true}): adjusted times equal
   *     the stored ones, the critical path is computed on them
   */
  public Uni<FederatedAnswer<Optional<TraceView>>> trace(TraceId traceId, boolean adjustClockSkew) {
    return spans(traceId)
        .map(
            found ->
                new FederatedAnswer<>(
                    found.answer().isEmpty()
                        ? Optional.empty()
                        : Optional.of(
                            analyzer
                                .analyze(traceId, found.answer(), adjustClockSkew)
                                .withMissingRegions(found.missingRegions())),
                    found.missingRegions()));
  }

  /** Trace summaries matching the query, newest first. */
  public Uni<SearchResult> search(TraceQuery query) {
    return federation
        .search(query)
        .map(found -> new SearchResult(found.answer(), found.missingRegions()));
  }

  /** Service names seen in the regions that answered, sorted. */
  public Uni<FederatedAnswer<List<String>>> services() {
    return federation.services();
  }

  /** Operations seen for a service in the regions that answered, sorted by name then kind. */
  public Uni<FederatedAnswer<List<Operation>>> operations(String service) {
    return federation.operations(service);
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
