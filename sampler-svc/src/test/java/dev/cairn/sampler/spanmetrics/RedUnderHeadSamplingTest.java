package dev.cairn.sampler.spanmetrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.EdgeSeries;
import dev.cairn.model.metrics.SpanSeries;
import dev.cairn.model.sampling.ConsistentSampler;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The promise that RED figures stay right under head sampling: the same seeded traces
 * aggregated all (the truth) and only those a consistent 10 % head sampler keeps, with its {@code
 * ot=th} on their spans, as an agent writes it. Every series' weighted requests (and so its errors,
 * the requests of its ERROR series) and every edge's calls and errors match within 6 %: with
 * 250,000 traces the smallest series (15 % of them) keeps about 3,750 traces, so 6 % is nearly 4
 * standard errors of the estimate, and the seed is fixed.
 */
class RedUnderHeadSamplingTest {

  private static final int TRACES = 250_000;
  private static final double PROBABILITY = 0.1;
  private static final double TOLERANCE = 0.06;

  @Test
  void redCountsUnderTenPercentHeadSamplingMatchTheUnsampledTruth() {
    SyntheticTraces traces = new SyntheticTraces(20261202L);
    ConsistentSampler head = ConsistentSampler.withProbability(PROBABILITY);
    String threshold = head.traceStateForKept("");
    SpanMetricsAggregator all = aggregator();
    SpanMetricsAggregator sampled = aggregator();
    Totals truth = new Totals();
    Totals estimate = new Totals();
    int kept = 0;
    for (int i = 0; i < TRACES; i++) {
      TraceId id = traces.nextId();
      TracesData trace = traces.trace(id, "");
      all.observe(id, List.of(trace));
      if (head.keeps(id, "")) {
        sampled.observe(id, List.of(withTraceState(trace, threshold)));
        kept++;
      }
      if (i % 25_000 == 0) {
        truth.add(all);
        estimate.add(sampled);
      }
    }
    truth.add(all);
    estimate.add(sampled);

    assertThat(kept).isBetween((int) (TRACES * 0.098), (int) (TRACES * 0.102));
    assertThat(truth.spans).hasSize(17);
    assertThat(estimate.spans.keySet()).isEqualTo(truth.spans.keySet());
    truth.spans.forEach(
        (series, requests) ->
            assertThat(estimate.spans.get(series))
                .as("weighted requests of %s (truth %s)", series, requests)
                .isBetween(requests * (1 - TOLERANCE), requests * (1 + TOLERANCE)));
    assertThat(truth.edges).hasSize(8); // calls and errors of four edges
    truth.edges.forEach(
        (edge, calls) ->
            assertThat(estimate.edges.get(edge))
                .as("%s (truth %s)", edge, calls)
                .isBetween(calls * (1 - TOLERANCE), calls * (1 + TOLERANCE)));
  }

  private static SpanMetricsAggregator aggregator() {
    return new SpanMetricsAggregator(
        "cairn.metrics", SpanMetricsLimits.DEFAULT, SpanMetricsCounters.NONE);
  }

  /** The trace as a head sampler that kept it passes it on: {@code th} on every span. */
  private static TracesData withTraceState(TracesData trace, String traceState) {
    TracesData.Builder builder = trace.toBuilder();
    for (ResourceSpans.Builder rs : builder.getResourceSpansBuilderList()) {
      for (ScopeSpans.Builder ss : rs.getScopeSpansBuilderList()) {
        for (Span.Builder span : ss.getSpansBuilderList()) {
          span.setTraceState(traceState);
        }
      }
    }
    return builder.build();
  }

  /** Weighted requests per series, calls and errors per edge, summed over drains and minutes. */
  private static final class Totals {
    final Map<String, Double> spans = new HashMap<>();
    final Map<String, Double> edges = new HashMap<>();

    void add(SpanMetricsAggregator aggregator) {
      var records = aggregator.drain();
      for (SpanSeries s : SpanMetricsAggregatorTest.spanSeries(records)) {
        String key = s.service() + " " + s.operation() + " " + s.kind() + " " + s.status();
        spans.merge(key, s.aggregate().count(), Double::sum);
      }
      for (EdgeSeries e : SpanMetricsAggregatorTest.edgeSeries(records)) {
        String key = e.client() + " -> " + e.server() + " " + e.type();
        edges.merge(key + " calls", e.aggregate().count(), Double::sum);
        edges.merge(key + " errors", e.errors(), Double::sum);
      }
    }
  }
}
