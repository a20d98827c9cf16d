package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void delaysDoubleUpToTheCapAndResetAfterSuccess() {
    Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofMillis(5));

    assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(1));
    backoff.sleep(() -> true);
    assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(2));
    backoff.sleep(() -> true);
    assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(4));
    backoff.sleep(() -> true);
    assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(5));
    assertThat(backoff.attempts()).isEqualTo(3);

    backoff.reset();
    assertThat(backoff.attempts()).isZero();
    assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(1));
  }

  @Test
  void theCapHoldsAfterManyAttempts() {
    Backoff backoff = new Backoff(Duration.ofMillis(1), Duration.ofSeconds(30));
    for (int i = 0; i < 100; i++) {
      backoff.sleep(() -> false);
    }
    assertThat(backoff.nextDelay()).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.attempts()).isEqualTo(100);
  }

  @Test
  void aStoppedServiceDoesNotWaitButTheAttemptCounts() {
    Backoff backoff = new Backoff(Duration.ofHours(1), Duration.ofHours(1));
    backoff.sleep(() -> false); // would block the test for an hour if it waited
    assertThat(backoff.attempts()).isEqualTo(1);
  }

  @Test
  void refusesBoundsThatMakeNoSense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
