package dev.cairn.collector.zipkin;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.Map;

/**
 * A Zipkin v2 span as either encoding (JSON or proto3) carries it, before it is mapped to OTLP. Ids
 * are already bytes in OTLP's widths ({@link ZipkinIds}); text fields are empty and numbers 0 when
 * absent, as Zipkin's own model reads them.
 *
 * @param traceId 16 bytes (a 64-bit id padded with zeros), or {@link ZipkinIds#INVALID}
 * @param parentId 8 bytes, empty for a root span, or {@link ZipkinIds#INVALID}
 * @param id 8 bytes, or {@link ZipkinIds#INVALID}
 * @param timestampMicros epoch microseconds, 0 when absent
 * @param tags in the order received
 */
public record ZipkinSpan(
    ByteString traceId,
    ByteString parentId,
    ByteString id,
    Kind kind,
    String name,
    long timestampMicros,
    long durationMicros,
    Endpoint localEndpoint,
    Endpoint remoteEndpoint,
    List<Annotation> annotations,
    Map<String, String> tags,
    boolean debug,
    boolean shared) {

  /**
   * Zipkin's span kinds; {@link #ABSENT} means local work, {@link #UNKNOWN} a value Zipkin lacks.
   */
  public enum Kind {
    ABSENT,
    CLIENT,
    SERVER,
    PRODUCER,
    CONSUMER,
    UNKNOWN
  }

  /**
   * One side of the span's connection.
   *
   * @param ipv4 dotted text, empty when absent
   * @param ipv6 text, empty when absent
   * @param port 0 when absent
   */
  public record Endpoint(String serviceName, String ipv4, String ipv6, int port) {
    public static final Endpoint ABSENT = new Endpoint("", "", "", 0);
  }

  /** An event: Zipkin's value is the event's name (OpenTelemetry's exporter adds attributes). */
  public record Annotation(long timestampMicros, String value) {}
}
