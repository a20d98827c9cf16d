package dev.cairn.loadgen.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {

  @Test
  void spacesPermitsByTheRate() {
    AtomicLong clock = new AtomicLong(1_000);
    RateLimiter limiter = new RateLimiter(1_000, clock::get); // 1 ms per permit
    assertThat(limiter.reserve(100)).isEqualTo(1_000);
    assertThat(limiter.reserve(100)).isEqualTo(1_000 + 100_000_000);
    assertThat(limiter.reserve(50)).isEqualTo(1_000 + 200_000_000);
  }

  @Test
  void idleTimeIsNotSavedUpForABurst() {
    AtomicLong clock = new AtomicLong(0);
    RateLimiter limiter = new RateLimiter(1_000, clock::get);
    limiter.reserve(10);
    clock.set(5_000_000_000L);
    assertThat(limiter.reserve(10)).isEqualTo(5_000_000_000L);
    assertThat(limiter.reserve(10)).isEqualTo(5_010_000_000L);
  }

  @Test
  void refusesPermitsBeyondTheDeadlineWithoutWaiting() {
    AtomicLong clock = new AtomicLong(0);
    RateLimiter limiter = new RateLimiter(10, clock::get);
    assertThat(limiter.acquire(10, 500_000_000L)).isTrue();
    assertThat(limiter.acquire(10, 500_000_000L)).isFalse();
  }
}
