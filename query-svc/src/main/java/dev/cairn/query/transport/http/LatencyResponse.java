package dev.cairn.query.transport.http;

import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.query.metrics.MetricFigures;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Percentiles of a merged duration histogram, in milliseconds; null without data. Interpolated
 * inside √2-wide buckets, so each lies in the bucket of the true value (DurationBuckets).
 */
@Schema(name = "Latency")
public record LatencyResponse(Double p50, Double p95, Double p99) {

  static LatencyResponse of(SeriesAggregate aggregate) {
    return new LatencyResponse(
        MetricFigures.latencyMillis(aggregate, 0.5),
        MetricFigures.latencyMillis(aggregate, 0.95),
        MetricFigures.latencyMillis(aggregate, 0.99));
  }
}
