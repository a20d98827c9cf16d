package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SupervisedLoopTest {

  private static final Backoff FAST = new Backoff(Duration.ofMillis(1), Duration.ofMillis(2));

  @Test
  void aFailingLoopIsRestartedCountedAndUpAgainOnceItMakesProgress() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch healthy = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    List<Throwable> causes = new CopyOnWriteArrayList<>();
    SupervisedLoop loop =
        new SupervisedLoop(
            "test-loop",
            progress -> {
              int run = runs.incrementAndGet();
              if (run == 1) {
                throw new IllegalStateException("boom " + run);
              }
              if (run == 2) {
                throw new NoClassDefFoundError("an Error is restarted too");
              }
              progress.healthy();
              healthy.countDown();
              release.await();
            },
            FAST,
            causes::add);

    loop.start();
    assertThat(healthy.await(10, TimeUnit.SECONDS)).isTrue();

    assertThat(loop.isUp()).isTrue();
    assertThat(loop.lastFailure()).isNull();
    assertThat(loop.restarts()).isEqualTo(2);
    assertThat(causes)
        .extracting(Throwable::getMessage)
        .containsExactly("boom 1", "an Error is restarted too");
    loop.stop(release::countDown, Duration.ofSeconds(5));
    assertThat(loop.isUp()).isFalse();
    assertThat(loop.restarts()).isEqualTo(2);
  }

  @Test
  void isDownBetweenAFailureAndTheNextProgress() throws Exception {
    CountDownLatch failedOnce = new CountDownLatch(1);
    CountDownLatch secondRunStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    SupervisedLoop loop =
        new SupervisedLoop(
            "test-loop",
            progress -> {
              if (runs.incrementAndGet() == 1) {
                progress.healthy();
                failedOnce.countDown();
                throw new IllegalStateException("lost the broker");
              }
              // Restarted, but not polling yet: the loop must count as down.
              secondRunStarted.countDown();
              release.await();
            },
            FAST,
            cause -> {});

    loop.start();
    assertThat(secondRunStarted.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(loop.isRunning()).isTrue();
    assertThat(loop.isUp()).isFalse();
    assertThat(loop.lastFailure()).contains("lost the broker");
    loop.stop(release::countDown, Duration.ofSeconds(5));
  }

  @Test
  void aLoopThatReturnsWhileRunningIsRestartedButNotAfterStop() throws Exception {
    AtomicInteger runs = new AtomicInteger();
    CountDownLatch threeRuns = new CountDownLatch(3);
    SupervisedLoop loop =
        new SupervisedLoop(
            "test-loop",
            progress -> {
              runs.incrementAndGet();
              threeRuns.countDown();
            },
            FAST,
            cause -> {});

    loop.start();
    assertThat(threeRuns.await(10, TimeUnit.SECONDS)).isTrue();
    loop.stop(() -> {}, Duration.ofSeconds(5));
    int afterStop = runs.get();
    Thread.sleep(20);
    assertThat(runs.get()).isEqualTo(afterStop);
    assertThat(loop.isRunning()).isFalse();
  }
}
