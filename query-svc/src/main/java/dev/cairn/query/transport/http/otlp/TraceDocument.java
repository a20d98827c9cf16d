package dev.cairn.query.transport.http.otlp;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of {@code GET /api/v1/traces/{traceId}}: an OTLP JSON {@code TracesData} document (as
 * the OTLP/HTTP JSON encoding specifies: lowerCamelCase field names, ids as lowercase hex, enums as
 * integers, 64-bit integers as decimal strings, bytes as base64), so that any OTLP JSON reader
 * takes it back unchanged. Only a root span's absent {@code parentSpanId} is left out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(
    name = "TracesData",
    description =
        "OTLP JSON TracesData: lowerCamelCase names, ids as lowercase hex, enums as integers,"
            + " 64-bit integers as decimal strings, bytes as base64")
public record TraceDocument(List<ResourceSpans> resourceSpans) {

  /** Spans of one resource (a service instance). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ResourceSpans(Resource resource, List<ScopeSpans> scopeSpans, String schemaUrl) {}

  public record Resource(List<KeyValue> attributes, int droppedAttributesCount) {}

  /** Spans of one instrumentation scope within a resource. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record ScopeSpans(Scope scope, List<Span> spans, String schemaUrl) {}

  public record Scope(
      String name, String version, List<KeyValue> attributes, int droppedAttributesCount) {}

  /**
   * One span. {@code kind}: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer.
   * {@code parentSpanId} is absent on root spans.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Span(
      @Schema(description = "32 lowercase hex digits") String traceId,
      @Schema(description = "16 lowercase hex digits") String spanId,
      @Schema(description = "W3C tracestate") String traceState,
      @Schema(description = "16 lowercase hex digits; absent on root spans") String parentSpanId,
      @Schema(description = "W3C trace flags (low 8 bits) and OTLP span flags") int flags,
      String name,
      @Schema(description = "0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer")
          int kind,
      @Schema(description = "Unix nanoseconds as a decimal string") String startTimeUnixNano,
      @Schema(description = "Unix nanoseconds as a decimal string") String endTimeUnixNano,
      List<KeyValue> attributes,
      int droppedAttributesCount,
      List<Event> events,
      int droppedEventsCount,
      List<Link> links,
      int droppedLinksCount,
      Status status) {}

  public record Event(
      String timeUnixNano, String name, List<KeyValue> attributes, int droppedAttributesCount) {}

  public record Link(
      String traceId,
      String spanId,
      String traceState,
      List<KeyValue> attributes,
      int droppedAttributesCount,
      int flags) {}

  /** {@code code}: 0 unset, 1 ok, 2 error. */
  public record Status(String message, @Schema(description = "0 unset, 1 ok, 2 error") int code) {}

  public record KeyValue(String key, AnyValue value) {}

  /**
   * Exactly one member is present; none for an empty value. {@code intValue} is a decimal string,
   * {@code bytesValue} base64, {@code doubleValue} a number or "NaN" / "Infinity" / "-Infinity".
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AnyValue(
      String stringValue,
      Boolean boolValue,
      String intValue,
      Double doubleValue,
      String bytesValue,
      ArrayValue arrayValue,
      KeyValueList kvlistValue) {}

  public record ArrayValue(List<AnyValue> values) {}

  public record KeyValueList(List<KeyValue> values) {}
}
