package dev.cairn.sampler.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.wire.TraceWireCodec;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Base rate 0.5: exactly the traces the pure function keeps, with th:8 on every span. */
@QuarkusTest
@TestProfile(SamplerHalfIT.HalfProbability.class)
class SamplerHalfIT extends AbstractSamplerIT {

  public static final class HalfProbability implements QuarkusTestProfile {
    private static final String RUN = UUID.randomUUID().toString();

    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "cairn.sampler.base-rate", "0.5",
          "cairn.sampler.ingested-topic", "cairn.spans.ingested.sampler-half-" + RUN,
          "cairn.sampler.sampled-topic", "cairn.spans.sampled.sampler-half-" + RUN,
          "cairn.sampler.decision-log-topic", "cairn.sampler.decisions.sampler-half-" + RUN,
          "cairn.sampler.group-id", "cairn-sampler-half-" + RUN);
    }
  }

  @Override
  void checkValue(byte[] sent, byte[] published) {
    List<Span> before = OtlpSpanMapper.toSpans(TraceWireCodec.decode(sent));
    List<Span> after = OtlpSpanMapper.toSpans(TraceWireCodec.decode(published));
    assertThat(after).hasSameSizeAs(before);
    for (int i = 0; i < before.size(); i++) {
      // No tracestate before: the effective 50 % threshold after.
      assertThat(after.get(i).traceState()).isEqualTo("ot=th:8");
      assertThat(after.get(i))
          .usingRecursiveComparison()
          .ignoringFields("traceState")
          .isEqualTo(before.get(i));
    }
  }
}
