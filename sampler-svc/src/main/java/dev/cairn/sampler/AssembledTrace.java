package dev.cairn.sampler;

import dev.cairn.model.Resource;
import dev.cairn.model.TraceId;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * One trace as the sampler assembled it: every part that arrived for it, parsed once, and the facts
 * the policies ask about most, gathered in one pass. The trace's "root" is its span without a
 * parent, or, when that never arrived (a trace decided at its maximum age, or early), its earliest
 * span: the root service and operation are what per-service and per-operation rules match.
 */
public final class AssembledTrace {

  /** Visits spans with the service of their resource; returning true stops the walk. */
  @FunctionalInterface
  public interface SpanVisitor {
    boolean visit(String service, ResourceSpans resource, Span span);
  }

  private final TraceId traceId;
  private final List<TracesData> parts;
  private int spanCount;
  private long earliestStart = Long.MAX_VALUE;
  private long latestEnd = Long.MIN_VALUE;
  private boolean hasError;
  private boolean rootSeen;
  private String rootService = "";
  private String rootOperation = "";
  private String traceState;

  private AssembledTrace(TraceId traceId, List<TracesData> parts) {
    this.traceId = traceId;
    this.parts = List.copyOf(parts);
    String firstState = null;
    for (TracesData part : this.parts) {
      for (ResourceSpans rs : part.getResourceSpansList()) {
        String service = serviceName(rs);
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            spanCount++;
            hasError |= span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
            boolean isRoot = span.getParentSpanId().isEmpty();
            if (isRoot && !rootSeen || !rootSeen && span.getStartTimeUnixNano() < earliestStart) {
              rootService = service;
              rootOperation = span.getName();
              rootSeen = isRoot;
            }
            earliestStart = Math.min(earliestStart, span.getStartTimeUnixNano());
            latestEnd = Math.max(latestEnd, span.getEndTimeUnixNano());
            String state = span.getTraceState();
            if (traceState == null && state.contains("ot=")) {
              traceState = state;
            }
            if (firstState == null) {
              firstState = state;
            }
          }
        }
      }
    }
    if (traceState == null) {
      traceState = firstState == null ? "" : firstState;
    }
  }

  public static AssembledTrace of(TraceId traceId, List<TracesData> parts) {
    return new AssembledTrace(traceId, parts);
  }

  public TraceId traceId() {
    return traceId;
  }

  /** Every part, in arrival order. */
  public List<TracesData> parts() {
    return parts;
  }

  public int spanCount() {
    return spanCount;
  }

  /** True when a span has status ERROR. */
  public boolean hasError() {
    return hasError;
  }

  /** True when the span without a parent arrived. */
  public boolean rootSeen() {
    return rootSeen;
  }

  /** Service of the root (or, without one, of the earliest span). */
  public String rootService() {
    return rootService;
  }

  /** Name of the root span (or, without one, of the earliest span). */
  public String rootOperation() {
    return rootOperation;
  }

  /** From the earliest start to the latest end of its spans; 0 without spans. */
  public long durationNanos() {
    return spanCount == 0 ? 0 : Math.max(0, latestEnd - earliestStart);
  }

  /**
   * The tracestate that stands for the trace: the first carrying an OpenTelemetry ({@code ot=})
   * entry, else the first span's. Spans inherit tracestate from their root, so in practice all
   * carry the same {@code rv} and {@code th}.
   */
  public String traceState() {
    return traceState;
  }

  /** Walks the spans in arrival order until the visitor returns true; returns whether it did. */
  public boolean anySpan(SpanVisitor visitor) {
    for (TracesData part : parts) {
      for (ResourceSpans rs : part.getResourceSpansList()) {
        String service = serviceName(rs);
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span span : ss.getSpansList()) {
            if (visitor.visit(service, rs, span)) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  /** True when a span, or the resource of one, has an attribute the predicate accepts. */
  public boolean anyAttribute(BiPredicate<String, AnyValue> wanted) {
    return anySpan(
        (service, resource, span) ->
            any(span.getAttributesList(), wanted)
                || any(resource.getResource().getAttributesList(), wanted));
  }

  private static boolean any(List<KeyValue> attributes, BiPredicate<String, AnyValue> wanted) {
    for (KeyValue attribute : attributes) {
      if (wanted.test(attribute.getKey(), attribute.getValue())) {
        return true;
      }
    }
    return false;
  }

  private static String serviceName(ResourceSpans rs) {
    for (KeyValue attribute : rs.getResource().getAttributesList()) {
      if (attribute.getKey().equals(Resource.SERVICE_NAME)) {
        return attribute.getValue().getStringValue();
      }
    }
    return "";
  }
}
