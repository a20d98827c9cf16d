package dev.cairn.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DurationBucketsTest {

  @Test
  void boundsAreInclusiveAndGrowBySquareRootOfTwo() {
    assertThat(DurationBuckets.indexOf(0)).isZero();
    assertThat(DurationBuckets.indexOf(1_000)).isZero();
    assertThat(DurationBuckets.indexOf(1_001)).isEqualTo(1);
    assertThat(DurationBuckets.indexOf(1_414)).isEqualTo(1);
    assertThat(DurationBuckets.indexOf(1_415)).isEqualTo(2);
    assertThat(DurationBuckets.indexOf(2_000)).isEqualTo(2);
    assertThat(DurationBuckets.upperBoundNanos(20)).isEqualTo(1_024_000.0); // 1.024 ms
    assertThat(DurationBuckets.indexOf(1_024_000)).isEqualTo(20);
    assertThat(DurationBuckets.indexOf(1_024_001)).isEqualTo(21);
  }

  @Test
  void longDurationsFallInTheOverflowBucket() {
    long last = (long) DurationBuckets.upperBoundNanos(DurationBuckets.OVERFLOW - 1);
    assertThat(last).isEqualTo(1_000L << 31);
    assertThat(DurationBuckets.indexOf(last)).isEqualTo(DurationBuckets.OVERFLOW - 1);
    assertThat(DurationBuckets.indexOf(last + 1)).isEqualTo(DurationBuckets.OVERFLOW);
    assertThat(DurationBuckets.indexOf(Long.MAX_VALUE)).isEqualTo(DurationBuckets.OVERFLOW);
    assertThat(DurationBuckets.upperBoundNanos(DurationBuckets.OVERFLOW)).isInfinite();
  }

  @Test
  void quantilesOfLogUniformDurationsAreWithinABucketsError() {
    SplittableRandom random = new SplittableRandom(7);
    long[] durations = new long[100_000];
    double[] counts = new double[DurationBuckets.COUNT];
    for (int i = 0; i < durations.length; i++) {
      durations[i] = (long) Math.exp(Math.log(50_000) + random.nextDouble() * Math.log(10_000));
      counts[DurationBuckets.indexOf(durations[i])]++;
    }
    Arrays.sort(durations);
    for (double q : new double[] {0.5, 0.95, 0.99}) {
      double exact = durations[(int) (q * durations.length) - 1];
      assertThat(DurationBuckets.quantile(counts, q)).isCloseTo(exact, within(0.05 * exact));
    }
  }

  @Test
  void weightedCountsShiftTheQuantile() {
    double[] counts = new double[DurationBuckets.COUNT];
    counts[DurationBuckets.indexOf(2_000_000)] = 1; // one fast span standing for one
    counts[DurationBuckets.indexOf(500_000_000)] = 10; // one slow span standing for ten
    assertThat(DurationBuckets.quantile(counts, 0.5)).isGreaterThan(300_000_000);
    assertThat(DurationBuckets.quantile(counts, 0.05)).isLessThan(3_000_000);
  }

  @Test
  void emptyHistogramHasNoQuantileAndOverflowAnswersItsLowerBound() {
    double[] counts = new double[DurationBuckets.COUNT];
    assertThat(DurationBuckets.quantile(counts, 0.5)).isNaN();
    counts[DurationBuckets.OVERFLOW] = 3;
    assertThat(DurationBuckets.quantile(counts, 0.99))
        .isEqualTo(DurationBuckets.lowerBoundNanos(DurationBuckets.OVERFLOW));
  }
}
