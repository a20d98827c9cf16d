package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DurationThresholdsTest {

  private static final long MS = 1_000_000L;

  @Test
  void aSpanReachesEveryThresholdAtOrBelowItsDuration() {
    assertThat(DurationThresholds.reached(-5)).isZero();
    assertThat(DurationThresholds.reached(100 * MS - 1)).isZero();
    assertThat(DurationThresholds.reached(100 * MS)).isEqualTo(1);
    assertThat(DurationThresholds.reached(299 * MS)).isEqualTo(1);
    assertThat(DurationThresholds.reached(300 * MS)).isEqualTo(2);
    assertThat(DurationThresholds.reached(Long.MAX_VALUE)).isEqualTo(6);
  }

  @Test
  void aMinimumRequiresTheHighestThresholdAtOrBelowIt() {
    assertThat(DurationThresholds.at(99 * MS)).isEmpty();
    assertThat(DurationThresholds.at(100 * MS)).isEqualTo(OptionalInt.of(0));
    assertThat(DurationThresholds.at(500 * MS)).isEqualTo(OptionalInt.of(1));
    assertThat(DurationThresholds.at(300 * MS - 1)).isEqualTo(OptionalInt.of(0));
    assertThat(DurationThresholds.at(Long.MAX_VALUE)).isEqualTo(OptionalInt.of(5));
    assertThat(DurationThresholds.name(5)).isEqualTo("30000");
  }
}
