package dev.cairn.loadgen.bulk;

/**
 * What a bulk load writes, split into time slices that can be generated in any order by any thread
 * with the same result: slice {@code j} covers {@code [start + j * slice, start + (j + 1) * slice)}
 * (the last one ends at the window's end), holds about {@code totalSpans / slices} spans of traces
 * ending inside it, and draws them from a random stream seeded by {@link #sliceSeed(int)} alone.
 * Pure.
 *
 * @param totalSpans spans to write in all (each slice overshoots by less than one trace)
 * @param windowStartNanos earliest trace end, Unix epoch nanoseconds
 * @param windowEndNanos latest trace end (exclusive), e.g. now
 * @param sliceNanos length of one slice
 * @param seed the seed every slice's stream derives from
 */
public record BulkPlan(
    long totalSpans, long windowStartNanos, long windowEndNanos, long sliceNanos, long seed) {

  /**
   * Spans a slice aims at when the slice length is chosen for the caller: enough that stopping at a
   * trace boundary overshoots by little (a trace is tens of spans), few enough that slices of every
   * hour of the window exist.
   */
  public static final long SPANS_PER_SLICE = 2_000;

  /** Shortest slice chosen for the caller. */
  public static final long MIN_SLICE_NANOS = 60_000_000_000L;

  /** A plan whose slices hold about {@link #SPANS_PER_SLICE} spans, each at least a minute long. */
  public static BulkPlan evenly(
      long totalSpans, long windowStartNanos, long windowEndNanos, long seed) {
    long window = windowEndNanos - windowStartNanos;
    long slices = Math.max(1, Math.min(totalSpans / SPANS_PER_SLICE, window / MIN_SLICE_NANOS));
    return new BulkPlan(
        totalSpans, windowStartNanos, windowEndNanos, (window + slices - 1) / slices, seed);
  }

  public BulkPlan {
    if (totalSpans < 1) {
      throw new IllegalArgumentException("totalSpans must be >= 1: " + totalSpans);
    }
    if (windowEndNanos <= windowStartNanos) {
      throw new IllegalArgumentException("the window must end after it starts");
    }
    if (sliceNanos < 1) {
      throw new IllegalArgumentException("sliceNanos must be >= 1: " + sliceNanos);
    }
    long slices = (windowEndNanos - windowStartNanos + sliceNanos - 1) / sliceNanos;
    if (slices > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("too many slices: " + slices + "; choose longer slices");
    }
  }

  public int slices() {
    return (int) ((windowEndNanos - windowStartNanos + sliceNanos - 1) / sliceNanos);
  }

  public long sliceStart(int slice) {
    return windowStartNanos + slice * sliceNanos;
  }

  public long sliceEnd(int slice) {
    return Math.min(windowEndNanos, sliceStart(slice) + sliceNanos);
  }

  /** Spans slice {@code slice} asks for: an even share, the remainder on the first slices. */
  public long spansOf(int slice) {
    int slices = slices();
    return totalSpans / slices + (slice < totalSpans % slices ? 1 : 0);
  }

  /**
   * The seed of a slice's random stream. Hashed: {@code SplittableRandom}s seeded {@code γ} apart
   * (its own increment) would give the same stream shifted by one value, so neighbouring slices
   * would repeat each other's traces.
   */
  public long sliceSeed(int slice) {
    return mix64(seed ^ mix64(slice + 1L));
  }

  /** MurmurHash3's 64-bit finaliser. */
  private static long mix64(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
