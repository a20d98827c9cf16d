package dev.cairn.collector.zipkin;

import com.google.protobuf.ByteString;

/**
 * Zipkin ids to OTLP's: trace ids of 16 bytes (a 64-bit Zipkin id is the low half, the high half
 * zero, as OpenTelemetry's B3 propagator and the OpenTelemetry Collector pad it), span ids of 8.
 * Zipkin accepts hex shorter than the width and pads it on the left; so does this. An id that is no
 * id at all maps to {@link #INVALID}, a length no OTLP id has, so that {@code SpanSanitizer}
 * rejects the span with the id's own reason and the rest of the request goes on.
 */
public final class ZipkinIds {

  /** Stands for an id that could not be read; one byte, never a valid OTLP id width. */
  public static final ByteString INVALID = ByteString.copyFrom(new byte[] {0});

  private static final int TRACE_ID_BYTES = 16;
  private static final int SPAN_ID_BYTES = 8;

  private ZipkinIds() {}

  /** A trace id from 1 to 32 hex digits; {@link #INVALID} when absent or not hex. */
  public static ByteString traceIdFromHex(String hex) {
    if (hex.isEmpty() || hex.length() > 2 * TRACE_ID_BYTES) {
      return INVALID;
    }
    int width = hex.length() <= 2 * SPAN_ID_BYTES ? SPAN_ID_BYTES : TRACE_ID_BYTES;
    byte[] decoded = decodeHex(hex, width);
    return decoded == null ? INVALID : traceId(decoded);
  }

  /** A span id from 1 to 16 hex digits; {@link #INVALID} when absent or not hex. */
  public static ByteString spanIdFromHex(String hex) {
    if (hex.isEmpty() || hex.length() > 2 * SPAN_ID_BYTES) {
      return INVALID;
    }
    byte[] decoded = decodeHex(hex, SPAN_ID_BYTES);
    return decoded == null ? INVALID : ByteString.copyFrom(decoded);
  }

  /** As {@link #spanIdFromHex}, but absent or all zeros is no parent (empty), as in Zipkin. */
  public static ByteString parentIdFromHex(String hex) {
    return hex.isEmpty() ? ByteString.EMPTY : parentId(spanIdFromHex(hex));
  }

  /** A trace id of 8 or 16 big-endian bytes (proto3); {@link #INVALID} otherwise. */
  public static ByteString traceIdFromBytes(ByteString bytes) {
    if (bytes.size() == TRACE_ID_BYTES) {
      return bytes;
    }
    return bytes.size() == SPAN_ID_BYTES ? traceId(bytes.toByteArray()) : INVALID;
  }

  /** A span id of 8 bytes (proto3); {@link #INVALID} otherwise. */
  public static ByteString spanIdFromBytes(ByteString bytes) {
    return bytes.size() == SPAN_ID_BYTES ? bytes : INVALID;
  }

  /** As {@link #spanIdFromBytes}, but absent or all zeros is no parent (empty). */
  public static ByteString parentIdFromBytes(ByteString bytes) {
    return bytes.isEmpty() ? ByteString.EMPTY : parentId(spanIdFromBytes(bytes));
  }

  private static ByteString parentId(ByteString id) {
    return id.equals(ByteString.copyFrom(new byte[SPAN_ID_BYTES])) ? ByteString.EMPTY : id;
  }

  private static ByteString traceId(byte[] decoded) {
    if (decoded.length == TRACE_ID_BYTES) {
      return ByteString.copyFrom(decoded);
    }
    byte[] padded = new byte[TRACE_ID_BYTES];
    System.arraycopy(decoded, 0, padded, TRACE_ID_BYTES - decoded.length, decoded.length);
    return ByteString.copyFrom(padded);
  }

  /**
   * Hex digits (either case) right-aligned in {@code width} bytes; null when a digit is not hex.
   */
  private static byte[] decodeHex(String hex, int width) {
    byte[] out = new byte[width];
    int digit = 2 * width - hex.length(); // position of the first digit, left-padded with zeros
    for (int i = 0; i < hex.length(); i++, digit++) {
      int value = Character.digit(hex.charAt(i), 16);
      if (value < 0 || hex.charAt(i) > 'f') {
        return null;
      }
      out[digit / 2] |= (byte) (digit % 2 == 0 ? value << 4 : value);
    }
    return out;
  }
}
