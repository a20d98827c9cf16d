package dev.cairn.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.DurationBuckets;
import dev.cairn.model.metrics.Exemplar;
import dev.cairn.model.metrics.Minutes;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.metrics.SpanSeries;
import java.util.List;
import org.junit.jupiter.api.Test;

class CumulativeSpanMetricsTest {

  private static final long M = Minutes.of(1_764_000_000_000_000_000L);
  private static final long MS = 1_000_000L;
  private static final TraceId TRACE = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");

  @Test
  void totalsGrowMinuteByMinuteAndAMinuteIsAddedOnce() {
    CumulativeSpanMetrics totals = new CumulativeSpanMetrics(100);

    long[] first = totals.pending(M);
    assertThat(first).containsExactly(M - Minutes.NANOS, M);
    totals.add(first[0], first[1], List.of(row(M, "api", 10, 20 * MS)), true);
    assertThat(totals.pending(M)).isEmpty();

    long[] next = totals.pending(M + 2 * Minutes.NANOS);
    assertThat(next).containsExactly(M, M + 2 * Minutes.NANOS);
    List<SpanSeries> rows =
        List.of(
            row(M, "api", 99, MS),
            row(M + Minutes.NANOS, "api", 5, 20 * MS),
            row(M + 2 * Minutes.NANOS, "api", 1, 20 * MS));
    totals.add(next[0], next[1], rows, true);
    // the same rows again, as a concurrent scrape would add them
    totals.add(next[0], next[1], rows, true);

    CumulativeSpanMetrics.Totals api = totals.snapshot().get(0);
    assertThat(api.aggregate().count()).isEqualTo(16.0); // 10 + 5 + 1; minute M not twice
  }

  @Test
  void aCutReadLeavesItsLastMinuteForNextTime() {
    CumulativeSpanMetrics totals = new CumulativeSpanMetrics(100);
    totals.add(M - Minutes.NANOS, M, List.of(), true);
    long[] pending = totals.pending(M + 3 * Minutes.NANOS);
    totals.add(
        pending[0],
        pending[1],
        List.of(row(M + Minutes.NANOS, "api", 1, MS), row(M + 2 * Minutes.NANOS, "api", 2, MS)),
        false);
    assertThat(totals.snapshot().get(0).aggregate().count()).isEqualTo(1.0);
    assertThat(totals.pending(M + 3 * Minutes.NANOS)[0]).isEqualTo(M + Minutes.NANOS);
  }

  @Test
  void seriesBeyondTheLimitAreCountedNotHeld() {
    CumulativeSpanMetrics totals = new CumulativeSpanMetrics(1);
    totals.add(M - Minutes.NANOS, M, List.of(row(M, "a", 1, MS), row(M, "b", 1, MS)), true);
    assertThat(totals.snapshot()).hasSize(1);
    assertThat(totals.droppedSeries()).isEqualTo(1);
  }

  @Test
  void openMetricsHasCumulativeBucketsWithTheExemplarInItsBucket() {
    CumulativeSpanMetrics totals = new CumulativeSpanMetrics(100);
    totals.add(M - Minutes.NANOS, M, List.of(row(M, "api \"v2\"", 4, 20 * MS)), true);

    String text = OpenMetricsText.print(totals.snapshot(), totals.droppedSeries());

    String labels =
        "service=\"api \\\"v2\\\"\",operation=\"GET /\",span_kind=\"SPAN_KIND_SERVER\","
            + "status_code=\"STATUS_CODE_OK\"";
    assertThat(text).contains("cairn_span_calls_total{" + labels + "} 4.0\n");
    int bucket = DurationBuckets.indexOf(20 * MS);
    String le =
        new java.math.BigDecimal(DurationBuckets.upperBoundNanos(bucket))
            .movePointLeft(9)
            .stripTrailingZeros()
            .toPlainString();
    assertThat(text)
        .contains(
            "cairn_span_duration_seconds_bucket{"
                + labels
                + ",le=\""
                + le
                + "\"} 4.0 # {trace_id=\""
                + TRACE.toHex()
                + "\",span_id=\"0000000000000007\"} 0.02 "
                + M / 1_000_000_000L
                + "\n");
    assertThat(text).contains("le=\"0.000001\"} 0.0\n");
    assertThat(text)
        .contains("cairn_span_duration_seconds_bucket{" + labels + ",le=\"+Inf\"} 4.0\n");
    assertThat(text).contains("cairn_span_duration_seconds_count{" + labels + "} 4.0\n");
    assertThat(text).contains("cairn_span_duration_seconds_sum{" + labels + "} 0.08\n");
    assertThat(text).endsWith("# EOF\n");
  }

  private static SpanSeries row(long minute, String service, double count, long durationNanos) {
    SeriesAggregate.Builder aggregate = SeriesAggregate.builder();
    aggregate.add(count, durationNanos, new Exemplar(TRACE, new SpanId(7), durationNanos));
    return new SpanSeries(
        minute, service, "GET /", SpanKind.SERVER, StatusCode.OK, aggregate.build());
  }
}
