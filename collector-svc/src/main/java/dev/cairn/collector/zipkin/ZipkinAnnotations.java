package dev.cairn.collector.zipkin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.cairn.collector.zipkin.ZipkinSpan.Annotation;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Annotations to OTLP span events. An annotation's value is the event's name, except that
 * OpenTelemetry's Zipkin exporter writes an event with its attributes as {@code
 * "name":{"key":value,...}} (the OpenTelemetry specification's Zipkin mapping); such a value is
 * read back into the name and typed attributes. A value that only looks like it (the exporter does
 * not escape quotes) stays the name, whole.
 */
final class ZipkinAnnotations {

  private static final JsonFactory JSON = JsonFactory.builder().build();

  private ZipkinAnnotations() {}

  static Span.Event toEvent(Annotation annotation) {
    Span.Event.Builder event =
        Span.Event.newBuilder()
            .setTimeUnixNano(ZipkinSpanMapper.nanos(annotation.timestampMicros()));
    String value = annotation.value();
    if (value.startsWith("\"") && value.endsWith("}") && value.contains("\":{")) {
      try {
        return parseExporterFormat(value, event);
      } catch (IOException | IllegalArgumentException notThatFormat) {
        event.clearAttributes();
      }
    }
    return event.setName(value).build();
  }

  private static Span.Event parseExporterFormat(String value, Span.Event.Builder event)
      throws IOException {
    try (JsonParser parser = JSON.createParser("{" + value + "}")) {
      require(parser.nextToken() == JsonToken.START_OBJECT);
      require(parser.nextToken() == JsonToken.FIELD_NAME);
      event.setName(parser.currentName());
      require(parser.nextToken() == JsonToken.START_OBJECT);
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String key = parser.currentName();
        parser.nextToken();
        AnyValue attribute = value(parser);
        if (attribute != null) {
          event.addAttributes(KeyValue.newBuilder().setKey(key).setValue(attribute));
        }
      }
      require(parser.nextToken() == JsonToken.END_OBJECT && parser.nextToken() == null);
      return event.build();
    }
  }

  /** The typed value at the current token; null for JSON null; nested objects are not typed. */
  private static AnyValue value(JsonParser parser) throws IOException {
    return switch (parser.currentToken()) {
      case VALUE_STRING -> AnyValue.newBuilder().setStringValue(parser.getText()).build();
      case VALUE_TRUE, VALUE_FALSE ->
          AnyValue.newBuilder().setBoolValue(parser.getBooleanValue()).build();
      case VALUE_NUMBER_INT -> AnyValue.newBuilder().setIntValue(parser.getLongValue()).build();
      case VALUE_NUMBER_FLOAT ->
          AnyValue.newBuilder().setDoubleValue(parser.getDoubleValue()).build();
      case VALUE_NULL -> null;
      case START_ARRAY -> {
        List<AnyValue> elements = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          AnyValue element = value(parser);
          if (element != null) {
            elements.add(element);
          }
        }
        yield AnyValue.newBuilder()
            .setArrayValue(ArrayValue.newBuilder().addAllValues(elements))
            .build();
      }
      default -> throw new IllegalArgumentException("not an attribute value");
    };
  }

  private static void require(boolean condition) {
    if (!condition) {
      throw new IllegalArgumentException("not the exporter's event format");
    }
  }
}
