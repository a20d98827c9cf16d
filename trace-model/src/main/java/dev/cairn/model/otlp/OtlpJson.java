package dev.cairn.model.otlp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.SegmentedStringWriter;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * OTLP/JSON encoding of traces (OTLP specification, "JSON Protobuf Encoding"): the Protobuf JSON
 * mapping with lowerCamelCase field names and enums as integers, except that trace and span ids are
 * hex strings, not base64. 64-bit integers are printed as strings and read from strings or numbers;
 * unknown fields are ignored, as the specification asks of receivers.
 *
 * <p>Parsing is protobuf's {@link JsonFormat} after a rewrite of the id fields ({@code traceId},
 * {@code spanId}, {@code parentSpanId}, {@code links[].traceId}, {@code links[].spanId}) from hex
 * to base64 on a Jackson tree. Printing streams the messages in one pass ({@link OtlpJsonWriter}).
 * Thread-safe.
 */
public final class OtlpJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final HexFormat HEX = HexFormat.of();

  private OtlpJson() {}

  /**
   * Reads the body of an OTLP/HTTP JSON export request ({@code POST /v1/traces}).
   *
   * @throws OtlpJsonException when the body is not JSON, does not match the OTLP schema, or an id
   *     is not a hex string
   */
  public static ExportTraceServiceRequest parseExportRequest(byte[] json) {
    ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
    merge(json, builder);
    return builder.build();
  }

  /**
   * Reads an OTLP/JSON {@code TracesData} document (the same shape as an export request).
   *
   * @throws OtlpJsonException as {@link #parseExportRequest}
   */
  public static TracesData parseTracesData(byte[] json) {
    TracesData.Builder builder = TracesData.newBuilder();
    merge(json, builder);
    return builder.build();
  }

  /** Prints OTLP/JSON: hex ids, integer enums, default-valued fields omitted, no whitespace. */
  public static String print(TracesData data) {
    return printString(data.getResourceSpansList());
  }

  /** Prints an export request as OTLP/JSON, like {@link #print(TracesData)}. */
  public static String print(ExportTraceServiceRequest request) {
    return printString(request.getResourceSpansList());
  }

  /** Prints OTLP/JSON as UTF-8 bytes, like {@link #print(TracesData)}, without a String copy. */
  public static byte[] printUtf8(TracesData data) {
    try (ByteArrayBuilder bytes = new ByteArrayBuilder()) {
      OtlpJsonWriter.write(data.getResourceSpansList(), bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw cannotPrint(e);
    }
  }

  /**
   * Streams OTLP/JSON as UTF-8 to {@code target} (e.g. a response body), like {@link
   * #print(TracesData)}; flushes {@code target} and leaves it open.
   *
   * @throws IOException only when {@code target} fails
   */
  public static void print(TracesData data, OutputStream target) throws IOException {
    OtlpJsonWriter.write(data.getResourceSpansList(), target);
  }

  /** Streams an export request as OTLP/JSON, like {@link #print(TracesData, OutputStream)}. */
  public static void print(ExportTraceServiceRequest request, OutputStream target)
      throws IOException {
    OtlpJsonWriter.write(request.getResourceSpansList(), target);
  }

  private static String printString(List<ResourceSpans> resourceSpans) {
    // Jackson's segmented writer grows without copying what it holds, unlike a StringWriter.
    SegmentedStringWriter text = new SegmentedStringWriter(new BufferRecycler());
    try {
      OtlpJsonWriter.write(resourceSpans, text);
      return text.getAndClear();
    } catch (IOException e) {
      throw cannotPrint(e);
    }
  }

  private static IllegalStateException cannotPrint(IOException e) {
    // In-memory targets do not fail; printing a valid message cannot either: a bug, not bad input.
    return new IllegalStateException("cannot print OTLP JSON", e);
  }

  private static void merge(byte[] json, Message.Builder builder) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new OtlpJsonException("body is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new OtlpJsonException("body is not valid JSON: " + e.getMessage(), e);
    }
    if (tree == null || !tree.isObject()) {
      throw new OtlpJsonException("body must be a JSON object");
    }
    hexIdsToBase64(tree);
    try {
      PARSER.merge(MAPPER.writeValueAsString(tree), builder);
    } catch (InvalidProtocolBufferException e) {
      throw new OtlpJsonException("body does not match OTLP JSON: " + e.getMessage(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot re-serialize a parsed JSON tree", e);
    } catch (RuntimeException e) {
      // JsonFormat throws unchecked exceptions on some malformed values (e.g. a wrong token type).
      throw new OtlpJsonException("body does not match OTLP JSON: " + e.getMessage(), e);
    }
  }

  /** OTLP/JSON ids are hex; protobuf's JSON mapping reads bytes as base64. */
  private static void hexIdsToBase64(JsonNode root) {
    JsonNode resourceSpans = field(root, "resourceSpans", "resource_spans");
    if (resourceSpans == null || !resourceSpans.isArray()) {
      return; // absent, or a wrong type the protobuf parser reports
    }
    for (int r = 0; r < resourceSpans.size(); r++) {
      JsonNode scopeSpans = field(resourceSpans.get(r), "scopeSpans", "scope_spans");
      if (scopeSpans == null || !scopeSpans.isArray()) {
        continue;
      }
      for (int s = 0; s < scopeSpans.size(); s++) {
        JsonNode spans = field(scopeSpans.get(s), "spans", "spans");
        if (spans == null || !spans.isArray()) {
          continue;
        }
        for (int i = 0; i < spans.size(); i++) {
          JsonNode span = spans.get(i);
          if (!(span instanceof ObjectNode spanObject)) {
            continue;
          }
          String path = "resourceSpans[" + r + "].scopeSpans[" + s + "].spans[" + i + "].";
          rewrite(spanObject, "traceId", "trace_id", path);
          rewrite(spanObject, "spanId", "span_id", path);
          rewrite(spanObject, "parentSpanId", "parent_span_id", path);
          JsonNode links = spanObject.get("links");
          if (links != null && links.isArray()) {
            for (int l = 0; l < links.size(); l++) {
              if (links.get(l) instanceof ObjectNode link) {
                String linkPath = path + "links[" + l + "].";
                rewrite(link, "traceId", "trace_id", linkPath);
                rewrite(link, "spanId", "span_id", linkPath);
              }
            }
          }
        }
      }
    }
  }

  private static JsonNode field(JsonNode node, String jsonName, String protoName) {
    if (node == null || !node.isObject()) {
      return null;
    }
    JsonNode value = node.get(jsonName);
    return value != null ? value : node.get(protoName);
  }

  private static void rewrite(ObjectNode node, String jsonName, String protoName, String path) {
    rewriteField(node, jsonName, path);
    rewriteField(node, protoName, path);
  }

  private static void rewriteField(ObjectNode node, String name, String path) {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      return;
    }
    if (!value.isTextual()) {
      throw new OtlpJsonException(
          path + name + " must be a hex string, got " + value.getNodeType());
    }
    node.put(name, Base64.getEncoder().encodeToString(hexToBytes(value.textValue(), path + name)));
  }

  private static byte[] hexToBytes(String hex, String where) {
    if (hex.length() % 2 != 0) {
      throw new OtlpJsonException(
          where + " must be hex with an even number of digits, got \"" + abbreviate(hex) + "\"");
    }
    try {
      return HEX.parseHex(hex);
    } catch (IllegalArgumentException e) {
      throw new OtlpJsonException(
          where + " must be a hex string, got \"" + abbreviate(hex) + "\"", e);
    }
  }

  private static String abbreviate(String value) {
    return value.length() <= 40 ? value : value.substring(0, 40) + "...";
  }
}
