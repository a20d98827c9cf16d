package dev.cairn.query.metrics;

import dev.cairn.model.metrics.DurationBuckets;
import dev.cairn.model.metrics.SeriesAggregate;
import java.math.BigDecimal;
import java.util.List;

/**
 * Prints {@link CumulativeSpanMetrics} in the OpenMetrics 1.0 text format: a counter {@code
 * cairn_span_calls_total} and a histogram {@code cairn_span_duration_seconds} (64 cumulative {@code
 * le} buckets, {@code _count}, {@code _sum}) per (service, operation, span_kind, status_code), with
 * the latest exemplar of each bucket ({@code # {trace_id="...",span_id="..."} seconds timestamp}),
 * so that a Prometheus with exemplar storage links a latency bucket to a trace. Counts are weighted
 * by the spans' adjusted counts, hence not integers.
 */
public final class OpenMetricsText {

  public static final String MEDIA_TYPE =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";

  private static final String[] LE = new String[DurationBuckets.COUNT];

  static {
    for (int i = 0; i < DurationBuckets.OVERFLOW; i++) {
      LE[i] = seconds(DurationBuckets.upperBoundNanos(i));
    }
    LE[DurationBuckets.OVERFLOW] = "+Inf";
  }

  private OpenMetricsText() {}

  public static String print(List<CumulativeSpanMetrics.Totals> series, long droppedSeries) {
    StringBuilder out = new StringBuilder(256 + series.size() * 8_192);
    out.append("# TYPE cairn_span_calls counter\n")
        .append("# HELP cairn_span_calls Spans (requests) per service, operation, kind and status,")
        .append(" weighted by their adjusted counts\n");
    for (CumulativeSpanMetrics.Totals totals : series) {
      out.append("cairn_span_calls_total{").append(labels(totals.key())).append("} ");
      out.append(number(totals.aggregate().count())).append('\n');
    }
    out.append("# TYPE cairn_span_duration_seconds histogram\n")
        .append("# UNIT cairn_span_duration_seconds seconds\n")
        .append("# HELP cairn_span_duration_seconds Span durations, weighted by adjusted counts\n");
    for (CumulativeSpanMetrics.Totals totals : series) {
      String labels = labels(totals.key());
      SeriesAggregate aggregate = totals.aggregate();
      double[] buckets = aggregate.buckets();
      double cumulative = 0;
      for (int i = 0; i < buckets.length; i++) {
        cumulative += buckets[i];
        out.append("cairn_span_duration_seconds_bucket{").append(labels);
        out.append(",le=\"").append(LE[i]).append("\"} ").append(number(cumulative));
        CumulativeSpanMetrics.TimedExemplar exemplar = totals.bucketExemplars().get(i);
        if (exemplar != null) {
          out.append(" # {trace_id=\"")
              .append(exemplar.exemplar().traceId().toHex())
              .append("\",span_id=\"")
              .append(exemplar.exemplar().spanId().toHex())
              .append("\"} ")
              .append(seconds(exemplar.exemplar().durationNanos()))
              .append(' ')
              .append(exemplar.minuteUnixNano() / 1_000_000_000L);
        }
        out.append('\n');
      }
      out.append("cairn_span_duration_seconds_count{").append(labels).append("} ");
      out.append(number(cumulative)).append('\n');
      out.append("cairn_span_duration_seconds_sum{").append(labels).append("} ");
      out.append(seconds(aggregate.durationSumNanos())).append('\n');
    }
    out.append("# TYPE cairn_span_series_dropped counter\n")
        .append(
            "# HELP cairn_span_series_dropped Series not exposed: the series limit was reached\n")
        .append("cairn_span_series_dropped_total ")
        .append(droppedSeries)
        .append('\n');
    return out.append("# EOF\n").toString();
  }

  private static String labels(CumulativeSpanMetrics.Key key) {
    return "service=\""
        + escape(key.service())
        + "\",operation=\""
        + escape(key.operation())
        + "\",span_kind=\"SPAN_KIND_"
        + key.kind().name()
        + "\",status_code=\"STATUS_CODE_"
        + key.status().name()
        + "\"";
  }

  /** OpenMetrics label values escape backslash, double quote and line feed. */
  static String escape(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String seconds(double nanos) {
    return BigDecimal.valueOf(nanos).movePointLeft(9).stripTrailingZeros().toPlainString();
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15
        ? Long.toString((long) value) + ".0"
        : Double.toString(value);
  }
}
