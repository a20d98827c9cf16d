package dev.cairn.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.sampling.ConsistentSampler;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.model.wire.TraceWireCodec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordSamplerTest {

  private static byte[] value(TraceId id) {
    return TraceWireCodec.encode(
        OtlpSpanMapper.toTracesData(
            SpanFixtures.threeServiceTrace(id, 1_700_000_000_000_000_000L)));
  }

  @Test
  void probabilityOneKeepsEveryRecordWithItsBytesUnchanged() {
    RecordSampler sampler = new RecordSampler(new ProbabilisticPolicy(1.0));
    for (int i = 0; i < 200; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      byte[] value = value(id);
      RecordOutcome outcome = sampler.process(id.toBytes(), value);
      assertThat(outcome).isInstanceOf(RecordOutcome.Kept.class);
      RecordOutcome.Kept kept = (RecordOutcome.Kept) outcome;
      assertThat(kept.values()).containsExactly(value);
      assertThat(kept.key()).isEqualTo(id.toBytes());
      assertThat(kept.retention()).isEqualTo(RetentionClass.STANDARD);
      assertThat(kept.reason()).isEqualTo("probabilistic");
      assertThat(kept.spanCount()).isEqualTo(SpanFixtures.THREE_SERVICE_SPAN_COUNT);
    }
  }

  @Test
  void probabilityZeroDropsEveryRecord() {
    RecordSampler sampler = new RecordSampler(new ProbabilisticPolicy(0.0));
    TraceId id = SpanFixtures.randomTraceId();
    assertThat(sampler.process(id.toBytes(), value(id)))
        .isEqualTo(
            new RecordOutcome.Dropped("probabilistic", SpanFixtures.THREE_SERVICE_SPAN_COUNT));
  }

  @Test
  void halfKeepsExactlyWhatTheConsistentSamplerKeepsAndWritesTheThreshold() {
    RecordSampler sampler = new RecordSampler(new ProbabilisticPolicy(0.5));
    ConsistentSampler reference = ConsistentSampler.withProbability(0.5);
    int kept = 0;
    for (int i = 0; i < 400; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      List<Span> spans = List.of(SpanFixtures.span(id, "svc", "op").traceState("vendor=a").build());
      RecordOutcome outcome =
          sampler.process(id.toBytes(), TraceWireCodec.encode(OtlpSpanMapper.toTracesData(spans)));
      boolean expected = reference.keeps(id, "vendor=a");
      assertThat(outcome instanceof RecordOutcome.Kept).isEqualTo(expected);
      if (outcome instanceof RecordOutcome.Kept k) {
        kept++;
        Span out = OtlpSpanMapper.toSpans(TraceWireCodec.decode(k.values().get(0))).get(0);
        assertThat(out.traceState()).isEqualTo("ot=th:8,vendor=a");
        assertThat(ConsistentSampler.adjustedCount(out.traceState())).isEqualTo(2.0);
        // Nothing but the tracestate changed.
        assertThat(out)
            .usingRecursiveComparison()
            .ignoringFields("traceState")
            .isEqualTo(spans.get(0));
      }
    }
    assertThat(kept).isBetween(120, 280);
  }

  @Test
  void aRecordThatOutgrowsTheLimitThroughTheRewriteIsCutIntoPartsOfTheSameTrace() {
    // Randomness 0x90..: kept at 50 %, so every span's tracestate gains "ot=th:8".
    TraceId id = new TraceId(1, 0x0090000000000000L);
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      spans.add(SpanFixtures.span(id, "svc", "op-" + i).build());
    }
    byte[] value = TraceWireCodec.encode(OtlpSpanMapper.toTracesData(spans));
    // Just large enough for the record as received, too small once rewritten.
    RecordSampler sampler = new RecordSampler(new ProbabilisticPolicy(0.5), value.length);

    RecordOutcome.Kept kept = (RecordOutcome.Kept) sampler.process(id.toBytes(), value);

    assertThat(kept.values())
        .hasSizeGreaterThan(1)
        .allSatisfy(v -> assertThat(v.length).isLessThanOrEqualTo(value.length));
    List<Span> out = new ArrayList<>();
    kept.values().forEach(v -> out.addAll(OtlpSpanMapper.toSpans(TraceWireCodec.decode(v))));
    assertThat(out)
        .extracting(Span::name)
        .containsExactlyElementsOf(spans.stream().map(Span::name).toList());
    assertThat(out).allSatisfy(span -> assertThat(span.traceState()).isEqualTo("ot=th:8"));
    assertThat(kept.spanCount()).isEqualTo(200);
  }

  @Test
  void upstreamThresholdInTheTraceIsHonoured() {
    RecordSampler sampler = new RecordSampler(new ProbabilisticPolicy(0.5));
    // Randomness 0x90..: kept at 50 %, but upstream sampled at 25 % (th:c) and so did not keep it.
    TraceId id = new TraceId(1, 0x0090000000000000L);
    byte[] value =
        TraceWireCodec.encode(
            OtlpSpanMapper.toTracesData(
                List.of(SpanFixtures.span(id, "svc", "op").traceState("ot=th:c").build())));
    assertThat(sampler.process(id.toBytes(), value)).isInstanceOf(RecordOutcome.Dropped.class);
  }

  @Test
  void malformedRecordsAreRejectedWithAReason() {
    RecordSampler sampler = new RecordSampler(new ProbabilisticPolicy(1.0));
    TraceId id = SpanFixtures.randomTraceId();
    assertThat(sampler.process(new byte[3], value(id)))
        .isInstanceOfSatisfying(
            RecordOutcome.Rejected.class,
            r -> {
              assertThat(r.reason()).isEqualTo(RejectReason.INVALID_KEY);
              assertThat(r.detail()).contains("got 3 bytes");
            });
    assertThat(sampler.process(null, value(id)))
        .isInstanceOfSatisfying(
            RecordOutcome.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(RejectReason.INVALID_KEY));
    assertThat(sampler.process(id.toBytes(), new byte[] {(byte) 0xff, 1, 2}))
        .isInstanceOfSatisfying(
            RecordOutcome.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(RejectReason.INVALID_VALUE));
    assertThat(sampler.process(id.toBytes(), null))
        .isInstanceOfSatisfying(
            RecordOutcome.Rejected.class,
            r -> assertThat(r.reason()).isEqualTo(RejectReason.INVALID_VALUE));
    assertThat(sampler.process(id.toBytes(), new byte[0]))
        .isInstanceOfSatisfying(
            RecordOutcome.Rejected.class,
            r -> assertThat(r.detail()).isEqualTo("record holds no spans"));
  }
}
