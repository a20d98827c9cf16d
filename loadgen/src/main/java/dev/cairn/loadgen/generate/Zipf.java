package dev.cairn.loadgen.generate;

import java.util.random.RandomGenerator;

/**
 * Zipf's law over ranks {@code 1..n}: rank {@code k} has probability proportional to {@code
 * 1/k^exponent}. Real attribute values look like this (a few customers, routes or tenants carry
 * most traffic; a long tail is rare), so searches for a common and for a rare value cost
 * differently. Sampled by binary search over the precomputed cumulative distribution: {@code O(log
 * n)}, {@code 8n} bytes.
 */
public final class Zipf {

  private final double exponent;
  private final double[] cumulative;

  public Zipf(int n, double exponent) {
    if (n < 1) {
      throw new IllegalArgumentException("n must be >= 1: " + n);
    }
    if (!(exponent >= 0)) {
      throw new IllegalArgumentException("exponent must be >= 0: " + exponent);
    }
    this.exponent = exponent;
    this.cumulative = new double[n];
    double sum = 0;
    for (int k = 1; k <= n; k++) {
      sum += Math.pow(k, -exponent);
      cumulative[k - 1] = sum;
    }
    for (int i = 0; i < n; i++) {
      cumulative[i] /= sum;
    }
    cumulative[n - 1] = 1.0;
  }

  public int size() {
    return cumulative.length;
  }

  /** A rank in {@code [1, n]}. */
  public int sample(RandomGenerator random) {
    double u = random.nextDouble();
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (cumulative[mid] > u) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low + 1;
  }

  /** The probability of {@code rank}. */
  public double probability(int rank) {
    if (rank < 1 || rank > cumulative.length) {
      return 0;
    }
    return rank == 1 ? cumulative[0] : cumulative[rank - 1] - cumulative[rank - 2];
  }

  public double exponent() {
    return exponent;
  }
}
