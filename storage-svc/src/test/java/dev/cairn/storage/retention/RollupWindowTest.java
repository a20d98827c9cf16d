package dev.cairn.storage.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RollupWindowTest {

  private static final Instant NOW = Instant.parse("2026-12-02T15:17:00Z");
  private static final Duration LOOKBACK = Duration.ofHours(3);

  private static Instant at(String time) {
    return Instant.parse("2026-12-02T" + time + "Z");
  }

  @Test
  void aFirstRunStartsAtTheHourOfTheOldestMinuteAndStopsBeforeTheOpenHour() {
    assertThat(RollupWindow.of(NOW, Optional.empty(), Optional.of(at("09:41:00")), LOOKBACK, 168))
        .contains(new RollupWindow(at("09:00:00"), at("15:00:00")));
  }

  @Test
  void nothingToRollUpWithoutData() {
    assertThat(RollupWindow.of(NOW, Optional.empty(), Optional.empty(), LOOKBACK, 168)).isEmpty();
    // data only in the open hour
    assertThat(RollupWindow.of(NOW, Optional.empty(), Optional.of(at("15:01:00")), LOOKBACK, 168))
        .isEmpty();
  }

  @Test
  void aCaughtUpRunRecomputesTheLookbackForLateDeltas() {
    assertThat(RollupWindow.of(NOW, Optional.of(at("15:00:00")), Optional.empty(), LOOKBACK, 168))
        .contains(new RollupWindow(at("12:00:00"), at("15:00:00")));
  }

  @Test
  void aRunAfterAPauseContinuesFromTheWatermarkAtMostMaxHours() {
    Instant watermark = at("01:00:00");
    assertThat(RollupWindow.of(NOW, Optional.of(watermark), Optional.empty(), LOOKBACK, 4))
        .contains(new RollupWindow(at("01:00:00"), at("05:00:00")));
  }

  @Test
  void aLookbackThatIsNotWholeHoursStillCoversWholeHours() {
    assertThat(
            RollupWindow.of(
                NOW, Optional.of(at("15:00:00")), Optional.empty(), Duration.ofMinutes(90), 168))
        .contains(new RollupWindow(at("13:00:00"), at("15:00:00")));
  }

  @Test
  void windowsAreWholeHours() {
    assertThatThrownBy(() -> new RollupWindow(at("12:30:00"), at("13:00:00")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RollupWindow(at("13:00:00"), at("13:00:00")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
