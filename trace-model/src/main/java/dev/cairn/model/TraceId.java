package dev.cairn.model;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/** A W3C / OTLP trace id: 16 bytes, held as two longs (big-endian). All-zero is invalid. */
public record TraceId(long high, long low) implements Comparable<TraceId> {

  public static final int BYTES = 16;
  private static final HexFormat HEX = HexFormat.of();

  public static TraceId fromBytes(byte[] bytes) {
    if (bytes.length != BYTES) {
      throw new IllegalArgumentException(
          "trace id must be " + BYTES + " bytes, got " + bytes.length);
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    return new TraceId(buffer.getLong(), buffer.getLong());
  }

  /** Parses 32 hex digits (either case). */
  public static TraceId fromHex(String hex) {
    if (hex == null || hex.length() != 2 * BYTES) {
      throw new IllegalArgumentException("trace id must be 32 hex digits");
    }
    try {
      return new TraceId(
          HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("trace id must be 32 hex digits", e);
    }
  }

  // written out, the value the record's would give: the generated ones go through method handles,
  // and trace ids are the keys of the writer's and the sampler's per-span maps
  @Override
  public boolean equals(Object other) {
    return other instanceof TraceId that && high == that.high && low == that.low;
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(high) + Long.hashCode(low);
  }

  public boolean isValid() {
    return high != 0 || low != 0;
  }

  public byte[] toBytes() {
    return ByteBuffer.allocate(BYTES).putLong(high).putLong(low).array();
  }

  public String toHex() {
    return HEX.toHexDigits(high) + HEX.toHexDigits(low);
  }

  @Override
  public int compareTo(TraceId other) {
    int byHigh = Long.compareUnsigned(high, other.high);
    return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
