package dev.cairn.loadgen.generate;

import java.util.random.RandomGenerator;

/**
 * A log-normal latency distribution, the usual shape of request latencies: most calls near the
 * median, a long tail to the right.
 *
 * @param medianNanos the median duration
 * @param sigma the spread of {@code ln(duration)}; 0.5 gives p99 ≈ 3.2 × median
 */
public record LogNormal(long medianNanos, double sigma) {

  public LogNormal {
    if (medianNanos < 1 || sigma < 0) {
      throw new IllegalArgumentException("median must be >= 1 ns and sigma >= 0");
    }
  }

  public long sample(RandomGenerator random) {
    double value = medianNanos * Math.exp(sigma * random.nextGaussian());
    return Math.max(1, Math.min((long) value, Long.MAX_VALUE / 4));
  }
}
