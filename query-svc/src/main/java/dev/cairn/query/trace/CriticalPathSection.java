package dev.cairn.query.trace;

import dev.cairn.model.SpanId;

/**
 * A stretch of time during which {@code spanId} itself (not one of its children) determined the
 * trace's end-to-end latency; on the adjusted time axis, {@code startTimeUnixNano <
 * endTimeUnixNano}.
 */
public record CriticalPathSection(SpanId spanId, long startTimeUnixNano, long endTimeUnixNano) {

  public long durationNanos() {
    return endTimeUnixNano - startTimeUnixNano;
  }
}
