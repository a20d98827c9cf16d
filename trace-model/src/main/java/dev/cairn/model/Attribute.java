package dev.cairn.model;

import java.util.List;
import java.util.Optional;

/** A key and its typed value. */
public record Attribute(String key, AttributeValue value) {

  public static Attribute of(String key, String value) {
    return new Attribute(key, new AttributeValue.StringValue(value));
  }

  public static Attribute of(String key, long value) {
    return new Attribute(key, new AttributeValue.IntValue(value));
  }

  /** The first attribute of that key, as OTLP keys are meant to be unique. */
  public static Optional<AttributeValue> find(List<Attribute> attributes, String key) {
    for (Attribute attribute : attributes) {
      if (attribute.key().equals(key)) {
        return Optional.of(attribute.value());
      }
    }
    return Optional.empty();
  }
}
