package dev.cairn.store.pg;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.InstrumentationScope;
import dev.cairn.model.Resource;
import dev.cairn.model.SpanEvent;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanLink;
import dev.cairn.model.TraceId;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The jsonb documents that hold a span's typed attributes, events, links, resource and scope.
 *
 * <p>Every value carries its OTLP type, so that it reads back exactly: {@code {"s":"x"}} string,
 * {@code {"b":true}} bool, {@code {"i":500}} int (jsonb numbers are exact decimals), {@code
 * {"d":"1.5"}} double as its Java text (keeps NaN, infinities and -0.0), {@code {"y":"base64"}}
 * bytes, {@code {"a":[...]}} array, {@code {"kv":[...]}} key-value list, {@code {}} empty.
 * PostgreSQL cannot store U+0000 in jsonb: a text holding it is written base64 under its field name
 * followed by {@code !}, so even that round-trips.
 */
final class AttributeJson {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Base64.Encoder B64 = Base64.getEncoder();
  private static final Base64.Decoder B64D = Base64.getDecoder();

  private AttributeJson() {}

  // ---------------------------------------------------------------- writing

  static String attributes(List<Attribute> attributes) {
    return write(gen -> writeAttributes(gen, attributes));
  }

  static String events(List<SpanEvent> events) {
    return write(
        gen -> {
          gen.writeStartArray();
          for (SpanEvent event : events) {
            gen.writeStartObject();
            gen.writeNumberField("t", event.timeUnixNano());
            text(gen, "n", event.name());
            gen.writeFieldName("a");
            writeAttributes(gen, event.attributes());
            gen.writeNumberField("d", event.droppedAttributesCount());
            gen.writeEndObject();
          }
          gen.writeEndArray();
        });
  }

  static String links(List<SpanLink> links) {
    return write(
        gen -> {
          gen.writeStartArray();
          for (SpanLink link : links) {
            gen.writeStartObject();
            gen.writeStringField("tr", link.traceId().toHex());
            gen.writeStringField("sp", link.spanId().toHex());
            text(gen, "ts", link.traceState());
            gen.writeFieldName("a");
            writeAttributes(gen, link.attributes());
            gen.writeNumberField("d", link.droppedAttributesCount());
            gen.writeNumberField("f", link.flags());
            gen.writeEndObject();
          }
          gen.writeEndArray();
        });
  }

  static String resource(Resource resource) {
    return write(
        gen -> {
          gen.writeStartObject();
          gen.writeFieldName("a");
          writeAttributes(gen, resource.attributes());
          gen.writeNumberField("d", resource.droppedAttributesCount());
          text(gen, "u", resource.schemaUrl());
          gen.writeEndObject();
        });
  }

  static String scope(InstrumentationScope scope) {
    return write(
        gen -> {
          gen.writeStartObject();
          text(gen, "n", scope.name());
          text(gen, "v", scope.version());
          gen.writeFieldName("a");
          writeAttributes(gen, scope.attributes());
          gen.writeNumberField("d", scope.droppedAttributesCount());
          text(gen, "u", scope.schemaUrl());
          gen.writeEndObject();
        });
  }

  /**
   * The flat key to value-as-text map that tag search matches, of a span's or a resource's
   * attributes: scalar values only; a key holding U+0000 is left out.
   */
  static String tags(List<Attribute> attributes) {
    Map<String, String> tags = scalarTexts(attributes);
    return write(
        gen -> {
          gen.writeStartObject();
          for (Map.Entry<String, String> tag : tags.entrySet()) {
            gen.writeStringField(tag.getKey(), tag.getValue());
          }
          gen.writeEndObject();
        });
  }

  /** The text a tag filter value is compared with, or null when the value is not scalar. */
  static String tagText(AttributeValue value) {
    if (value instanceof AttributeValue.StringValue s) {
      return s.value();
    } else if (value instanceof AttributeValue.IntValue i) {
      return Long.toString(i.value());
    } else if (value instanceof AttributeValue.BoolValue b) {
      return Boolean.toString(b.value());
    } else if (value instanceof AttributeValue.DoubleValue d) {
      return DoubleText.of(d.value());
    }
    return null;
  }

  /**
   * First scalar value of a key wins, as {@link Attribute#find} does; U+0000 in a text is U+FFFD, a
   * key holding it is left out. {@link SearchTerms} hashes the same tags without their texts.
   */
  static Map<String, String> scalarTexts(List<Attribute> attributes) {
    Map<String, String> texts = new LinkedHashMap<>();
    int n = attributes.size();
    for (int i = 0; i < n; i++) {
      Attribute attribute = attributes.get(i);
      String text = tagText(attribute.value());
      if (text != null
          && attribute.key().indexOf('\0') < 0
          && !scalarBefore(attributes, i, attribute.key())) {
        texts.put(attribute.key(), text.replace('\0', '\uFFFD'));
      }
    }
    return texts;
  }

  /** Whether an attribute before {@code index} has {@code key} and a scalar value. */
  static boolean scalarBefore(List<Attribute> attributes, int index, String key) {
    for (int j = 0; j < index; j++) {
      Attribute earlier = attributes.get(j);
      if (isScalar(earlier.value()) && earlier.key().equals(key)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the value has a {@link #tagText}. */
  static boolean isScalar(AttributeValue value) {
    return value instanceof AttributeValue.StringValue
        || value instanceof AttributeValue.IntValue
        || value instanceof AttributeValue.BoolValue
        || value instanceof AttributeValue.DoubleValue;
  }

  private static void writeAttributes(JsonGenerator gen, List<Attribute> attributes)
      throws IOException {
    gen.writeStartArray();
    for (Attribute attribute : attributes) {
      gen.writeStartObject();
      text(gen, "k", attribute.key());
      gen.writeFieldName("v");
      writeValue(gen, attribute.value());
      gen.writeEndObject();
    }
    gen.writeEndArray();
  }

  private static void writeValue(JsonGenerator gen, AttributeValue value) throws IOException {
    gen.writeStartObject();
    if (value instanceof AttributeValue.StringValue s) {
      text(gen, "s", s.value());
    } else if (value instanceof AttributeValue.BoolValue b) {
      gen.writeBooleanField("b", b.value());
    } else if (value instanceof AttributeValue.IntValue i) {
      gen.writeNumberField("i", i.value());
    } else if (value instanceof AttributeValue.DoubleValue d) {
      gen.writeStringField("d", Double.toString(d.value()));
    } else if (value instanceof AttributeValue.BytesValue y) {
      gen.writeStringField("y", B64.encodeToString(y.value()));
    } else if (value instanceof AttributeValue.ArrayValue a) {
      gen.writeFieldName("a");
      gen.writeStartArray();
      for (AttributeValue element : a.values()) {
        writeValue(gen, element);
      }
      gen.writeEndArray();
    } else if (value instanceof AttributeValue.KeyValueList kv) {
      gen.writeFieldName("kv");
      writeAttributes(gen, kv.values());
    }
    // Empty: no field
    gen.writeEndObject();
  }

  private static void text(JsonGenerator gen, String field, String value) throws IOException {
    if (value.indexOf('\0') >= 0) {
      gen.writeStringField(field + "!", B64.encodeToString(value.getBytes(StandardCharsets.UTF_8)));
    } else {
      gen.writeStringField(field, value);
    }
  }

  private interface Body {
    void write(JsonGenerator gen) throws IOException;
  }

  private static String write(Body body) {
    StringWriter out = new StringWriter(128);
    try (JsonGenerator gen = FACTORY.createGenerator(out)) {
      body.write(gen);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  // ---------------------------------------------------------------- reading

  static List<Attribute> readAttributes(String json) {
    return attributesOf(tree(json));
  }

  static List<SpanEvent> readEvents(String json) {
    List<SpanEvent> events = new ArrayList<>();
    for (JsonNode node : tree(json)) {
      events.add(
          new SpanEvent(
              node.get("t").asLong(),
              text(node, "n"),
              attributesOf(node.get("a")),
              node.get("d").asInt()));
    }
    return events;
  }

  static List<SpanLink> readLinks(String json) {
    List<SpanLink> links = new ArrayList<>();
    for (JsonNode node : tree(json)) {
      links.add(
          new SpanLink(
              TraceId.fromHex(node.get("tr").asText()),
              SpanId.fromHex(node.get("sp").asText()),
              text(node, "ts"),
              attributesOf(node.get("a")),
              node.get("d").asInt(),
              node.get("f").asInt()));
    }
    return links;
  }

  static Resource readResource(String json) {
    JsonNode node = tree(json);
    return new Resource(attributesOf(node.get("a")), node.get("d").asInt(), text(node, "u"));
  }

  static InstrumentationScope readScope(String json) {
    JsonNode node = tree(json);
    return new InstrumentationScope(
        text(node, "n"),
        text(node, "v"),
        attributesOf(node.get("a")),
        node.get("d").asInt(),
        text(node, "u"));
  }

  private static List<Attribute> attributesOf(JsonNode array) {
    List<Attribute> attributes = new ArrayList<>(array.size());
    for (JsonNode node : array) {
      attributes.add(new Attribute(text(node, "k"), valueOf(node.get("v"))));
    }
    return attributes;
  }

  private static AttributeValue valueOf(JsonNode node) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    if (!fields.hasNext()) {
      return new AttributeValue.Empty();
    }
    Map.Entry<String, JsonNode> field = fields.next();
    JsonNode v = field.getValue();
    return switch (field.getKey()) {
      case "s" -> new AttributeValue.StringValue(v.asText());
      case "s!" -> new AttributeValue.StringValue(fromBase64(v));
      case "b" -> new AttributeValue.BoolValue(v.asBoolean());
      case "i" -> new AttributeValue.IntValue(v.longValue());
      case "d" -> new AttributeValue.DoubleValue(Double.parseDouble(v.asText()));
      case "y" -> new AttributeValue.BytesValue(B64D.decode(v.asText()));
      case "a" -> {
        List<AttributeValue> values = new ArrayList<>(v.size());
        v.forEach(element -> values.add(valueOf(element)));
        yield new AttributeValue.ArrayValue(values);
      }
      case "kv" -> new AttributeValue.KeyValueList(attributesOf(v));
      default -> throw new IllegalStateException("unknown attribute value type " + field.getKey());
    };
  }

  private static String text(JsonNode node, String field) {
    JsonNode plain = node.get(field);
    return plain != null ? plain.asText() : fromBase64(node.get(field + "!"));
  }

  private static String fromBase64(JsonNode node) {
    return new String(B64D.decode(node.asText()), StandardCharsets.UTF_8);
  }

  private static JsonNode tree(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
