package dev.cairn.collector.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ForwardQueueTest {

  private final AtomicLong clock = new AtomicLong(1_000);

  private static byte[] bytes(int length, int fill) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) fill);
    return bytes;
  }

  @Test
  void holdsUpToItsBoundInBytesAndRefusesTheNewestBeyond() {
    ForwardQueue queue = new ForwardQueue(100, clock::get);

    assertThat(queue.offer(bytes(60, 1), 6)).isTrue();
    assertThat(queue.offer(bytes(40, 2), 4)).isTrue();
    // Full to the byte: the newest is refused, what is queued stays.
    assertThat(queue.offer(bytes(1, 3), 1)).isFalse();
    assertThat(queue.bytes()).isEqualTo(100);
    assertThat(queue.spans()).isEqualTo(10);
  }

  @Test
  void aRequestLargerThanTheWholeQueueIsRefusedEvenWhenEmpty() {
    ForwardQueue queue = new ForwardQueue(100, clock::get);

    assertThat(queue.offer(bytes(101, 1), 1)).isFalse();
    assertThat(queue.bytes()).isZero();
  }

  @Test
  void batchesTakeTheOldestFirstUpToTheBatchSizeAndTheFirstAlways() throws Exception {
    ForwardQueue queue = new ForwardQueue(1_000, clock::get);
    queue.offer(bytes(300, 1), 3);
    clock.addAndGet(5);
    queue.offer(bytes(300, 2), 3);
    queue.offer(bytes(300, 3), 3);

    ExportBatch first = queue.take(650, Duration.ZERO);
    assertThat(first.requests()).extracting(r -> r.bytes()[0]).containsExactly((byte) 1, (byte) 2);
    assertThat(first.bytes()).isEqualTo(600);
    assertThat(first.spans()).isEqualTo(6);
    assertThat(first.oldestEnqueuedNanos()).isEqualTo(1_000);

    // Larger than a batch may be: taken alone rather than never.
    ExportBatch alone = queue.take(100, Duration.ZERO);
    assertThat(alone.requests()).hasSize(1);
    assertThat(alone.bytes()).isEqualTo(300);
    assertThat(queue.take(650, Duration.ZERO)).isNull();
  }

  @Test
  void whatIsInFlightCountsAgainstTheBoundUntilReleased() throws Exception {
    ForwardQueue queue = new ForwardQueue(100, clock::get);
    queue.offer(bytes(80, 1), 8);

    ExportBatch batch = queue.take(1_000, Duration.ZERO);
    // Being retried, the batch still takes its room: memory stays bounded during an outage.
    assertThat(queue.bytes()).isEqualTo(80);
    assertThat(queue.offer(bytes(30, 2), 3)).isFalse();

    queue.release(batch);
    assertThat(queue.bytes()).isZero();
    assertThat(queue.spans()).isZero();
    assertThat(queue.offer(bytes(30, 2), 3)).isTrue();
  }

  @Test
  void takeWaitsForARequestAndGivesUpAfterItsWait() throws Exception {
    ForwardQueue queue = new ForwardQueue(100, clock::get);
    assertThat(queue.take(100, Duration.ofMillis(20))).isNull();

    CompletableFuture<ExportBatch> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return queue.take(100, Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    queue.offer(bytes(10, 7), 1);
    assertThat(waiting.get(10, TimeUnit.SECONDS).requests()).hasSize(1);
  }

  @Test
  void awaitEmptyReturnsOnceEverythingIsReleasedAndDrainTakesWhatIsLeft() throws Exception {
    ForwardQueue queue = new ForwardQueue(100, clock::get);
    assertThat(queue.awaitEmpty(Duration.ZERO)).isTrue();
    queue.offer(bytes(10, 1), 1);
    queue.offer(bytes(10, 2), 2);
    ExportBatch inFlight = queue.take(10, Duration.ZERO);

    assertThat(queue.awaitEmpty(Duration.ofMillis(10))).isFalse();
    assertThat(queue.drainQueued()).extracting(QueuedRequest::spans).containsExactly(2);
    assertThat(queue.bytes()).isEqualTo(10);
    queue.release(inFlight);
    assertThat(queue.awaitEmpty(Duration.ZERO)).isTrue();
  }

  @Test
  void refusesANonPositiveBound() {
    assertThatThrownBy(() -> new ForwardQueue(0, clock::get))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
