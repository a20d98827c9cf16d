package dev.cairn.model.testing;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.Arrays;

/**
 * OTLP spans with one text in every string field (names, keys, values nested in arrays and kvlists,
 * trace state, status message, schema URLs), to test what receivers and storage do with NUL,
 * invalid UTF-8 or unpaired surrogates. Build with {@link #MARKER}, serialise, then swap the
 * marker's bytes for {@link #INVALID_UTF8_MARKER} (same length, so every length prefix stays true).
 */
public final class HostileStrings {

  /** Plain ASCII that no id or other field of these fixtures encodes to. */
  public static final String MARKER = "{bad}";

  /** {@link #MARKER}'s length, with two invalid UTF-8 sequences (0xFF, 0xC0) for the braces. */
  public static final byte[] INVALID_UTF8_MARKER = {(byte) 0xFF, 'b', 'a', 'd', (byte) 0xC0};

  /** {@link #MARKER} with NUL for the braces. */
  public static final String NUL_MARKER = "\u0000bad\u0000";

  /** What a receiver that replaces each bad character with U+FFFD makes of either. */
  public static final String REPLACED_MARKER = "\uFFFDbad\uFFFD";

  /** The string fields of {@link #everyStringField} that hold the text. */
  public static final int STRING_FIELDS = 24;

  private HostileStrings() {}

  /**
   * A resource (service.name {@code service}) with one span holding {@code text} in each of its
   * {@link #STRING_FIELDS} string fields.
   */
  public static ResourceSpans everyStringField(
      String service, ByteString traceId, ByteString spanId, long startNanos, String text) {
    Span span =
        Span.newBuilder()
            .setTraceId(traceId)
            .setSpanId(spanId)
            .setTraceState("k=" + text)
            .setName("op " + text)
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .setStartTimeUnixNano(startNanos)
            .setEndTimeUnixNano(startNanos + 1_000_000)
            .addAttributes(string(text, text))
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("array " + text)
                    .setValue(
                        AnyValue.newBuilder()
                            .setArrayValue(ArrayValue.newBuilder().addValues(stringValue(text)))))
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("kvlist " + text)
                    .setValue(
                        AnyValue.newBuilder()
                            .setKvlistValue(
                                KeyValueList.newBuilder().addValues(string(text, text)))))
            .addEvents(
                Span.Event.newBuilder()
                    .setTimeUnixNano(startNanos + 1)
                    .setName("event " + text)
                    .addAttributes(string(text, text)))
            .addLinks(
                Span.Link.newBuilder()
                    .setTraceId(traceId)
                    .setSpanId(spanId)
                    .setTraceState("l=" + text)
                    .addAttributes(string(text, text)))
            .setStatus(
                Status.newBuilder()
                    .setCode(Status.StatusCode.STATUS_CODE_ERROR)
                    .setMessage("failed " + text))
            .build();
    return ResourceSpans.newBuilder()
        .setSchemaUrl("https://schema/" + text)
        .setResource(
            Resource.newBuilder()
                .addAttributes(string("service.name", service))
                .addAttributes(string("r " + text, text)))
        .addScopeSpans(
            ScopeSpans.newBuilder()
                .setSchemaUrl("https://scope-schema/" + text)
                .setScope(
                    InstrumentationScope.newBuilder()
                        .setName("scope " + text)
                        .setVersion("1 " + text)
                        .addAttributes(string("s " + text, text)))
                .addSpans(span))
        .build();
  }

  /** Every occurrence of {@code marker} in {@code bytes} replaced (in place) by {@code by}. */
  public static byte[] replaceAll(byte[] bytes, byte[] marker, byte[] by) {
    if (marker.length != by.length) {
      throw new IllegalArgumentException("the replacement must keep the length");
    }
    byte[] out = bytes.clone();
    for (int i = 0; i + marker.length <= out.length; i++) {
      if (Arrays.equals(out, i, i + marker.length, marker, 0, marker.length)) {
        System.arraycopy(by, 0, out, i, by.length);
        i += marker.length - 1;
      }
    }
    return out;
  }

  /** How often {@code text} occurs in {@code haystack}. */
  public static int count(String haystack, String text) {
    int count = 0;
    for (int i = haystack.indexOf(text); i >= 0; i = haystack.indexOf(text, i + text.length())) {
      count++;
    }
    return count;
  }

  private static KeyValue string(String key, String value) {
    return KeyValue.newBuilder().setKey(key).setValue(stringValue(value)).build();
  }

  private static AnyValue stringValue(String value) {
    return AnyValue.newBuilder().setStringValue(value).build();
  }
}
