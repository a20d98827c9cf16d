package dev.cairn.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.sampling.ConsistentSampler;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.sampler.assembly.AssemblyLimits;
import dev.cairn.sampler.assembly.CompletionCause;
import dev.cairn.sampler.policy.PolicySettings;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Trace assembly, decisions, late spans and bad records, through the sampler's one entry point. */
class TailSamplerTest {

  static final Duration WAIT = Duration.ofSeconds(1);
  static final AssemblyLimits LIMITS =
      new AssemblyLimits(WAIT, Duration.ofSeconds(5), 10_000, 10_000_000, 1_000, 10_000_000);

  private final FakeTicker ticker = new FakeTicker();
  private final CountingEvents events = new CountingEvents();
  private final List<String> calls = new ArrayList<>();
  private final List<Published> published = new ArrayList<>();
  private final TailSampler.Sink sink =
      (key, decision, values, late, attachment) ->
          published.add(new Published(TraceId.fromBytes(key), decision, values, late, attachment));

  record Published(
      TraceId traceId,
      SamplingDecision decision,
      List<byte[]> values,
      boolean late,
      Object attachment) {}

  private TailSampler sampler(SamplingPolicy policy, List<CompletedTraceObserver> observers) {
    TailSampler sampler =
        new TailSampler(
            "in",
            policy,
            observers,
            LIMITS,
            1_000,
            Duration.ofSeconds(10),
            TraceWireCodec.DEFAULT_MAX_RECORD_BYTES,
            ticker,
            events);
    sampler.assign(0, 0, List.of());
    return sampler;
  }

  private SamplingPolicy recording(SamplingPolicy policy) {
    return trace -> {
      calls.add("decide " + trace.traceId() + " " + trace.spanCount());
      return policy.decide(trace);
    };
  }

  private CompletedTraceObserver observer() {
    return new CompletedTraceObserver() {
      @Override
      public void observe(TraceId traceId, List<TracesData> parts) {
        calls.add("observe " + traceId + " " + parts.size());
      }

      @Override
      public List<OutboundRecord> drain() {
        return List.of();
      }
    };
  }

  @Test
  void aCompleteTraceIsObservedThenDecidedOnceAndEveryRecordFollowsTheDecision() {
    SamplingPolicy keepAll = new PolicySettings(1.0, Optional.empty(), Set.of()).defaultChain();
    TailSampler sampler = sampler(recording(keepAll), List.of(observer()));
    TraceId id = SpanFixtures.randomTraceId();
    List<Span> spans = Traces.normal(id, 20);
    byte[] child = Traces.record(spans.subList(1, 2));
    byte[] root = Traces.record(spans.subList(0, 1));

    assertThat(sampler.accept(0, 0, id.toBytes(), child, "first", sink))
        .isEqualTo(TailSampler.Arrival.BUFFERED);
    assertThat(sampler.accept(0, 1, id.toBytes(), root, null, sink))
        .isEqualTo(TailSampler.Arrival.BUFFERED);
    ticker.advance(WAIT.minusMillis(1));
    sampler.decideDue(sink);
    assertThat(published).isEmpty();
    assertThat(sampler.commit(0, 0).offset()).as("held at the trace's first record").isZero();

    ticker.advance(Duration.ofMillis(1));
    sampler.decideDue(sink);

    assertThat(calls).containsExactly("observe " + id + " 2", "decide " + id + " 2");
    assertThat(published).hasSize(2);
    assertThat(published.get(0).values()).singleElement().isSameAs(child);
    assertThat(published.get(0).attachment()).isEqualTo("first");
    assertThat(published.get(1).values()).singleElement().isSameAs(root);
    assertThat(published)
        .extracting(Published::decision)
        .containsOnly(SamplingDecision.sampled("base_rate", 1.0));
    assertThat(events.causes).containsExactly(CompletionCause.QUIET);
    assertThat(sampler.commit(0, 0).offset()).isEqualTo(2);
  }

  @Test
  void aLateSpanFollowsTheDecisionTakenAndNeverStartsAnother() {
    SamplingPolicy errorsOnly = new PolicySettings(0.0, Optional.empty(), Set.of()).defaultChain();
    TailSampler sampler = sampler(recording(errorsOnly), List.of());
    TraceId failed = SpanFixtures.randomTraceId();
    TraceId normal = SpanFixtures.randomTraceId();
    List<Span> failedSpans = SpanFixtures.threeServiceTrace(failed, Traces.START);
    List<Span> normalSpans = Traces.normal(normal, 20);
    List<Span> failedFirst = new ArrayList<>(failedSpans);
    Span failedLate = failedFirst.remove(1);
    sampler.accept(0, 0, failed.toBytes(), Traces.record(failedFirst), null, sink);
    sampler.accept(0, 1, normal.toBytes(), Traces.record(normalSpans), null, sink);
    ticker.advance(WAIT);
    sampler.decideDue(sink);
    assertThat(calls).hasSize(2);
    assertThat(published).as("published with the decision: on time").noneMatch(Published::late);
    published.clear();

    // A span of the kept trace comes late; so does an error span of the dropped one, which would
    // have kept it, had it come in time.
    byte[] lateKept = Traces.record(List.of(failedLate));
    Span lateError =
        SpanFixtures.span(normal, "payments", "POST /api/charge")
            .parent(normalSpans.get(1).spanId())
            .error("card declined")
            .build();
    assertThat(sampler.accept(0, 2, failed.toBytes(), lateKept, null, sink))
        .isEqualTo(TailSampler.Arrival.LATE);
    assertThat(
            sampler.accept(0, 3, normal.toBytes(), Traces.record(List.of(lateError)), null, sink))
        .isEqualTo(TailSampler.Arrival.LATE);
    ticker.advance(WAIT.multipliedBy(10));
    sampler.decideDue(sink);

    assertThat(calls).as("no second decision").hasSize(2);
    assertThat(published).hasSize(2).allMatch(Published::late);
    assertThat(published.get(0).decision())
        .isEqualTo(SamplingDecision.keep("error", RetentionClass.EXTENDED));
    assertThat(published.get(0).values()).singleElement().isSameAs(lateKept);
    assertThat(published.get(1).decision()).isEqualTo(SamplingDecision.drop("base_rate"));
    assertThat(published.get(1).values()).isEmpty();
    assertThat(events.lateKept).isEqualTo(1);
    assertThat(events.lateDropped).isEqualTo(1);
    assertThat(sampler.commit(0, 0).offset()).isEqualTo(4);
  }

  @Test
  void keptSpansOfASampledTraceCarryTheThresholdOfItsRate() {
    SamplingPolicy half = new PolicySettings(0.5, Optional.empty(), Set.of()).defaultChain();
    TailSampler sampler = sampler(half, List.of());
    ConsistentSampler reference = ConsistentSampler.withProbability(0.5);
    List<TraceId> ids = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      ids.add(id);
      sampler.accept(0, i, id.toBytes(), Traces.record(Traces.normal(id, 20)), null, sink);
    }
    ticker.advance(WAIT);
    sampler.decideDue(sink);

    assertThat(published).hasSize(40);
    for (Published record : published) {
      assertThat(record.decision().keep()).isEqualTo(reference.keeps(record.traceId(), ""));
      for (byte[] value : record.values()) {
        for (Span span : OtlpSpanMapper.toSpans(TraceWireCodec.decode(value))) {
          assertThat(span.traceState()).isEqualTo("ot=th:8");
        }
      }
    }
  }

  @Test
  void badRecordsAreCountedAndSkippedAndDoNotHoldTheCommitBack() {
    TailSampler sampler =
        sampler(new PolicySettings(1.0, Optional.empty(), Set.of()).defaultChain(), List.of());
    TraceId id = SpanFixtures.randomTraceId();

    assertThat(sampler.accept(0, 0, new byte[3], new byte[] {1}, null, sink))
        .isEqualTo(TailSampler.Arrival.REJECTED);
    assertThat(sampler.accept(0, 1, id.toBytes(), new byte[] {-1, 9}, null, sink))
        .isEqualTo(TailSampler.Arrival.REJECTED);
    assertThat(
            sampler.accept(
                0, 2, id.toBytes(), TracesData.getDefaultInstance().toByteArray(), null, sink))
        .isEqualTo(TailSampler.Arrival.REJECTED);
    assertThat(sampler.accept(0, 3, id.toBytes(), null, null, sink))
        .isEqualTo(TailSampler.Arrival.REJECTED);

    assertThat(events.rejected)
        .containsExactly("invalid_key", "invalid_value", "invalid_value", "invalid_value");
    assertThat(sampler.commit(0, 0).offset()).isEqualTo(4);
    assertThat(published).isEmpty();
  }

  @Test
  void aFailingPolicyOrObserverKeepsTheTraceAndTheStreamGoing() {
    CompletedTraceObserver broken =
        new CompletedTraceObserver() {
          @Override
          public void observe(TraceId traceId, List<TracesData> parts) {
            throw new IllegalStateException("observer bug");
          }

          @Override
          public List<OutboundRecord> drain() {
            return List.of();
          }
        };
    TailSampler sampler =
        sampler(
            trace -> {
              throw new IllegalStateException("policy bug");
            },
            List.of(broken));
    TraceId id = SpanFixtures.randomTraceId();
    sampler.accept(0, 0, id.toBytes(), Traces.record(Traces.normal(id, 20)), null, sink);
    ticker.advance(WAIT);
    sampler.decideDue(sink);

    assertThat(published).singleElement().satisfies(p -> assertThat(p.decision().keep()).isTrue());
    assertThat(events.failures).containsExactly("observer", "policy");
  }
}
