package dev.cairn.store;

import dev.cairn.model.TraceId;
import io.smallrye.mutiny.Uni;
import java.util.List;

/**
 * Reads traces back from the store. Non-blocking; every query is parameterised. A read the database
 * cancels for running too long fails with {@link QueryTimeoutException}; one that cannot reach the
 * database with {@link StoreUnavailableException}.
 */
public interface TraceReader {

  /**
   * The earliest {@code maxSpans} spans of the trace, ordered by start time, and whether it has
   * more; {@link TraceSpans#ABSENT} when no span of it is stored. The store reads no more than the
   * cap (plus one, to tell whether more exist), so a huge trace costs a bounded read.
   *
   * @param maxSpans at least 1
   */
  Uni<TraceSpans> findTrace(TraceId traceId, int maxSpans);

  /**
   * The traces of {@code traceIds}, each as {@link #findTrace} answers it, in the same order
   * ({@link TraceSpans#ABSENT} for one not stored). A store that can reads them all in one round
   * trip, so the traces of a search page cost one read, not one each; this default reads them a few
   * at a time.
   *
   * @param maxSpansEach at least 1, the cap of each trace
   */
  default Uni<List<TraceSpans>> findTraces(List<TraceId> traceIds, int maxSpansEach) {
    if (traceIds.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    List<Uni<TraceSpans>> reads = traceIds.stream().map(id -> findTrace(id, maxSpansEach)).toList();
    return Uni.join().all(reads).usingConcurrencyOf(DEFAULT_READ_CONCURRENCY).andFailFast();
  }

  /** Traces {@link #findTraces}'s default reads at the same time. */
  int DEFAULT_READ_CONCURRENCY = 4;

  /** Trace summaries matching the query, newest first, at most {@code query.limit()} of them. */
  Uni<TracePage> search(TraceQuery query);

  /** Service names seen, sorted. */
  Uni<List<String>> services();

  /** Operations (span name and kind) seen for a service, sorted by name then kind. */
  Uni<List<Operation>> operations(String service);
}
