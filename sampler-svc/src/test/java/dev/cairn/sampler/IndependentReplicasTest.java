package dev.cairn.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.sampler.assembly.AssemblyLimits;
import dev.cairn.sampler.policy.PolicyFile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Two sampler replicas that share nothing (their own policy instances parsed from the same file,
 * their own clocks, other partitions, another arrival order and timing, the spans of a trace cut
 * into records differently) reach the same decision for every trace: every policy but rate limits
 * is a function of the trace alone, and the probabilistic ones of its id.
 */
class IndependentReplicasTest {

  private static final byte[] POLICIES =
      """
      base-rate: 0.1
      policies:
        - type: error
        - type: latency
          threshold: 1s
        - type: attribute
          name: vip
          key: user.tier
          equals: gold
        - type: probabilistic
          name: checkout-rate
          services: {checkout: 0.5}
      """
          .getBytes(StandardCharsets.UTF_8);

  private static final AssemblyLimits LIMITS =
      new AssemblyLimits(
          Duration.ofSeconds(1), Duration.ofSeconds(10), 1_000_000, 1_000_000_000, 10_000, 1 << 30);

  @Test
  void replicasDecideEveryTraceAlike() {
    Random random = new Random(11);
    List<List<Span>> traces = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      TraceId id = new TraceId(random.nextLong(), random.nextLong());
      traces.add(
          switch (i % 5) {
            case 0 -> SpanFixtures.threeServiceTrace(id, Traces.START);
            case 1 -> Traces.normal(id, 1_500);
            case 2 ->
                Traces.withAttribute(id, Attribute.of("user.tier", i % 2 == 0 ? "gold" : "tin"));
            case 3 -> checkoutRooted(id);
            default -> Traces.normal(id, 20);
          });
    }

    Map<TraceId, SamplingDecision> first = run(traces, new Random(1), 6, false);
    Map<TraceId, SamplingDecision> second = run(traces, new Random(2), 3, true);

    assertThat(first).hasSize(traces.size());
    assertThat(second).isEqualTo(first);
    long kept = first.values().stream().filter(SamplingDecision::keep).count();
    assertThat(kept)
        .as("errors, slow, vip, half of checkout, a tenth of the rest")
        .isBetween(500L, 700L);
  }

  private static List<Span> checkoutRooted(TraceId id) {
    return List.of(SpanFixtures.span(id, "checkout", "POST /orders").build());
  }

  /** One replica: traces spread over its partitions, in its own order, span by span or whole. */
  private static Map<TraceId, SamplingDecision> run(
      List<List<Span>> traces, Random random, int partitions, boolean spanPerRecord) {
    FakeTicker ticker = new FakeTicker();
    TailSampler sampler =
        new TailSampler(
            "in",
            PolicyFile.parse("p.yaml", POLICIES, 1.0, ticker),
            List.of(),
            LIMITS,
            10_000,
            Duration.ofSeconds(10),
            TraceWireCodec.DEFAULT_MAX_RECORD_BYTES,
            ticker,
            SamplerEvents.NONE);
    long[] offsets = new long[partitions];
    for (int p = 0; p < partitions; p++) {
      sampler.assign(p, 0, List.of());
    }
    List<List<Span>> order = new ArrayList<>(traces);
    Collections.shuffle(order, random);
    Map<TraceId, SamplingDecision> decisions = new HashMap<>();
    TailSampler.Sink sink =
        (key, decision, values, late, attachment) -> {
          SamplingDecision earlier = decisions.put(TraceId.fromBytes(key), decision);
          if (earlier != null && !earlier.equals(decision)) {
            throw new AssertionError("two decisions for one trace: " + earlier + ", " + decision);
          }
        };
    for (List<Span> trace : order) {
      TraceId id = trace.get(0).traceId();
      int partition = Math.floorMod(id.hashCode(), partitions);
      List<List<Span>> records =
          spanPerRecord ? trace.stream().map(List::of).toList() : List.of(trace);
      for (List<Span> record : records) {
        sampler.accept(
            partition, offsets[partition]++, id.toBytes(), Traces.record(record), null, sink);
      }
      ticker.advance(Duration.ofMillis(random.nextInt(5)));
      sampler.decideDue(sink);
    }
    ticker.advance(Duration.ofSeconds(20));
    sampler.decideDue(sink);
    return decisions;
  }
}
