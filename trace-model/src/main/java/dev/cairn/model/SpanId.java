package dev.cairn.model;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** A W3C / OTLP span id: 8 bytes held as a long (big-endian). Zero is invalid. */
public record SpanId(long value) {

  public static final int BYTES = 8;
  private static final HexFormat HEX = HexFormat.of();

  public static SpanId fromBytes(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException(
          "span id must be " + BYTES + " bytes, got " + bytes.length);
    }
    return new SpanId(ByteBuffer.wrap(bytes).getLong());
  }

  /** Parses 16 hex digits (either case). */
  public static SpanId fromHex(String hex) {
    if (hex == null || hex.length() != 2 * BYTES) {
      throw new IllegalArgumentException("span id must be 16 hex digits");
    }
    try {
      return new SpanId(HexFormat.fromHexDigitsToLong(hex));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("span id must be 16 hex digits", e);
    }
  }

  public boolean isValid() {
    return value != 0;
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(BYTES).putLong(value).array();
  }

  public String toHex() {
    return HEX.toHexDigits(value);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
