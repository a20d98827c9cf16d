package dev.cairn.query.transport.graphql;

import dev.cairn.model.AttributeValue;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;
import org.eclipse.microprofile.graphql.Description;
import org.eclipse.microprofile.graphql.Name;
import org.eclipse.microprofile.graphql.NonNull;

/**
 * An OTLP AnyValue: {@code type} says which one field is set (none for {@code EMPTY}). Integers are
 * 64-bit, so they travel as decimal strings, as in OTLP JSON; bytes as base64.
 */
@Name("AttributeValue")
public record GraphQLAttributeValue(
    @NonNull AttributeType type,
    String stringValue,
    Boolean boolValue,
    @Description("64-bit integer as a decimal string") String intValue,
    Double doubleValue,
    @Description("Base64") String bytesValue,
    List<@NonNull GraphQLAttributeValue> arrayValue,
    List<@NonNull GraphQLAttribute> kvlistValue) {

  /** Which field of an AttributeValue is set. */
  @Name("AttributeType")
  public enum AttributeType {
    STRING,
    BOOL,
    INT,
    DOUBLE,
    BYTES,
    ARRAY,
    KVLIST,
    EMPTY
  }

  static GraphQLAttributeValue of(AttributeValue value) {
    if (value instanceof AttributeValue.StringValue v) {
      return new GraphQLAttributeValue(
          AttributeType.STRING, v.value(), null, null, null, null, null, null);
    }
    if (value instanceof AttributeValue.BoolValue v) {
      return new GraphQLAttributeValue(
          AttributeType.BOOL, null, v.value(), null, null, null, null, null);
    }
    if (value instanceof AttributeValue.IntValue v) {
      return new GraphQLAttributeValue(
          AttributeType.INT, null, null, Long.toString(v.value()), null, null, null, null);
    }
    if (value instanceof AttributeValue.DoubleValue v) {
      return new GraphQLAttributeValue(
          AttributeType.DOUBLE, null, null, null, v.value(), null, null, null);
    }
    if (value instanceof AttributeValue.BytesValue v) {
      String base64 = Base64.getEncoder().encodeToString(v.value());
      return new GraphQLAttributeValue(
          AttributeType.BYTES, null, null, null, null, base64, null, null);
    }
    if (value instanceof AttributeValue.ArrayValue v) {
      List<GraphQLAttributeValue> values =
          v.values().stream().map(GraphQLAttributeValue::of).toList();
      return new GraphQLAttributeValue(
          AttributeType.ARRAY, null, null, null, null, null, values, null);
    }
    if (value instanceof AttributeValue.KeyValueList v) {
      return new GraphQLAttributeValue(
          AttributeType.KVLIST,
          null,
          null,
          null,
          null,
          null,
          null,
          GraphQLAttribute.of(v.values()));
    }
    return new GraphQLAttributeValue(AttributeType.EMPTY, null, null, null, null, null, null, null);
  }

  @Description("The value as text, whatever its type, for display")
  @NonNull
  public String getText() {
    return switch (type) {
      case STRING -> stringValue;
      case BOOL -> boolValue.toString();
      case INT -> intValue;
      case DOUBLE -> doubleValue.toString();
      case BYTES -> bytesValue;
      case ARRAY ->
          arrayValue.stream()
              .map(GraphQLAttributeValue::getText)
              .collect(Collectors.joining(",", "[", "]"));
      case KVLIST ->
          kvlistValue.stream()
              .map(a -> a.key() + "=" + a.value().getText())
              .collect(Collectors.joining(",", "{", "}"));
      case EMPTY -> "";
    };
  }
}
