package dev.cairn.sampler.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.TraceId;
import dev.cairn.sampler.SamplingDecision;
import org.junit.jupiter.api.Test;

class DecisionCacheTest {

  private static final SamplingDecision KEPT = SamplingDecision.sampled("base_rate", 0.5);
  private static final SamplingDecision DROPPED = SamplingDecision.drop("base_rate");

  @Test
  void remembersKeptAndDroppedTracesUpToItsBoundLeastRecentlyUsedFirstOut() {
    DecisionCache cache = new DecisionCache(2);
    cache.put(new TraceId(0, 1), KEPT);
    cache.put(new TraceId(0, 2), DROPPED);
    assertThat(cache.get(new TraceId(0, 1))).isEqualTo(KEPT); // used: 2 is now the eldest

    cache.put(new TraceId(0, 3), KEPT);

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get(new TraceId(0, 2))).isNull();
    assertThat(cache.get(new TraceId(0, 1))).isEqualTo(KEPT);
    assertThat(cache.get(new TraceId(0, 3))).isEqualTo(KEPT);
  }
}
