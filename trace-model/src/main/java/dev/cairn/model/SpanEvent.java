package dev.cairn.model;

import java.util.List;

/** A timestamped annotation on a span (an exception, a log line). */
public record SpanEvent(
    long timeUnixNano, String name, List<Attribute> attributes, int droppedAttributesCount) {

  public SpanEvent {
    attributes = List.copyOf(attributes);
  }
}
