package dev.cairn.storage;

import dev.cairn.model.Span;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.wire.MalformedRecordException;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.model.wire.TraceWireCodec;
import java.util.List;

/** Decodes a record of {@code cairn.spans.sampled} (wire format of docs/architecture.md). */
public final class SpanRecordDecoder {

  /**
   * Why a record goes to the dead-letter topic instead of the store: the {@code reason} label of
   * {@code cairn_storage_records_dead_lettered_total}.
   */
  public enum Rejection {
    MALFORMED_PROTOBUF("malformed_protobuf"),
    INVALID_SPAN("invalid_span"),
    EMPTY("empty"),
    /** Decoded, but the store refused its data ({@code StoreFailure.PERMANENT}). */
    STORE_REFUSED("store_refused"),
    /**
     * Decoded, but some of its spans start before their class's retention cut-off: a late span for
     * a time range retention drops (or dropped already). Its other spans are stored.
     */
    EXPIRED("expired");

    private final String label;

    Rejection(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** A decoded record or why it was rejected. */
  public sealed interface Result {}

  public record Decoded(SpanRecord record) implements Result {}

  public record Rejected(Rejection reason, String detail) implements Result {}

  private SpanRecordDecoder() {}

  /**
   * @param value the record value
   * @param retentionHeader the {@code cairn-retention} header value, null when absent (standard)
   */
  public static Result decode(byte[] value, String retentionHeader) {
    return decode(value, retentionHeader, null);
  }

  /**
   * @param value the record value
   * @param retentionHeader the {@code cairn-retention} header value, null when absent (standard)
   * @param lateSpanHeader the {@code cairn-late-span} header value, null when absent (on time);
   *     only {@code true} marks the record late
   */
  public static Result decode(byte[] value, String retentionHeader, String lateSpanHeader) {
    if (value == null || value.length == 0) {
      return new Rejected(Rejection.EMPTY, "record has no value");
    }
    List<Span> spans;
    try {
      spans = OtlpSpanMapper.toSpans(TraceWireCodec.decode(value));
    } catch (MalformedRecordException e) {
      return new Rejected(Rejection.MALFORMED_PROTOBUF, e.getMessage());
    } catch (IllegalArgumentException e) {
      return new Rejected(Rejection.INVALID_SPAN, e.getMessage());
    }
    if (spans.isEmpty()) {
      return new Rejected(Rejection.EMPTY, "record holds no span");
    }
    for (Span span : spans) {
      if (!span.traceId().isValid() || !span.spanId().isValid()) {
        return new Rejected(Rejection.INVALID_SPAN, "all-zero trace or span id");
      }
    }
    return new Decoded(
        new SpanRecord(
            RetentionClass.fromHeader(retentionHeader),
            spans,
            "true".equals(lateSpanHeader),
            value));
  }
}
