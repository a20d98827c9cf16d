package dev.cairn.collector.agent;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Moves queued requests to the gateways: sender threads take batches from the {@link ForwardQueue}
 * and export each to the gateway the {@link GatewayPool} chooses, until one takes it. A retryable
 * failure ({@link RetryPolicy}) makes that gateway unhealthy for its backoff and the batch goes to
 * the next healthy one; with every gateway unhealthy the batch waits for the first to be due again.
 * Nothing is retried forever: a batch older than {@code maxAge} (counted from when its oldest
 * request was queued) is dropped, as is one that a gateway refused for good; every drop is counted
 * by {@link DropReason}. Membership is resolved again every {@code resolveInterval}.
 *
 * <p>The senders never touch the ingest path: the application's export was answered when its spans
 * were queued, so however slow or absent the gateways, it never waits for them.
 */
public final class Forwarder implements AutoCloseable {

  /**
   * @param senders threads exporting at once
   * @param maxBatchBytes most serialized bytes per export (a larger request goes alone)
   * @param exportTimeout deadline of each export
   * @param maxAge longest a batch is retried, from when its oldest request was queued
   * @param resolveInterval how often the gateway names are resolved again
   * @param drainTimeout how long {@link #close} keeps sending what is held
   */
  public record Settings(
      int senders,
      long maxBatchBytes,
      Duration exportTimeout,
      Duration maxAge,
      Duration resolveInterval,
      Duration drainTimeout) {}

  /** What became of a batch. */
  enum Delivery {
    SENT,
    REFUSED,
    EXPIRED,
    SHUTDOWN
  }

  /** Waiting, so that unit tests can move a clock instead of sleeping. */
  @FunctionalInterface
  interface Sleeper {
    void sleep(long nanos) throws InterruptedException;
  }

  private static final System.Logger LOG = System.getLogger(Forwarder.class.getName());
  private static final Duration POLL = Duration.ofMillis(200);

  /** Longest single wait while no gateway is available, so stopping and new members are seen. */
  private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final ForwardQueue queue;
  private final GatewayPool pool;
  private final GatewayExporter exporter;
  private final GatewayResolver resolver;
  private final AgentMetrics metrics;
  private final Settings settings;
  private final LongSupplier nanoClock;
  private final Sleeper sleeper;
  private final List<Thread> senders = new ArrayList<>();
  private ScheduledExecutorService resolving;
  private volatile boolean running;
  private volatile boolean stopping;
  private volatile long stopByNanos;

  Forwarder(
      ForwardQueue queue,
      GatewayPool pool,
      GatewayExporter exporter,
      GatewayResolver resolver,
      AgentMetrics metrics,
      Settings settings,
      LongSupplier nanoClock,
      Sleeper sleeper) {
    this.queue = queue;
    this.pool = pool;
    this.exporter = exporter;
    this.resolver = resolver;
    this.metrics = metrics;
    this.settings = settings;
    this.nanoClock = nanoClock;
    this.sleeper = sleeper;
  }

  /** On the system clock; the queue and pool must use {@link System#nanoTime} too. */
  public Forwarder(
      ForwardQueue queue,
      GatewayPool pool,
      GatewayExporter exporter,
      GatewayResolver resolver,
      AgentMetrics metrics,
      Settings settings) {
    this(
        queue,
        pool,
        exporter,
        resolver,
        metrics,
        settings,
        System::nanoTime,
        nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
  }

  /** Resolves the gateways and starts the senders. */
  public synchronized void start() {
    if (running) {
      throw new IllegalStateException("forwarder already started");
    }
    running = true;
    refreshMembers();
    resolving =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "cairn-agent-resolver");
              thread.setDaemon(true);
              return thread;
            });
    long interval = settings.resolveInterval().toMillis();
    resolving.scheduleWithFixedDelay(
        this::refreshMembers, interval, interval, TimeUnit.MILLISECONDS);
    for (int i = 0; i < settings.senders(); i++) {
      Thread sender = new Thread(this::sendLoop, "cairn-agent-sender-" + i);
      sender.setDaemon(true);
      senders.add(sender);
      sender.start();
    }
  }

  /** True while every sender runs. */
  public boolean isRunning() {
    if (!running) {
      return false;
    }
    synchronized (this) {
      return senders.stream().allMatch(Thread::isAlive);
    }
  }

  public GatewayPool.Counts gateways() {
    return pool.counts();
  }

  /**
   * Keeps sending what is held for up to {@code drainTimeout}, then stops the senders; whatever is
   * left is dropped and counted as {@link DropReason#SHUTDOWN}.
   */
  @Override
  public void close() throws InterruptedException {
    stopByNanos = nanoClock.getAsLong() + settings.drainTimeout().toNanos();
    stopping = true;
    queue.awaitEmpty(settings.drainTimeout());
    running = false;
    List<Thread> started;
    synchronized (this) {
      started = List.copyOf(senders);
      if (resolving != null) {
        resolving.shutdownNow();
      }
    }
    for (Thread sender : started) {
      sender.join(settings.exportTimeout().toMillis() + 1_000);
    }
    exporter.close();
    long left = 0;
    for (QueuedRequest request : queue.drainQueued()) {
      left += request.spans();
    }
    metrics.dropped(DropReason.SHUTDOWN, left, "at shutdown, after the drain time");
  }

  private void sendLoop() {
    while (running) {
      ExportBatch batch;
      try {
        batch = queue.take(settings.maxBatchBytes(), POLL);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (batch == null) {
        continue;
      }
      try {
        deliver(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        metrics.dropped(DropReason.SHUTDOWN, batch.spans(), "sender interrupted");
        return;
      } finally {
        queue.release(batch);
      }
    }
  }

  /** Exports the batch until a gateway takes it, it is refused for good, or it is too old. */
  Delivery deliver(ExportBatch batch) throws InterruptedException {
    long expiresAt = batch.oldestEnqueuedNanos() + settings.maxAge().toNanos();
    while (true) {
      long now = nanoClock.getAsLong();
      if (now - expiresAt >= 0) {
        metrics.dropped(
            DropReason.EXPIRED, batch.spans(), "no gateway took them within " + settings.maxAge());
        return Delivery.EXPIRED;
      }
      if (stopping && now - stopByNanos >= 0) {
        metrics.dropped(DropReason.SHUTDOWN, batch.spans(), "at shutdown, after the drain time");
        return Delivery.SHUTDOWN;
      }
      Optional<Gateway> chosen = pool.choose();
      if (chosen.isEmpty()) {
        long wait = Math.min(pool.nanosUntilAvailable(), expiresAt - now);
        sleeper.sleep(Math.max(TimeUnit.MILLISECONDS.toNanos(1), Math.min(wait, WAIT_SLICE_NANOS)));
        continue;
      }
      Gateway gateway = chosen.get();
      ExportResult result = exportSafely(gateway, batch);
      if (result instanceof ExportResult.Accepted accepted) {
        if (pool.succeeded(gateway)) {
          LOG.log(Level.INFO, "gateway " + gateway + " takes exports again");
        }
        long rejected = Math.min(Math.max(0, accepted.rejectedSpans()), batch.spans());
        metrics.sent(gateway, batch.spans() - rejected);
        metrics.dropped(DropReason.REJECTED_BY_GATEWAY, rejected, accepted.errorMessage());
        return Delivery.SENT;
      }
      ExportResult.Failed failed = (ExportResult.Failed) result;
      if (!failed.retryable()) {
        pool.succeeded(gateway);
        metrics.failed(gateway, false);
        metrics.dropped(
            DropReason.REFUSED,
            batch.spans(),
            gateway + " answered " + failed.code() + ": " + failed.description());
        return Delivery.REFUSED;
      }
      metrics.failed(gateway, true);
      if (pool.failed(gateway)) {
        LOG.log(
            Level.WARNING,
            "gateway "
                + gateway
                + " is skipped for a while: "
                + failed.code()
                + " "
                + failed.description());
      }
    }
  }

  private ExportResult exportSafely(Gateway gateway, ExportBatch batch) {
    try {
      return exporter.export(gateway, batch, settings.exportTimeout());
    } catch (RuntimeException e) {
      return new ExportResult.Failed("UNKNOWN", String.valueOf(e));
    }
  }

  private void refreshMembers() {
    try {
      Set<Gateway> members = resolver.resolve();
      pool.update(members);
      exporter.retainOnly(members);
      if (members.isEmpty()) {
        LOG.log(Level.WARNING, "no gateway address resolved yet; spans wait in the queue");
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "resolving the gateways failed; keeping the last members", e);
    }
  }
}
