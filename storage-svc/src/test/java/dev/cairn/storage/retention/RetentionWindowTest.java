package dev.cairn.storage.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.wire.RetentionClass;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RetentionWindowTest {

  private static final Instant NOW = Instant.parse("2026-12-02T15:17:00Z");
  private final RetentionWindow window = new RetentionWindow(TestPolicies.defaults());

  @Test
  void aSpanWithinItsClassPeriodIsAdmitted() {
    assertThat(window.admits(RetentionClass.STANDARD, NOW.minus(Duration.ofDays(7)), NOW)).isTrue();
    assertThat(window.admits(RetentionClass.STANDARD, NOW.minusSeconds(1), NOW)).isTrue();
    // in the future (clock skew): kept, retention drops it in its time
    assertThat(window.admits(RetentionClass.STANDARD, NOW.plusSeconds(60), NOW)).isTrue();
  }

  @Test
  void aSpanOlderThanItsClassKeepsIsRefused() {
    Instant eightDaysAgo = NOW.minus(Duration.ofDays(8));
    assertThat(window.admits(RetentionClass.STANDARD, eightDaysAgo, NOW)).isFalse();
    // the extended class keeps it
    assertThat(window.admits(RetentionClass.EXTENDED, eightDaysAgo, NOW)).isTrue();
    assertThat(window.admits(RetentionClass.EXTENDED, NOW.minus(Duration.ofDays(31)), NOW))
        .isFalse();
  }
}
