package dev.cairn.model.otlp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The OTLP/JSON printer {@link OtlpJsonWriter} replaced, kept as the tests' oracle and the
 * benchmark's baseline: protobuf's {@link JsonFormat} printer, then the span and link ids rewritten
 * from base64 to hex on a Jackson tree.
 */
final class JsonFormatReference {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer().printingEnumsAsInts().omittingInsignificantWhitespace();
  private static final HexFormat HEX = HexFormat.of();

  private JsonFormatReference() {}

  /** The document as the old {@code OtlpJson.print} printed it. */
  static String print(Message tracesDataOrRequest) {
    try {
      JsonNode tree = tree(tracesDataOrRequest);
      return MAPPER.writeValueAsString(tree);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The document as a Jackson tree, ids in hex. */
  static JsonNode tree(Message tracesDataOrRequest) throws Exception {
    JsonNode tree = MAPPER.readTree(jsonFormat(tracesDataOrRequest));
    for (JsonNode resourceSpans : tree.path("resourceSpans")) {
      for (JsonNode scopeSpans : resourceSpans.path("scopeSpans")) {
        for (JsonNode span : scopeSpans.path("spans")) {
          hex((ObjectNode) span, "traceId", "spanId", "parentSpanId");
          for (JsonNode link : span.path("links")) {
            hex((ObjectNode) link, "traceId", "spanId");
          }
        }
      }
    }
    return tree;
  }

  /** protobuf's own OTLP-less JSON: ids in base64. */
  static String jsonFormat(Message message) throws InvalidProtocolBufferException {
    return PRINTER.print(message);
  }

  private static void hex(ObjectNode node, String... fields) {
    for (String field : fields) {
      JsonNode value = node.get(field);
      if (value != null) {
        node.put(field, HEX.formatHex(Base64.getDecoder().decode(value.textValue())));
      }
    }
  }
}
