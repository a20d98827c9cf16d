package dev.cairn.collector.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.kafka.Backoff;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Retry, failover and drops of the forwarder, against scripted gateways on a clock the test moves
 * (waiting advances it instead of sleeping), and once with real sender threads.
 */
class ForwarderTest {

  private static final Gateway A = new Gateway("10.0.0.1", 4317);
  private static final Gateway B = new Gateway("10.0.0.2", 4317);
  private static final ExportResult OK = new ExportResult.Accepted(0, "");
  private static final ExportResult DOWN = new ExportResult.Failed("UNAVAILABLE", "refused");

  private final AtomicLong clock = new AtomicLong();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ForwardQueue queue = new ForwardQueue(1 << 20, clock::get);
  private final GatewayPool pool =
      new GatewayPool(() -> new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2)), clock::get);
  private final AgentMetrics metrics = new AgentMetrics(registry, queue, pool);

  /** Answers per gateway, in order; the last answer repeats. */
  private final Map<Gateway, Deque<ExportResult>> script = new ConcurrentHashMap<>();

  private final List<Gateway> calls = new CopyOnWriteArrayList<>();

  private final GatewayExporter scripted =
      (gateway, batch, timeout) -> {
        calls.add(gateway);
        Deque<ExportResult> answers = script.get(gateway);
        return answers.size() > 1 ? answers.poll() : answers.peek();
      };

  private void answer(Gateway gateway, ExportResult... results) {
    script.put(gateway, new ArrayDeque<>(List.of(results)));
  }

  private Forwarder forwarder(Duration maxAge, Gateway... members) {
    pool.update(List.of(members));
    return new Forwarder(
        queue,
        pool,
        scripted,
        new GatewayResolver(
            List.of(members).stream().map(Gateway::toString).toList(), host -> List.of(host)),
        metrics,
        new Forwarder.Settings(
            1, 1 << 20, Duration.ofSeconds(1), maxAge, Duration.ofSeconds(30), Duration.ZERO),
        clock::get,
        clock::addAndGet);
  }

  private ExportBatch queued(int spans) throws InterruptedException {
    queue.offer(new byte[100], spans);
    return queue.take(1 << 20, Duration.ZERO);
  }

  private double dropped(String reason) {
    return registry
        .find("cairn.collector.agent.spans.dropped")
        .tag("reason", reason)
        .counter()
        .count();
  }

  private double exports(Gateway gateway, String outcome) {
    var counter =
        registry
            .find("cairn.collector.agent.exports")
            .tag("gateway", gateway.toString())
            .tag("outcome", outcome)
            .counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  void aFailingGatewayIsLeftForAHealthyOne() throws Exception {
    answer(A, DOWN);
    answer(B, OK);
    Forwarder forwarder = forwarder(Duration.ofMinutes(5), A, B);

    assertThat(forwarder.deliver(queued(7))).isEqualTo(Forwarder.Delivery.SENT);
    assertThat(forwarder.deliver(queued(3))).isEqualTo(Forwarder.Delivery.SENT);

    // A failed once and is skipped for its backoff: the retry and the next batch go to B.
    assertThat(calls).containsExactly(A, B, B);
    assertThat(exports(A, "retryable")).isEqualTo(1);
    assertThat(exports(B, "sent")).isEqualTo(2);
    assertThat(registry.find("cairn.collector.agent.spans.sent").counter().count()).isEqualTo(10);
    assertThat(clock.get()).as("no waiting with a healthy gateway left").isZero();
  }

  @Test
  void withEveryGatewayDownTheBatchWaitsWithBackoffAndIsSentWhenOneIsBack() throws Exception {
    // Down for 9 attempts (1 + 8 probes), then back.
    answer(A, DOWN, DOWN, DOWN, DOWN, DOWN, DOWN, DOWN, DOWN, DOWN, OK);
    Forwarder forwarder = forwarder(Duration.ofMinutes(5), A);

    assertThat(forwarder.deliver(queued(4))).isEqualTo(Forwarder.Delivery.SENT);

    assertThat(calls).hasSize(10);
    // 0.25 + 0.5 + 1 + 2 + 2 + 2 + 2 + 2 + 2 s of backoff between the attempts (cap 2 s).
    assertThat(clock.get()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(13_750));
    assertThat(dropped("expired")).isZero();
    assertThat(pool.counts().healthy()).isEqualTo(1);
  }

  @Test
  void aBatchRetriedPastItsMaximumAgeIsDroppedAndCounted() throws Exception {
    answer(A, DOWN);
    Forwarder forwarder = forwarder(Duration.ofSeconds(10), A);

    assertThat(forwarder.deliver(queued(6))).isEqualTo(Forwarder.Delivery.EXPIRED);

    assertThat(dropped("expired")).isEqualTo(6);
    assertThat(clock.get()).isEqualTo(TimeUnit.SECONDS.toNanos(10));
    assertThat(calls.size()).as("attempts in 10 s of backoff").isBetween(5, 10);
  }

  @Test
  void aRequestThatWaitedInTheQueuePastItsAgeIsDroppedWithoutAnAttempt() throws Exception {
    answer(A, OK);
    Forwarder forwarder = forwarder(Duration.ofSeconds(10), A);
    queue.offer(new byte[10], 2);
    clock.addAndGet(TimeUnit.SECONDS.toNanos(11));

    assertThat(forwarder.deliver(queue.take(100, Duration.ZERO)))
        .isEqualTo(Forwarder.Delivery.EXPIRED);
    assertThat(calls).isEmpty();
  }

  @Test
  void anExportRefusedForGoodIsDroppedAtOnceAndTheGatewayStaysHealthy() throws Exception {
    answer(A, new ExportResult.Failed("INVALID_ARGUMENT", "Kafka refused the records"));
    Forwarder forwarder = forwarder(Duration.ofMinutes(5), A);

    assertThat(forwarder.deliver(queued(5))).isEqualTo(Forwarder.Delivery.REFUSED);

    assertThat(calls).containsExactly(A);
    assertThat(dropped("refused")).isEqualTo(5);
    assertThat(exports(A, "refused")).isEqualTo(1);
    assertThat(pool.counts().healthy()).isEqualTo(1);
  }

  @Test
  void aPartialSuccessIsNotRetriedAndItsRejectedSpansAreCounted() throws Exception {
    answer(A, new ExportResult.Accepted(2, "2 spans rejected: 2 end before start"));
    Forwarder forwarder = forwarder(Duration.ofMinutes(5), A);

    assertThat(forwarder.deliver(queued(5))).isEqualTo(Forwarder.Delivery.SENT);

    assertThat(calls).containsExactly(A);
    assertThat(dropped("rejected_by_gateway")).isEqualTo(2);
    assertThat(registry.find("cairn.collector.agent.spans.sent").counter().count()).isEqualTo(3);
  }

  @Test
  void anExporterThatThrowsCountsAsARefusalNotACrash() throws Exception {
    pool.update(List.of(A));
    Forwarder forwarder =
        new Forwarder(
            queue,
            pool,
            (gateway, batch, timeout) -> {
              throw new IllegalStateException("bug");
            },
            new GatewayResolver(List.of(A.toString()), host -> List.of(host)),
            metrics,
            new Forwarder.Settings(
                1,
                1 << 20,
                Duration.ofSeconds(1),
                Duration.ofMinutes(1),
                Duration.ofSeconds(30),
                Duration.ZERO),
            clock::get,
            clock::addAndGet);

    assertThat(forwarder.deliver(queued(1))).isEqualTo(Forwarder.Delivery.REFUSED);
    assertThat(dropped("refused")).isEqualTo(1);
  }

  /** A forwarder on the system clock with real sender threads, one gateway, quick backoffs. */
  private record Running(Forwarder forwarder, ForwardQueue queue, SimpleMeterRegistry meters) {
    double dropped(String reason) {
      return meters
          .find("cairn.collector.agent.spans.dropped")
          .tag("reason", reason)
          .counter()
          .count();
    }
  }

  private static Running running(
      GatewayExporter exporter, int senders, long maxBatchBytes, Duration drainTimeout) {
    ForwardQueue queue = new ForwardQueue(1 << 20, System::nanoTime);
    GatewayPool pool =
        new GatewayPool(
            () -> new Backoff(Duration.ofMillis(5), Duration.ofMillis(20)), System::nanoTime);
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Forwarder forwarder =
        new Forwarder(
            queue,
            pool,
            exporter,
            new GatewayResolver(List.of("127.0.0.1:4317"), host -> List.of(host)),
            new AgentMetrics(meters, queue, pool),
            new Forwarder.Settings(
                senders,
                maxBatchBytes,
                Duration.ofSeconds(1),
                Duration.ofMinutes(1),
                Duration.ofSeconds(30),
                drainTimeout));
    forwarder.start();
    assertThat(pool.members()).containsExactly(new Gateway("127.0.0.1", 4317));
    return new Running(forwarder, queue, meters);
  }

  @Test
  void senderThreadsForwardWhatIsQueuedAndCloseDrainsThenCountsWhatIsLeft() throws Exception {
    AtomicLong sentSpans = new AtomicLong();
    Set<Thread> senderThreads = ConcurrentHashMap.newKeySet();
    Running agent =
        running(
            (gateway, batch, timeout) -> {
              senderThreads.add(Thread.currentThread());
              sentSpans.addAndGet(batch.spans());
              return OK;
            },
            2,
            1_000,
            Duration.ofSeconds(10));

    for (int i = 0; i < 200; i++) {
      assertThat(agent.queue().offer(new byte[100], 3)).isTrue();
    }
    agent.forwarder().close();

    assertThat(sentSpans.get()).isEqualTo(600);
    assertThat(agent.queue().bytes()).isZero();
    assertThat(senderThreads)
        .isNotEmpty()
        .allSatisfy(t -> assertThat(t.getName()).startsWith("cairn-agent-sender-"));
    assertThat(agent.forwarder().isRunning()).isFalse();
    assertThat(agent.dropped("shutdown")).isZero();
  }

  @Test
  void closeGivesUpAfterTheDrainTimeAndCountsWhatIsLeftAsShutdown() throws Exception {
    AtomicLong attempts = new AtomicLong();
    Running agent =
        running(
            (gateway, batch, timeout) -> {
              attempts.incrementAndGet();
              return DOWN;
            },
            1,
            100,
            Duration.ofMillis(200));
    for (int i = 0; i < 5; i++) {
      agent.queue().offer(new byte[100], 2);
    }

    agent.forwarder().close();

    assertThat(agent.queue().bytes()).isZero();
    assertThat(agent.dropped("shutdown")).isEqualTo(10);
    assertThat(attempts.get()).isPositive();
  }
}
