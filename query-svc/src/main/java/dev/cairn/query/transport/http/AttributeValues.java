package dev.cairn.query.transport.http;

import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Attributes as plain JSON values for the trace view: strings, booleans, numbers (ints exact as
 * JSON numbers; a JavaScript reader loses precision beyond 2^53), bytes as base64 text, arrays and
 * nested objects, an empty value as null.
 */
final class AttributeValues {

  private AttributeValues() {}

  static Map<String, Object> of(List<Attribute> attributes) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Attribute attribute : attributes) {
      // OTLP keys are meant to be unique; the first wins, as Attribute.find does.
      values.putIfAbsent(attribute.key(), of(attribute.value()));
    }
    return values;
  }

  static Object of(AttributeValue value) {
    if (value instanceof AttributeValue.StringValue s) {
      return s.value();
    }
    if (value instanceof AttributeValue.BoolValue b) {
      return b.value();
    }
    if (value instanceof AttributeValue.IntValue i) {
      return i.value();
    }
    if (value instanceof AttributeValue.DoubleValue d) {
      return jsonDouble(d.value());
    }
    if (value instanceof AttributeValue.BytesValue y) {
      return Base64.getEncoder().encodeToString(y.value());
    }
    if (value instanceof AttributeValue.ArrayValue a) {
      List<Object> items = new ArrayList<>(a.values().size());
      for (AttributeValue item : a.values()) {
        items.add(of(item));
      }
      return items;
    }
    if (value instanceof AttributeValue.KeyValueList kv) {
      return of(kv.values());
    }
    return null; // AttributeValue.Empty
  }

  /** JSON has no NaN or infinities: those travel as text, as OTLP JSON writes them. */
  private static Object jsonDouble(double value) {
    return Double.isFinite(value) ? value : Double.toString(value);
  }
}
