package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
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
  void jitterTakesARandomShareOffEachDelayNeverAddsToIt() {
    double[] draws = {0.0, 0.5, 0.999, 0.25};
    int[] next = {0};
    Backoff backoff =
        new Backoff(
            Duration.ofMillis(100), Duration.ofMillis(400), 0.5, () -> draws[next[0]++ % 4]);

    assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(100)); // draw 0: the full delay
    assertThat(backoff.fail()).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.nextDelay()).isEqualTo(Duration.ofMillis(150)); // 200 less half of 0.5
    assertThat(backoff.fail()).isEqualTo(Duration.ofMillis(150));
    assertThat(backoff.fail()).isEqualTo(Duration.ofMillis(201)); // 400 less 0.4995 of it
    assertThat(backoff.fail()).isEqualTo(Duration.ofMillis(350)); // capped at 400, less 1/8
    assertThat(backoff.attempts()).isEqualTo(4);
  }

  @Test
  void jitteredDelaysStayWithinTheirBoundsAndSpread() {
    Backoff backoff = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(1000), 0.5);
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      Duration delay = backoff.fail();
      assertThat(delay).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
      seen.add(delay);
    }
    // Two clients that failed together would otherwise retry together.
    assertThat(seen.size()).isGreaterThan(100);
  }

  @Test
  void refusesBoundsThatMakeNoSense() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 1.5))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
