package dev.cairn.loadgen.bench;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Percentiles of a histogram recorded in microseconds, formatted as milliseconds. */
final class LatencyStats {

  private LatencyStats() {}

  static String human(Histogram h) {
    return String.format(
        Locale.ROOT,
        "p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms  (n=%d)",
        ms(h, 50),
        ms(h, 90),
        ms(h, 99),
        h.getMaxValue() / 1000.0,
        h.getTotalCount());
  }

  static String json(Histogram h) {
    return String.format(
        Locale.ROOT,
        "{\"count\":%d,\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f,\"max\":%.3f}",
        h.getTotalCount(),
        ms(h, 50),
        ms(h, 90),
        ms(h, 99),
        h.getMaxValue() / 1000.0);
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }
}
