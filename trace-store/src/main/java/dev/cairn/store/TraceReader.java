package dev.cairn.store;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import io.smallrye.mutiny.Uni;
import java.util.List;

/** Reads traces back from the store. Non-blocking; every query is parameterised. */
public interface TraceReader {

  /** All spans of the trace, ordered by start time; empty when no span of it is stored. */
  Uni<List<Span>> findTrace(TraceId traceId);

  /** Trace summaries matching the query, newest first, at most {@code query.limit()} of them. */
  Uni<TracePage> search(TraceQuery query);

  /** Service names seen, sorted. */
  Uni<List<String>> services();

  /** Operations (span name and kind) seen for a service, sorted by name then kind. */
  Uni<List<Operation>> operations(String service);
}
