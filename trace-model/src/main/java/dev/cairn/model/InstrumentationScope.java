package dev.cairn.model;

import java.util.List;

/** The instrumentation library that recorded spans. */
public record InstrumentationScope(
    String name,
    String version,
    List<Attribute> attributes,
    int droppedAttributesCount,
    String schemaUrl) {

  public static final InstrumentationScope EMPTY =
      new InstrumentationScope("", "", List.of(), 0, "");

  public InstrumentationScope {
    attributes = List.copyOf(attributes);
  }
}
