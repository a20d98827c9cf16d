package dev.cairn.loadgen.run;

import dev.cairn.loadgen.generate.BatchSource;
import dev.cairn.loadgen.generate.ExportBatch;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * Drives a run: one sending thread per connection generates batches and exports them, keeping at
 * most {@link RunPlan#inFlightPerConnection()} requests in flight, under the shared rate limit,
 * until the plan's time or span budget is spent; then waits for the answers.
 */
public final class LoadRunner {

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  // deadlines are compared by difference (as System.nanoTime must be), so "never" is half the range
  private static final long NEVER = Long.MAX_VALUE / 2;

  private final RunPlan plan;
  private final List<TraceExporter> exporters;
  private final IntFunction<BatchSource> sources;
  private final TraceIdLog traceIdLog;
  private final LongSupplier nanoTime;
  private final LongSupplier epochMicros;
  private final LoadStats stats = new LoadStats();
  private final AtomicLong claimedSpans = new AtomicLong();
  private volatile boolean stopRequested;

  /**
   * @param exporters one per connection
   * @param sources makes the batch source of connection {@code i}
   * @param traceIdLog where sampled trace ids go, or {@code null}
   */
  public LoadRunner(
      RunPlan plan,
      List<TraceExporter> exporters,
      IntFunction<BatchSource> sources,
      TraceIdLog traceIdLog) {
    this(plan, exporters, sources, traceIdLog, System::nanoTime, LoadRunner::currentEpochMicros);
  }

  LoadRunner(
      RunPlan plan,
      List<TraceExporter> exporters,
      IntFunction<BatchSource> sources,
      TraceIdLog traceIdLog,
      LongSupplier nanoTime,
      LongSupplier epochMicros) {
    if (exporters.isEmpty()) {
      throw new IllegalArgumentException("at least one connection is needed");
    }
    this.plan = plan;
    this.exporters = List.copyOf(exporters);
    this.sources = sources;
    this.traceIdLog = traceIdLog;
    this.nanoTime = nanoTime;
    this.epochMicros = epochMicros;
  }

  /** Asks a running run to stop sending (e.g. on Ctrl-C); it still waits for the answers. */
  public void stop() {
    stopRequested = true;
  }

  public StatsSnapshot snapshot() {
    return stats.snapshot();
  }

  /**
   * Runs the plan and returns when every request was answered or the drain timeout passed.
   *
   * @param progress where progress lines go, or {@code null} for none
   * @param progressEvery time between progress lines
   */
  public RunOutcome run(PrintWriter progress, Duration progressEvery) throws InterruptedException {
    long start = nanoTime.getAsLong();
    long deadline = start + (plan.duration() == null ? NEVER : boundedNanos(plan.duration()));
    RateLimiter limiter =
        plan.spansPerSecond() > 0 ? new RateLimiter(plan.spansPerSecond(), nanoTime) : null;
    ScheduledExecutorService ticker = null;
    ProgressReporter reporter = null;
    if (progress != null) {
      reporter = new ProgressReporter(stats::snapshot, nanoTime, start, progress);
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "loadgen-progress");
                thread.setDaemon(true);
                return thread;
              });
      long every = progressEvery.toMillis();
      ticker.scheduleAtFixedRate(reporter, every, every, TimeUnit.MILLISECONDS);
    }
    List<Thread> senders = new ArrayList<>();
    List<Semaphore> permits = new ArrayList<>();
    for (int i = 0; i < exporters.size(); i++) {
      Semaphore inFlight = new Semaphore(plan.inFlightPerConnection());
      permits.add(inFlight);
      TraceExporter exporter = exporters.get(i);
      BatchSource source = sources.apply(i);
      Thread sender =
          new Thread(
              () -> send(exporter, source, inFlight, limiter, deadline), "loadgen-sender-" + i);
      sender.setDaemon(true);
      senders.add(sender);
      sender.start();
    }
    for (Thread sender : senders) {
      sender.join();
    }
    boolean drained = true;
    long drainDeadline = nanoTime.getAsLong() + boundedNanos(plan.drainTimeout());
    for (Semaphore inFlight : permits) {
      long left = Math.max(0, drainDeadline - nanoTime.getAsLong());
      drained &= inFlight.tryAcquire(plan.inFlightPerConnection(), left, TimeUnit.NANOSECONDS);
    }
    long elapsed = nanoTime.getAsLong() - start;
    if (ticker != null) {
      ticker.shutdownNow();
      reporter.run();
    }
    return new RunOutcome(stats.snapshot(), elapsed, drained);
  }

  private void send(
      TraceExporter exporter,
      BatchSource source,
      Semaphore inFlight,
      RateLimiter limiter,
      long deadline) {
    try {
      while (!stopRequested && nanoTime.getAsLong() - deadline < 0) {
        ExportBatch batch = source.next();
        if (plan.maxSpans() > 0 && claimedSpans.getAndAdd(batch.spanCount()) >= plan.maxSpans()) {
          return;
        }
        if (limiter != null && !limiter.acquire(batch.spanCount(), deadline)) {
          return;
        }
        if (!acquire(inFlight, deadline)) {
          return;
        }
        export(exporter, batch, inFlight);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean acquire(Semaphore inFlight, long deadline) throws InterruptedException {
    while (!stopRequested) {
      if (inFlight.tryAcquire(POLL_NANOS, TimeUnit.NANOSECONDS)) {
        return true;
      }
      if (nanoTime.getAsLong() - deadline >= 0) {
        return false;
      }
    }
    return false;
  }

  private void export(TraceExporter exporter, ExportBatch batch, Semaphore inFlight) {
    stats.started();
    long sentNanos = nanoTime.getAsLong();
    long sentMicros = epochMicros.getAsLong();
    CompletableFuture<ExportResult> answer;
    try {
      answer = exporter.export(batch.request());
    } catch (RuntimeException e) {
      answer = CompletableFuture.completedFuture(ExportResult.failed(e));
    }
    answer.whenComplete(
        (result, error) -> {
          try {
            ExportResult outcome = error != null ? ExportResult.failed(error) : result;
            stats.completed(
                batch.spanCount(), batch.traceCount(), outcome, nanoTime.getAsLong() - sentNanos);
            if (traceIdLog != null) {
              traceIdLog.record(batch.sampled(), sentMicros, epochMicros.getAsLong(), outcome);
            }
          } finally {
            inFlight.release();
          }
        });
  }

  private static long boundedNanos(Duration duration) {
    return duration.compareTo(Duration.ofNanos(NEVER)) > 0 ? NEVER : duration.toNanos();
  }

  private static long currentEpochMicros() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }
}
