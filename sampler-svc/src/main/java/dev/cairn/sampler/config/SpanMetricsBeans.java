package dev.cairn.sampler.config;

import dev.cairn.sampler.metrics.SpanMetricsMeters;
import dev.cairn.sampler.spanmetrics.SpanMetricsAggregator;
import dev.cairn.sampler.spanmetrics.SpanMetricsLimits;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The span-metric observer of complete traces, from {@code cairn.sampler.metrics-topic} and {@code
 * cairn.sampler.span-metrics.*}: inject a {@code CompletedTraceObserver} (or {@code
 * SpanMetricsAggregator}) into the sampling loop, which calls it from its one thread.
 */
@Dependent
public final class SpanMetricsBeans {

  @Produces
  @Singleton
  SpanMetricsAggregator spanMetricsAggregator(SamplerConfig config, SpanMetricsMeters meters) {
    SamplerConfig.SpanMetrics limits = config.spanMetrics();
    return new SpanMetricsAggregator(
        config.metricsTopic(),
        new SpanMetricsLimits(
            limits.maxSeries(), limits.maxOverflowSeries(), limits.seriesPerRecord()),
        meters);
  }
}
