package dev.cairn.sampler.spanmetrics;

import com.google.protobuf.ByteString;
import dev.cairn.model.Resource;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.sampling.ConsistentSampler;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the spans of a trace's parts into {@link ObservedSpan}s, keyed by span id: a span that
 * arrived twice (an at-least-once hop upstream) counts once. Names are cut to {@code maxName}.
 */
final class TraceSpanReader {

  private final int maxName;
  private String lastTraceState = "";
  private double lastWeight = 1.0;

  TraceSpanReader(int maxName) {
    this.maxName = maxName;
  }

  Map<Long, ObservedSpan> read(List<TracesData> parts) {
    Map<Long, ObservedSpan> spans = new LinkedHashMap<>();
    for (TracesData part : parts) {
      for (ResourceSpans rs : part.getResourceSpansList()) {
        String service = cut(serviceName(rs));
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            long id = idOf(span.getSpanId());
            if (id != 0 && !spans.containsKey(id)) {
              spans.put(id, observe(id, service, span));
            }
          }
        }
      }
    }
    return spans;
  }

  private ObservedSpan observe(long id, String service, Span span) {
    return new ObservedSpan(
        id,
        idOf(span.getParentSpanId()),
        service,
        cut(span.getName()),
        SpanKind.forNumber(span.getKindValue()),
        StatusCode.forNumber(span.getStatus().getCodeValue()),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano() - span.getStartTimeUnixNano(),
        weight(span.getTraceState()),
        span);
  }

  /** Spans of a trace nearly always share one tracestate: parse it once. */
  private double weight(String traceState) {
    if (!traceState.equals(lastTraceState)) {
      lastTraceState = traceState;
      lastWeight = ConsistentSampler.adjustedCount(traceState);
    }
    return lastWeight;
  }

  private String cut(String name) {
    return name.length() <= maxName ? name : name.substring(0, maxName);
  }

  private static String serviceName(ResourceSpans rs) {
    for (KeyValue attribute : rs.getResource().getAttributesList()) {
      if (attribute.getKey().equals(Resource.SERVICE_NAME)
          && attribute.getValue().hasStringValue()
          && !attribute.getValue().getStringValue().isEmpty()) {
        return attribute.getValue().getStringValue();
      }
    }
    return Resource.UNKNOWN_SERVICE;
  }

  /** An 8-byte id as a long; 0 (invalid, or absent) for anything else. */
  static long idOf(ByteString bytes) {
    if (bytes.size() != 8) {
      return 0;
    }
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (bytes.byteAt(i) & 0xff);
    }
    return value;
  }
}
