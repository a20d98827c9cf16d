package dev.cairn.sampler.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.sampler.FakeTicker;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

  private final FakeTicker ticker = new FakeTicker();

  @Test
  void startsFullThenRefillsAtItsRateUpToItsBurst() {
    TokenBucket bucket = new TokenBucket(10, 3, ticker);
    assertThat(takes(bucket, 10)).as("the burst").isEqualTo(3);

    ticker.advance(Duration.ofMillis(250)); // 2.5 tokens
    assertThat(takes(bucket, 10)).isEqualTo(2);
    ticker.advance(Duration.ofMillis(50)); // 0.5 left over + 0.5
    assertThat(takes(bucket, 10)).isEqualTo(1);

    ticker.advance(Duration.ofHours(1));
    assertThat(takes(bucket, 10)).as("never more than the burst").isEqualTo(3);
  }

  @Test
  void aFractionalRateKeepsOneNowAndThenTheNextLater() {
    TokenBucket bucket = new TokenBucket(0.5, 1, ticker);
    assertThat(takes(bucket, 5)).isEqualTo(1);
    ticker.advance(Duration.ofMillis(1_999));
    assertThat(takes(bucket, 5)).isZero();
    ticker.advance(Duration.ofMillis(1));
    assertThat(takes(bucket, 5)).isEqualTo(1);
  }

  @Test
  void refusesNonsense() {
    assertThatThrownBy(() -> new TokenBucket(0, 1, ticker))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenBucket(1, 0.5, ticker))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static int takes(TokenBucket bucket, int tries) {
    int taken = 0;
    for (int i = 0; i < tries; i++) {
      if (bucket.tryTake()) {
        taken++;
      }
    }
    return taken;
  }
}
