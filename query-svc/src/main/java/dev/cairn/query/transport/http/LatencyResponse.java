package dev.cairn.query.transport.http;

import dev.cairn.model.metrics.SeriesAggregate;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Percentiles of a merged duration histogram, in milliseconds; null without data. Interpolated
 * inside √2-wide buckets, so each lies in the bucket of the true value (DurationBuckets).
 */
@Schema(name = "Latency")
public record LatencyResponse(Double p50, Double p95, Double p99) {

  static LatencyResponse of(SeriesAggregate aggregate) {
    return new LatencyResponse(
        millis(aggregate, 0.5), millis(aggregate, 0.95), millis(aggregate, 0.99));
  }

  private static Double millis(SeriesAggregate aggregate, double q) {
    double nanos = aggregate.quantileNanos(q);
    return Double.isNaN(nanos) ? null : nanos / 1_000_000.0;
  }
}
