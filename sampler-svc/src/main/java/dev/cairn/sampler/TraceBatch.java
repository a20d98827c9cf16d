package dev.cairn.sampler;

import dev.cairn.model.TraceId;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;

/**
 * Spans of one trace as they arrived in one record (for the probabilistic policy; tail policies
 * will see a whole assembled trace of the same shape).
 */
public record TraceBatch(TraceId traceId, TracesData data, int spanCount) {

  public static TraceBatch of(TraceId traceId, TracesData data) {
    int count = 0;
    for (ResourceSpans rs : data.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        count += ss.getSpansCount();
      }
    }
    return new TraceBatch(traceId, data, count);
  }

  /**
   * The tracestate that stands for the trace: the first one carrying an OpenTelemetry ({@code ot=})
   * entry, else the first span's, else empty. Spans of a trace inherit their tracestate from the
   * root, so in practice they all carry the same {@code rv} and {@code th}.
   */
  public String traceState() {
    String first = null;
    for (ResourceSpans rs : data.getResourceSpansList()) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        for (Span span : ss.getSpansList()) {
          String state = span.getTraceState();
          if (state.contains("ot=")) {
            return state;
          }
          if (first == null) {
            first = state;
          }
        }
      }
    }
    return first == null ? "" : first;
  }
}
