package dev.cairn.storage.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WarmWindowTest {

  private static final Instant NOW = Instant.parse("2026-12-03T06:00:00Z");
  private static final Duration DAY = Duration.ofDays(1);
  private static final Duration WEEK = Duration.ofDays(7);

  @Test
  void aFirstRunCoversEverythingWarmThatRetentionStillKeeps() {
    assertThat(WarmWindow.of(NOW, DAY, WEEK, Optional.empty()))
        .contains(new WarmWindow(NOW.minus(WEEK), NOW.minus(DAY)));
  }

  @Test
  void aLaterRunStartsAfterTheLastFinishedChunk() {
    Instant finished = NOW.minus(Duration.ofDays(2));
    assertThat(WarmWindow.of(NOW, DAY, WEEK, Optional.of(finished)))
        .contains(new WarmWindow(finished, NOW.minus(DAY)));
  }

  @Test
  void aWatermarkOlderThanRetentionKeepsIsIgnored() {
    assertThat(WarmWindow.of(NOW, DAY, WEEK, Optional.of(NOW.minus(Duration.ofDays(30)))))
        .contains(new WarmWindow(NOW.minus(WEEK), NOW.minus(DAY)));
  }

  @Test
  void nothingWhenCaughtUpOrWhenWarmAfterIsNotShorterThanThePeriod() {
    assertThat(WarmWindow.of(NOW, DAY, WEEK, Optional.of(NOW.minus(DAY)))).isEmpty();
    assertThat(WarmWindow.of(NOW, WEEK, WEEK, Optional.empty())).isEmpty();
  }
}
