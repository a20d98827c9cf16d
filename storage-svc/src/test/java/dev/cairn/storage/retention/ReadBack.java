package dev.cairn.storage.retention;

import dev.cairn.model.TraceId;
import dev.cairn.store.TraceSpans;
import dev.cairn.store.pg.PgTraceReader;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Traces read back by id, to compare what the store answers before and after a job. */
final class ReadBack {

  private ReadBack() {}

  static Map<TraceId, TraceSpans> traces(PgTraceReader reader, List<TraceId> traces) {
    Map<TraceId, TraceSpans> read = new LinkedHashMap<>();
    for (TraceId trace : traces) {
      read.put(trace, reader.findTrace(trace, 1000).await().atMost(Duration.ofSeconds(30)));
    }
    return read;
  }
}
