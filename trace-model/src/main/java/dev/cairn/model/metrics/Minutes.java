package dev.cairn.model.metrics;

/** Span metrics are kept per minute of span start time. */
public final class Minutes {

  public static final long NANOS = 60_000_000_000L;

  private Minutes() {}

  /** Start of the minute {@code unixNano} lies in. */
  public static long of(long unixNano) {
    return Math.floorDiv(unixNano, NANOS) * NANOS;
  }
}
