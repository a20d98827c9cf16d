package dev.cairn.loadgen.generate;

import java.util.random.RandomGenerator;

/**
 * Random ids as W3C Trace Context asks: a trace id whose low 56 bits are random (level 2 "random"
 * flag, which consistent probability sampling relies on) and never all zero, a span id of 8 random
 * bytes that is never all zero.
 */
public final class TraceIds {

  private TraceIds() {}

  public static byte[] newTraceId(RandomGenerator random) {
    long high;
    long low;
    do {
      high = random.nextLong();
      low = random.nextLong();
    } while (high == 0 && low == 0);
    byte[] id = new byte[16];
    putLong(id, 0, high);
    putLong(id, 8, low);
    return id;
  }

  public static byte[] newSpanId(RandomGenerator random) {
    long value;
    do {
      value = random.nextLong();
    } while (value == 0);
    byte[] id = new byte[8];
    putLong(id, 0, value);
    return id;
  }

  /** Lower-case hex, as OTLP JSON and the query API spell ids. */
  public static String hex(byte[] id) {
    char[] out = new char[id.length * 2];
    for (int i = 0; i < id.length; i++) {
      out[2 * i] = Character.forDigit((id[i] >> 4) & 0xF, 16);
      out[2 * i + 1] = Character.forDigit(id[i] & 0xF, 16);
    }
    return new String(out);
  }

  private static void putLong(byte[] target, int offset, long value) {
    for (int i = 7; i >= 0; i--) {
      target[offset + i] = (byte) value;
      value >>>= 8;
    }
  }
}
