package dev.cairn.store;

import dev.cairn.model.TraceId;
import java.util.List;

/**
 * One row per trace, as search returns it. The root is the span without a parent (or the earliest
 * span while the root has not arrived); services are sorted.
 */
public record TraceSummary(
    TraceId traceId,
    long startTimeUnixNano,
    long endTimeUnixNano,
    String rootServiceName,
    String rootSpanName,
    int spanCount,
    int errorCount,
    List<String> services) {

  public TraceSummary {
    services = List.copyOf(services);
  }

  public long durationNanos() {
    return endTimeUnixNano - startTimeUnixNano;
  }
}
