package dev.cairn.sampler.metrics;

import dev.cairn.sampler.spanmetrics.SpanMetricsCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the span-metric bounds cost, on /q/metrics: {@code
 * cairn_sampler_span_metrics_folded_total{family}} (spans or edges counted in an overflow series)
 * and {@code cairn_sampler_span_metrics_dropped_total{family}} (not counted at all), {@code family}
 * {@code span} or {@code edge}.
 */
@ApplicationScoped
public class SpanMetricsMeters implements SpanMetricsCounters {

  private final Map<SeriesFamily, Counter> folded = new EnumMap<>(SeriesFamily.class);
  private final Map<SeriesFamily, Counter> dropped = new EnumMap<>(SeriesFamily.class);

  public SpanMetricsMeters(MeterRegistry registry) {
    for (SeriesFamily family : SeriesFamily.values()) {
      folded.put(
          family,
          Counter.builder("cairn.sampler.span.metrics.folded")
              .tag("family", family.tag())
              .description("Spans or edges counted in an overflow series: their own did not fit")
              .register(registry));
      dropped.put(
          family,
          Counter.builder("cairn.sampler.span.metrics.dropped")
              .tag("family", family.tag())
              .description("Spans or edges not counted: the overflow series were full too")
              .register(registry));
    }
  }

  @Override
  public void folded(SeriesFamily family) {
    folded.get(family).increment();
  }

  @Override
  public void dropped(SeriesFamily family) {
    dropped.get(family).increment();
  }
}
