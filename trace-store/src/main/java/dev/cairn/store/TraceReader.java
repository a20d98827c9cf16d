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

  /** Trace summaries matching the query, newest first, at most {@code query.limit()} of them. */
  Uni<TracePage> search(TraceQuery query);

  /** Service names seen, sorted. */
  Uni<List<String>> services();

  /** Operations (span name and kind) seen for a service, sorted by name then kind. */
  Uni<List<Operation>> operations(String service);
}
