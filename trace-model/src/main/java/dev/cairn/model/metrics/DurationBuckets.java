package dev.cairn.model.metrics;

import java.util.Arrays;

/**
 * The one layout of span-duration histograms (wire {@code bucket_layout} 1): {@value #COUNT}
 * buckets whose upper bounds grow by √2, from 1 µs (bucket 0: up to 1 µs) to 2^31 µs ≈ 36 min
 * (bucket 62), and bucket 63 for anything longer. Fixed, so that histograms from any replica and
 * any minute add up bucket by bucket. A percentile is interpolated inside its bucket, so it lies in
 * the same √2-wide bucket as the true value: off by less than a factor √2 at worst, by about 19 %
 * around the bucket's geometric middle (the resolution of OpenTelemetry's exponential histograms at
 * scale 1).
 */
public final class DurationBuckets {

  /** The wire's {@code bucket_layout} for this layout. */
  public static final int LAYOUT = 1;

  public static final int COUNT = 64;

  /** Index of the overflow bucket (no upper bound). */
  public static final int OVERFLOW = COUNT - 1;

  private static final long[] UPPER_BOUNDS = new long[OVERFLOW];

  static {
    for (int i = 0; i < OVERFLOW; i++) {
      UPPER_BOUNDS[i] = Math.round(1_000.0 * Math.pow(2.0, i / 2.0));
    }
  }

  private DurationBuckets() {}

  /** The bucket a duration falls in: the first whose upper bound is at least the duration. */
  public static int indexOf(long durationNanos) {
    int found = Arrays.binarySearch(UPPER_BOUNDS, durationNanos);
    return found >= 0 ? found : -found - 1; // insertion point; OVERFLOW when past the last bound
  }

  /** Upper bound of bucket {@code index} in nanoseconds (inclusive); infinite for the overflow. */
  public static double upperBoundNanos(int index) {
    return index >= OVERFLOW ? Double.POSITIVE_INFINITY : UPPER_BOUNDS[index];
  }

  /** Lower bound of bucket {@code index} in nanoseconds (exclusive); 0 for bucket 0. */
  public static double lowerBoundNanos(int index) {
    return index == 0 ? 0 : UPPER_BOUNDS[index - 1];
  }

  /**
   * The {@code q}-quantile (0 to 1) of a histogram in this layout, in nanoseconds, interpolated
   * inside its bucket on a log scale (linearly in bucket 0; the overflow bucket answers its lower
   * bound); NaN for an empty histogram.
   */
  public static double quantile(double[] counts, double q) {
    if (counts.length != COUNT) {
      throw new IllegalArgumentException("expected " + COUNT + " buckets, got " + counts.length);
    }
    if (!(q >= 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile must be in [0, 1]: " + q);
    }
    double total = 0;
    for (double count : counts) {
      total += count;
    }
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = q * total;
    double below = 0;
    for (int i = 0; i < COUNT; i++) {
      double count = counts[i];
      if (count > 0 && below + count >= rank) {
        if (i == OVERFLOW) {
          return lowerBoundNanos(i);
        }
        double fraction = (rank - below) / count;
        double lower = lowerBoundNanos(i);
        double upper = upperBoundNanos(i);
        return i == 0 ? upper * fraction : lower * Math.pow(upper / lower, fraction);
      }
      below += count;
    }
    return lowerBoundNanos(OVERFLOW);
  }
}
