package dev.cairn.model.metrics;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a series holds: weighted count, unweighted span count, weighted duration sum, weighted
 * duration histogram in {@link DurationBuckets}' layout, and an exemplar. Immutable; build or merge
 * with {@link Builder}.
 *
 * @param count sum of the adjusted counts of the spans (1 / head-sampling probability each)
 * @param spans spans counted, unweighted
 */
public record SeriesAggregate(
    double count,
    long spans,
    double durationSumNanos,
    double[] buckets,
    Optional<Exemplar> exemplar) {

  public SeriesAggregate {
    if (buckets.length != DurationBuckets.COUNT) {
      throw new IllegalArgumentException(
          "expected " + DurationBuckets.COUNT + " buckets, got " + buckets.length);
    }
    buckets = buckets.clone();
  }

  @Override
  public double[] buckets() {
    return buckets.clone();
  }

  /** The {@code q}-quantile of the durations in nanoseconds ({@link DurationBuckets#quantile}). */
  public double quantileNanos(double q) {
    return DurationBuckets.quantile(buckets, q);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SeriesAggregate o
        && Double.compare(count, o.count) == 0
        && spans == o.spans
        && Double.compare(durationSumNanos, o.durationSumNanos) == 0
        && Arrays.equals(buckets, o.buckets)
        && exemplar.equals(o.exemplar);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(buckets) + Double.hashCode(count) + exemplar.hashCode();
  }

  @Override
  public String toString() {
    return "SeriesAggregate[count="
        + count
        + ", spans="
        + spans
        + ", durationSumNanos="
        + durationSumNanos
        + ", buckets="
        + Arrays.toString(buckets)
        + ", exemplar="
        + exemplar
        + "]";
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Adds spans or whole aggregates; not thread-safe. */
  public static final class Builder {
    private double count;
    private long spans;
    private double durationSumNanos;
    private final double[] buckets = new double[DurationBuckets.COUNT];
    private Exemplar exemplar;

    private Builder() {}

    /** One span of {@code durationNanos} standing for {@code weight} spans. */
    public Builder add(double weight, long durationNanos, Exemplar candidate) {
      long duration = Math.max(0, durationNanos);
      count += weight;
      spans++;
      durationSumNanos += weight * duration;
      buckets[DurationBuckets.indexOf(duration)] += weight;
      exemplar = Exemplar.preferred(exemplar, candidate);
      return this;
    }

    public Builder merge(SeriesAggregate other) {
      count += other.count;
      spans += other.spans;
      durationSumNanos += other.durationSumNanos;
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] += other.buckets[i];
      }
      exemplar = Exemplar.preferred(exemplar, other.exemplar.orElse(null));
      return this;
    }

    public long spans() {
      return spans;
    }

    public SeriesAggregate build() {
      return new SeriesAggregate(
          count, spans, durationSumNanos, buckets, Optional.ofNullable(exemplar));
    }
  }
}
