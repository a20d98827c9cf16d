package dev.cairn.store.pg;

import dev.cairn.model.SpanId;
import dev.cairn.model.TraceId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Conversions between model values and the store's columns (ids, partition times, text).
 *
 * <p>Text columns cannot hold U+0000 in PostgreSQL; in the summary's root and service names it
 * becomes U+FFFD (segments keep every span exactly).
 */
final class SpanCopyEncoder {

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private SpanCopyEncoder() {}

  /** The partition column value: start time truncated to PostgreSQL's microsecond precision. */
  static Instant partitionTime(long unixNano) {
    return Instant.ofEpochSecond(
            Math.floorDiv(unixNano, NANOS_PER_SECOND), Math.floorMod(unixNano, NANOS_PER_SECOND))
        .truncatedTo(ChronoUnit.MICROS);
  }

  static UUID uuidOf(TraceId traceId) {
    return new UUID(traceId.high(), traceId.low());
  }

  static TraceId traceIdOf(UUID uuid) {
    return new TraceId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
  }

  static SpanId spanIdOf(long value) {
    return new SpanId(value);
  }

  static String clean(String text) {
    return text.indexOf('\0') >= 0 ? text.replace('\0', '\uFFFD') : text;
  }
}
