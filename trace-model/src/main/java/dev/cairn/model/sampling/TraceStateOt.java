package dev.cairn.model.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * The sampling fields of a W3C tracestate's OpenTelemetry ({@code ot}) entry: {@code th} (1 to 14
 * hex digits, right-padded with zeros to 56 bits) and {@code rv} (exactly 14 hex digits). Anything
 * malformed reads as absent (-1).
 */
record TraceStateOt(long threshold, long randomness) {

  static final long MAX = 1L << 56;
  private static final int HEX_DIGITS = 14;
  private static final int MAX_ENTRIES = 32;
  private static final TraceStateOt ABSENT = new TraceStateOt(-1, -1);

  static TraceStateOt parse(String traceState) {
    String ot = otValue(traceState);
    if (ot == null) {
      return ABSENT;
    }
    long threshold = -1;
    long randomness = -1;
    for (String field : ot.split(";", -1)) {
      if (field.startsWith("th:")) {
        threshold = parseHex(field, 3, 1, HEX_DIGITS, true);
      } else if (field.startsWith("rv:")) {
        randomness = parseHex(field, 3, HEX_DIGITS, HEX_DIGITS, false);
      }
    }
    return new TraceStateOt(threshold, randomness);
  }

  /** The value of the {@code ot} list member, or null. */
  private static String otValue(String traceState) {
    if (traceState == null || traceState.isEmpty()) {
      return null;
    }
    for (String member : traceState.split(",", -1)) {
      String trimmed = member.strip();
      if (trimmed.startsWith("ot=")) {
        return trimmed.substring(3);
      }
    }
    return null;
  }

  /** Parses hex digits after {@code offset}; -1 when the length or a digit is wrong. */
  private static long parseHex(String s, int offset, int minDigits, int maxDigits, boolean pad) {
    int digits = s.length() - offset;
    if (digits < minDigits || digits > maxDigits) {
      return -1;
    }
    long value = 0;
    for (int i = offset; i < s.length(); i++) {
      int digit = Character.digit(s.charAt(i), 16);
      if (digit < 0) {
        return -1;
      }
      value = (value << 4) | digit;
    }
    return pad ? value << (4 * (HEX_DIGITS - digits)) : value;
  }

  static String encodeThreshold(long threshold) {
    if (threshold < 0 || threshold >= MAX) {
      throw new IllegalArgumentException("threshold must be in [0, 2^56): " + threshold);
    }
    if (threshold == 0) {
      return "0";
    }
    String hex = String.format("%014x", threshold);
    int end = hex.length();
    while (hex.charAt(end - 1) == '0') {
      end--;
    }
    return hex.substring(0, end);
  }

  /** {@code traceState} with {@code ot}'s th replaced, the {@code ot} entry first. */
  static String withThreshold(String traceState, long threshold) {
    StringBuilder ot = new StringBuilder("ot=th:").append(encodeThreshold(threshold));
    List<String> others = new ArrayList<>();
    if (traceState != null && !traceState.isEmpty()) {
      for (String member : traceState.split(",", -1)) {
        String trimmed = member.strip();
        if (trimmed.isEmpty()) {
          continue;
        }
        if (trimmed.startsWith("ot=")) {
          for (String field : trimmed.substring(3).split(";", -1)) {
            if (!field.isEmpty() && !field.startsWith("th:")) {
              ot.append(';').append(field);
            }
          }
        } else {
          others.add(trimmed);
        }
      }
    }
    StringBuilder out = new StringBuilder(ot);
    // W3C allows 32 list members; when adding ours overflows, the rightmost go.
    for (int i = 0; i < others.size() && i < MAX_ENTRIES - 1; i++) {
      out.append(',').append(others.get(i));
    }
    return out.toString();
  }
}
