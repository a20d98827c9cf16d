package dev.cairn.model.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.model.TraceId;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsistentSamplerTest {

  private static final long TWO_56 = 1L << 56;
  private static final int N = 200_000;

  private static TraceId[] ids(long seed) {
    Random random = new Random(seed);
    TraceId[] ids = new TraceId[N];
    for (int i = 0; i < N; i++) {
      ids[i] = new TraceId(random.nextLong(), random.nextLong());
    }
    return ids;
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.01, 0.25, 0.5})
  void keepRatioMatchesTheProbability(double p) {
    ConsistentSampler sampler = ConsistentSampler.withProbability(p);
    int kept = 0;
    for (TraceId id : ids(42)) {
      if (sampler.keeps(id, "")) {
        kept++;
      }
    }
    // 5 standard deviations of a binomial(N, p): fails by chance about once in 3.5 million runs.
    double sigma = Math.sqrt(N * p * (1 - p));
    assertThat((double) kept).isCloseTo(N * p, within(5 * sigma));
  }

  @Test
  void keptAtALowerProbabilityAreKeptAtEveryHigherOne() {
    double[] ps = {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.99, 1.0};
    for (TraceId id : ids(7)) {
      boolean keptBefore = false;
      for (double p : ps) {
        boolean kept = ConsistentSampler.withProbability(p).keeps(id, "");
        assertThat(!keptBefore || kept).as("monotonic for %s at p=%s", id, p).isTrue();
        keptBefore = kept;
      }
    }
  }

  @Test
  void probabilityOneKeepsAllEvenZeroRandomness() {
    ConsistentSampler all = ConsistentSampler.withProbability(1.0);
    assertThat(all.threshold()).isZero();
    assertThat(all.keeps(new TraceId(5, 0), "")).isTrue();
    assertThat(all.keeps(new TraceId(5, 0xff00000000000000L), "")).isTrue();
    assertThat(all.keeps(new TraceId(1, 1), "ot=rv:00000000000000")).isTrue();
  }

  @Test
  void probabilityZeroKeepsNone() {
    ConsistentSampler none = ConsistentSampler.withProbability(0.0);
    assertThat(none.threshold()).isEqualTo(TWO_56);
    assertThat(none.keeps(new TraceId(-1, -1), "")).isFalse();
    assertThat(none.keeps(new TraceId(1, 1), "ot=rv:ffffffffffffff")).isFalse();
    assertThatThrownBy(() -> none.traceStateForKept("")).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rejectsProbabilitiesOutsideTheUnitInterval() {
    assertThatThrownBy(() -> ConsistentSampler.withProbability(1.5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ConsistentSampler.withProbability(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thresholdIsTheRoundedRejectionFraction() {
    assertThat(ConsistentSampler.thresholdOf(0.5)).isEqualTo(TWO_56 / 2);
    assertThat(ConsistentSampler.thresholdOf(0.25)).isEqualTo(TWO_56 / 4 * 3);
    assertThat(ConsistentSampler.encodeThreshold(ConsistentSampler.thresholdOf(0.25)))
        .isEqualTo("c");
    assertThat(ConsistentSampler.encodeThreshold(ConsistentSampler.thresholdOf(0.5)))
        .isEqualTo("8");
    assertThat(ConsistentSampler.encodeThreshold(0)).isEqualTo("0");
    assertThat(ConsistentSampler.encodeThreshold(1)).isEqualTo("00000000000001");
  }

  @Test
  void decisionAtTheBoundaryIsRGreaterOrEqualT() {
    ConsistentSampler half = ConsistentSampler.withProbability(0.5);
    assertThat(half.keeps(new TraceId(0, 0x0080000000000000L), "")).isTrue();
    assertThat(half.keeps(new TraceId(0, 0x007fffffffffffffL), "")).isFalse();
    // The top byte of the low half is not randomness.
    assertThat(half.keeps(new TraceId(0, 0xff7fffffffffffffL), "")).isFalse();
  }

  @Test
  void explicitRandomnessOverridesTheTraceId() {
    ConsistentSampler half = ConsistentSampler.withProbability(0.5);
    TraceId lowRandomness = new TraceId(0, 1);
    assertThat(half.keeps(lowRandomness, "")).isFalse();
    assertThat(half.keeps(lowRandomness, "vendor=a, ot=rv:80000000000000;x:y")).isTrue();
    assertThat(ConsistentSampler.randomness(lowRandomness, "ot=rv:0000000000abcd"))
        .isEqualTo(0xabcd);
  }

  @Test
  void upstreamThresholdRaisesTheEffectiveThreshold() {
    ConsistentSampler half = ConsistentSampler.withProbability(0.5);
    // Upstream kept 25 % (th:c): R = 0x90... passes our 50 % but not upstream's threshold.
    TraceId r90 = new TraceId(0, 0x0090000000000000L);
    assertThat(half.keeps(r90, "")).isTrue();
    assertThat(half.keeps(r90, "ot=th:c")).isFalse();
    TraceId rd0 = new TraceId(0, 0x00d0000000000000L);
    assertThat(half.keeps(rd0, "ot=th:c")).isTrue();
    assertThat(half.traceStateForKept("ot=th:c;rv:d0000000000000"))
        .isEqualTo("ot=th:c;rv:d0000000000000");
    // A lower upstream threshold (th:0, 100 %) gives way to ours.
    assertThat(half.effectiveThreshold("ot=th:0")).isEqualTo(TWO_56 / 2);
  }

  @Test
  void keptTraceStateCarriesTheEffectiveThresholdAndKeepsTheRest() {
    ConsistentSampler quarter = ConsistentSampler.withProbability(0.25);
    assertThat(quarter.traceStateForKept("")).isEqualTo("ot=th:c");
    assertThat(quarter.traceStateForKept("congo=t61, ot=rv:abcdef01234567;th:8;zz:1 ,rojo=00f"))
        .isEqualTo("ot=th:c;rv:abcdef01234567;zz:1,congo=t61,rojo=00f");
    assertThat(ConsistentSampler.adjustedCount(quarter.traceStateForKept("a=b"))).isEqualTo(4.0);
  }

  @Test
  void adjustedCountFollowsTheThreshold() {
    assertThat(ConsistentSampler.adjustedCount("ot=th:0")).isEqualTo(1.0);
    assertThat(ConsistentSampler.adjustedCount("ot=th:8")).isEqualTo(2.0);
    assertThat(ConsistentSampler.adjustedCount("x=y,ot=rv:00000000000000;th:c")).isEqualTo(4.0);
    assertThat(ConsistentSampler.adjustedCount("ot=th:fd70a3d70a3d71"))
        .isCloseTo(100.0, within(0.001));
    assertThat(ConsistentSampler.adjustedCount("")).isEqualTo(1.0);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ot=th:",
        "ot=th:123456789abcdef",
        "ot=th:xyz",
        "ot=rv:123",
        "ot=rv:gggggggggggggg",
        "ot",
        ",,,",
        "ot=;;;",
        "=",
        "ot=th:8:9",
        "garbage without structure"
      })
  void malformedTraceStateIsIgnored(String traceState) {
    ConsistentSampler half = ConsistentSampler.withProbability(0.5);
    TraceId kept = new TraceId(0, 0x00c0000000000000L);
    TraceId dropped = new TraceId(0, 0x0010000000000000L);
    assertThat(half.keeps(kept, traceState)).isTrue();
    assertThat(half.keeps(dropped, traceState)).isFalse();
    assertThat(ConsistentSampler.adjustedCount(traceState)).isEqualTo(1.0);
    assertThat(half.traceStateForKept(traceState)).startsWith("ot=th:8");
  }

  @Test
  void emptyOtFieldsAreDroppedAndTheEntryLimitHolds() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 32; i++) {
      many.append(i == 0 ? "" : ",").append("k").append(i).append("=v");
    }
    String out = ConsistentSampler.withProbability(1.0).traceStateForKept(many.toString());
    assertThat(out.split(",")).hasSize(32).startsWith("ot=th:0");
    assertThat(out).doesNotContain("k31=v");
  }
}
