package dev.cairn.query.metrics;

import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.store.MetricsPoint;

/**
 * The figures every metrics answer derives from stored aggregates (REST and GraphQL alike), so both
 * surfaces give the same numbers. Counts are weighted by adjusted count.
 */
public final class MetricFigures {

  private MetricFigures() {}

  /** Requests per second over a step. */
  public static double requestRate(MetricsPoint point, long stepSeconds) {
    return point.aggregate().count() / stepSeconds;
  }

  /** Errors per request (0 to 1); null without requests. */
  public static Double errorRate(MetricsPoint point) {
    double requests = point.aggregate().count();
    return requests > 0 ? point.errors() / requests : null;
  }

  /**
   * The {@code q} quantile of the merged duration histogram in milliseconds; null without data.
   * Interpolated inside √2-wide buckets, so it lies in the bucket of the true value.
   */
  public static Double latencyMillis(SeriesAggregate aggregate, double q) {
    double nanos = aggregate.quantileNanos(q);
    return Double.isNaN(nanos) ? null : nanos / 1_000_000.0;
  }
}
