package dev.cairn.model;

import java.util.List;
import java.util.Optional;

/**
 * One span with its resource and scope, the unit every Cairn stage passes on. Carries exactly what
 * OTLP carries, so a span written and read back is equal to the one received.
 *
 * @param parentSpanId empty for a root span
 */
public record Span(
    TraceId traceId,
    SpanId spanId,
    Optional<SpanId> parentSpanId,
    String traceState,
    int flags,
    String name,
    SpanKind kind,
    long startTimeUnixNano,
    long endTimeUnixNano,
    List<Attribute> attributes,
    int droppedAttributesCount,
    List<SpanEvent> events,
    int droppedEventsCount,
    List<SpanLink> links,
    int droppedLinksCount,
    SpanStatus status,
    Resource resource,
    InstrumentationScope scope) {

  public Span {
    attributes = List.copyOf(attributes);
    events = List.copyOf(events);
    links = List.copyOf(links);
  }

  public long durationNanos() {
    return endTimeUnixNano - startTimeUnixNano;
  }

  public boolean isRoot() {
    return parentSpanId.isEmpty();
  }

  public String serviceName() {
    return resource.serviceName();
  }
}
