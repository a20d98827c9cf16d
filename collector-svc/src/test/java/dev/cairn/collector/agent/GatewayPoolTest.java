package dev.cairn.collector.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.kafka.Backoff;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class GatewayPoolTest {

  private static final Gateway A = new Gateway("10.0.0.1", 4317);
  private static final Gateway B = new Gateway("10.0.0.2", 4317);
  private static final Gateway C = new Gateway("10.0.0.3", 4317);

  private final AtomicLong clock = new AtomicLong();

  /** Backoff 1 s, doubling, at most 8 s, no jitter: the times below are exact. */
  private GatewayPool pool(Gateway... gateways) {
    GatewayPool pool =
        new GatewayPool(
            () -> new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8)), clock::get);
    pool.update(List.of(gateways));
    return pool;
  }

  private List<Gateway> choices(GatewayPool pool, int n) {
    List<Gateway> chosen = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      pool.choose().ifPresent(chosen::add);
    }
    return chosen;
  }

  private void advance(long seconds) {
    clock.addAndGet(TimeUnit.SECONDS.toNanos(seconds));
  }

  @Test
  void healthyGatewaysTakeExportsInTurn() {
    GatewayPool pool = pool(A, B, C);

    assertThat(choices(pool, 6)).containsExactly(A, B, C, A, B, C);
    assertThat(pool.counts()).isEqualTo(new GatewayPool.Counts(3, 0));
  }

  @Test
  void aFailedGatewayIsSkippedForItsBackoffThenProbedOnce() {
    GatewayPool pool = pool(A, B);

    assertThat(pool.failed(A)).isTrue();
    assertThat(choices(pool, 3)).containsExactly(B, B, B);
    assertThat(pool.counts()).isEqualTo(new GatewayPool.Counts(1, 1));

    advance(1);
    // Due again: one export probes it, the others keep going to B meanwhile.
    List<Gateway> next = choices(pool, 4);
    assertThat(next).containsOnlyOnce(A);
    assertThat(next).filteredOn(B::equals).hasSize(3);

    assertThat(pool.succeeded(A)).isTrue();
    assertThat(choices(pool, 4)).containsExactlyInAnyOrder(A, A, B, B);
  }

  @Test
  void failuresInARowBackOffExponentiallyAndSuccessResetsIt() {
    GatewayPool pool = pool(A);

    pool.failed(A);
    assertThat(pool.nanosUntilAvailable()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
    advance(1);
    assertThat(pool.choose()).contains(A);
    pool.failed(A);
    assertThat(pool.nanosUntilAvailable()).isEqualTo(TimeUnit.SECONDS.toNanos(2));
    advance(2);
    assertThat(pool.choose()).contains(A);
    pool.failed(A);
    assertThat(pool.nanosUntilAvailable()).isEqualTo(TimeUnit.SECONDS.toNanos(4));

    advance(4);
    assertThat(pool.choose()).contains(A);
    pool.succeeded(A);
    pool.failed(A);
    assertThat(pool.nanosUntilAvailable()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
  }

  @Test
  void withEveryGatewayDownNoneIsChosenUntilTheFirstIsDue() {
    GatewayPool pool = pool(A, B);
    pool.failed(A);
    advance(1);
    pool.failed(A); // 2 s from now
    pool.failed(B); // 1 s from now

    assertThat(pool.choose()).isEmpty();
    assertThat(pool.nanosUntilAvailable()).isEqualTo(TimeUnit.SECONDS.toNanos(1));
    advance(1);
    assertThat(pool.choose()).contains(B);
    // B is being probed and A not yet due: nothing else to choose.
    assertThat(pool.choose()).isEmpty();
  }

  @Test
  void aProbeThatFailsAgainKeepsTheGatewayOut() {
    GatewayPool pool = pool(A, B);
    pool.failed(A);
    advance(1);
    assertThat(choices(pool, 2)).contains(A);

    assertThat(pool.failed(A)).isFalse(); // not a new outage: no second warning
    assertThat(choices(pool, 3)).containsExactly(B, B, B);
  }

  @Test
  void membershipUpdatesKeepTheStateOfGatewaysThatStay() {
    GatewayPool pool = pool(A, B);
    pool.failed(A);

    pool.update(List.of(A, C));

    assertThat(pool.members()).containsExactly(A, C);
    assertThat(choices(pool, 3)).containsExactly(C, C, C);
    pool.update(List.of());
    assertThat(pool.choose()).isEqualTo(Optional.empty());
    assertThat(pool.nanosUntilAvailable()).isEqualTo(Long.MAX_VALUE);
    // Outcomes of exports to a gateway that left change nothing.
    assertThat(pool.failed(B)).isFalse();
    assertThat(pool.succeeded(B)).isFalse();
  }
}
