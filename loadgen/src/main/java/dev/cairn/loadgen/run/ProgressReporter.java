package dev.cairn.loadgen.run;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** Prints one progress line per call: totals so far and the rate since the previous line. */
final class ProgressReporter implements Runnable {

  private final Supplier<StatsSnapshot> stats;
  private final LongSupplier nanoTime;
  private final long startNanos;
  private final PrintWriter out;
  private long previousNanos;
  private long previousSent;

  ProgressReporter(
      Supplier<StatsSnapshot> stats, LongSupplier nanoTime, long startNanos, PrintWriter out) {
    this.stats = stats;
    this.nanoTime = nanoTime;
    this.startNanos = startNanos;
    this.out = out;
    this.previousNanos = startNanos;
  }

  @Override
  public synchronized void run() {
    StatsSnapshot now = stats.get();
    long at = nanoTime.getAsLong();
    double seconds = Math.max(1e-9, (at - previousNanos) / 1e9);
    double rate = (now.spansSent() - previousSent) / seconds;
    previousNanos = at;
    previousSent = now.spansSent();
    out.printf(
        Locale.ROOT,
        "[%6.1fs] sent %,d spans (%,.0f/s now)  accepted %,d  rejected %,d  failed %,d"
            + "  requests %,d (failed %,d, in flight %d)  p99 %.1f ms%n",
        (at - startNanos) / 1e9,
        now.spansSent(),
        rate,
        now.spansAccepted(),
        now.spansRejected(),
        now.spansFailed(),
        now.requests(),
        now.failedRequests(),
        now.inFlight(),
        now.latencyMicros()[2] / 1000.0);
    out.flush();
  }
}
