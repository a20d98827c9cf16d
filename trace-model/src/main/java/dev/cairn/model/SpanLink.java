package dev.cairn.model;

import java.util.List;

/** A causal link to a span of this or another trace (batch consumers, fan-in). */
public record SpanLink(
    TraceId traceId,
    SpanId spanId,
    String traceState,
    List<Attribute> attributes,
    int droppedAttributesCount,
    int flags) {

  public SpanLink {
    attributes = List.copyOf(attributes);
  }
}
