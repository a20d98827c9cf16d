package dev.cairn.loadgen.run;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** Thread-safe counters and the request-latency histogram of one run. */
public final class LoadStats {

  private static final long MAX_LATENCY_MICROS = TimeUnit.MINUTES.toMicros(10);

  private final LongAdder requests = new LongAdder();
  private final LongAdder failedRequests = new LongAdder();
  private final LongAdder spansSent = new LongAdder();
  private final LongAdder spansAccepted = new LongAdder();
  private final LongAdder spansRejected = new LongAdder();
  private final LongAdder spansFailed = new LongAdder();
  private final LongAdder traces = new LongAdder();
  private final LongAdder inFlight = new LongAdder();
  private final Map<String, LongAdder> failuresByStatus = new ConcurrentHashMap<>();
  private final Histogram latency = new ConcurrentHistogram(MAX_LATENCY_MICROS, 3);
  private volatile String lastRejectMessage = "";

  void started() {
    inFlight.increment();
  }

  void completed(int spans, int traceCount, ExportResult result, long latencyNanos) {
    inFlight.decrement();
    requests.increment();
    spansSent.add(spans);
    traces.add(traceCount);
    latency.recordValue(Math.min(MAX_LATENCY_MICROS, Math.max(0, latencyNanos / 1000)));
    if (result.ok()) {
      long rejected = Math.min(spans, Math.max(0, result.rejectedSpans()));
      spansAccepted.add(spans - rejected);
      spansRejected.add(rejected);
      if (rejected > 0 && !result.message().isEmpty()) {
        lastRejectMessage = result.message();
      }
    } else {
      failedRequests.increment();
      spansFailed.add(spans);
      failuresByStatus.computeIfAbsent(result.status(), k -> new LongAdder()).increment();
    }
  }

  public StatsSnapshot snapshot() {
    Map<String, Long> failures = new TreeMap<>();
    failuresByStatus.forEach((status, count) -> failures.put(status, count.sum()));
    long[] percentiles;
    synchronized (latency) {
      percentiles =
          new long[] {
            latency.getValueAtPercentile(50),
            latency.getValueAtPercentile(90),
            latency.getValueAtPercentile(99),
            latency.getMaxValue()
          };
    }
    return new StatsSnapshot(
        requests.sum(),
        failedRequests.sum(),
        spansSent.sum(),
        spansAccepted.sum(),
        spansRejected.sum(),
        spansFailed.sum(),
        traces.sum(),
        inFlight.sum(),
        Map.copyOf(failures),
        lastRejectMessage,
        percentiles);
  }
}
