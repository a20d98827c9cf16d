package dev.cairn.collector.ingest;

import java.time.Duration;

/**
 * The span times the gateway accepts, relative to its own clock: a span must have started at most
 * {@code maxSpanAge} ago and must end at most {@code maxFutureSkew} ahead. Older spans would land
 * in chunks that retention already dropped (or creates chunks decades away); later ones come from
 * clocks that are wrong. Times inside the window are kept exactly as received.
 */
public record SpanTimeWindow(Duration maxSpanAge, Duration maxFutureSkew) {

  /** The longest span retention (the {@code extended} class). */
  public static final Duration DEFAULT_MAX_SPAN_AGE = Duration.ofDays(30);

  public static final Duration DEFAULT_MAX_FUTURE_SKEW = Duration.ofHours(1);

  public static final SpanTimeWindow DEFAULTS =
      new SpanTimeWindow(DEFAULT_MAX_SPAN_AGE, DEFAULT_MAX_FUTURE_SKEW);

  public SpanTimeWindow {
    if (maxSpanAge.isNegative()
        || maxFutureSkew.isNegative()
        || maxSpanAge.toDays() > 365L * 100
        || maxFutureSkew.toDays() > 365L * 100) {
      throw new IllegalArgumentException("span time window out of bounds: " + this);
    }
  }

  /**
   * Whether a span with these (unsigned, fixed64) times lies in the window at {@code nowNanos}. The
   * end is checked against the future bound rather than the start: a span that ends beyond it is as
   * wrong as one that starts there, and the start is never after the end of a valid span.
   */
  boolean contains(long startUnixNano, long endUnixNano, long nowNanos) {
    long earliestStart = nowNanos - maxSpanAge.toNanos();
    long latestEnd = nowNanos + maxFutureSkew.toNanos();
    return Long.compareUnsigned(startUnixNano, earliestStart) >= 0
        && Long.compareUnsigned(endUnixNano, latestEnd) <= 0;
  }
}
