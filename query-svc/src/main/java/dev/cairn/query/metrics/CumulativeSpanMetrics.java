package dev.cairn.query.metrics;

import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.metrics.DurationBuckets;
import dev.cairn.model.metrics.Exemplar;
import dev.cairn.model.metrics.Minutes;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.metrics.SpanSeries;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Span metrics as Prometheus counters: the stored per-minute deltas added up, minute after minute,
 * since this process first served them, so that every scrape sees monotonic totals ({@code rate()}
 * and {@code histogram_quantile()} work as on any exporter, and a restart is a counter reset).
 * Minutes are added once they are {@code lag} old, when every delta of them should be stored; a
 * delta stored later than that is in the REST API but not in these totals. Holds at most {@code
 * maxSeries} series (a new series beyond them is counted in {@link #droppedSeries()}), each with
 * the latest exemplar of each histogram bucket. Thread-safe.
 */
public final class CumulativeSpanMetrics {

  /** A series' labels. */
  public record Key(String service, String operation, SpanKind kind, StatusCode status) {}

  /** An exemplar with the minute it was seen in. */
  public record TimedExemplar(Exemplar exemplar, long minuteUnixNano) {}

  /**
   * One series' totals, as of a snapshot; {@code bucketExemplars} has nulls where none was seen.
   */
  public record Totals(Key key, SeriesAggregate aggregate, List<TimedExemplar> bucketExemplars) {}

  private final int maxSeries;
  private final Map<Key, Cumulative> series = new LinkedHashMap<>();
  private long throughMinute = Long.MIN_VALUE;
  private long droppedSeries;

  public CumulativeSpanMetrics(int maxSeries) {
    this.maxSeries = maxSeries;
  }

  /**
   * The minutes to read before a snapshot can be as of {@code targetMinute}: after {@code [0]} up
   * to {@code [1]} (inclusive); empty when there is nothing new. The first read starts at {@code
   * targetMinute} alone: counting starts now, not at the beginning of the retention.
   */
  public synchronized long[] pending(long targetMinute) {
    if (targetMinute <= throughMinute) {
      return new long[0];
    }
    long after = throughMinute == Long.MIN_VALUE ? targetMinute - Minutes.NANOS : throughMinute;
    return new long[] {after, targetMinute};
  }

  /**
   * Adds the stored rows of the minutes after {@code after} up to {@code through}. When the read
   * was cut by its row limit ({@code complete} false), the last minute read may be partial: only
   * the minutes before it are added, and it is read again next time. Rows of minutes already added
   * (a concurrent scrape read them too) are ignored.
   */
  public synchronized void add(long after, long through, List<SpanSeries> rows, boolean complete) {
    if (after < throughMinute && throughMinute != Long.MIN_VALUE) {
      after = throughMinute;
    }
    long upTo = through;
    if (!complete && !rows.isEmpty()) {
      upTo = rows.get(rows.size() - 1).minuteUnixNano() - Minutes.NANOS;
    }
    if (upTo <= after) {
      return;
    }
    for (SpanSeries row : rows) {
      if (row.minuteUnixNano() > after && row.minuteUnixNano() <= upTo) {
        Key key = new Key(row.service(), row.operation(), row.kind(), row.status());
        Cumulative totals = series.get(key);
        if (totals == null) {
          if (series.size() >= maxSeries) {
            droppedSeries++;
            continue;
          }
          totals = new Cumulative();
          series.put(key, totals);
        }
        totals.add(row);
      }
    }
    throughMinute = Math.max(throughMinute, upTo);
  }

  public synchronized List<Totals> snapshot() {
    List<Totals> all = new ArrayList<>(series.size());
    series.forEach(
        (key, totals) ->
            all.add(
                new Totals(
                    key,
                    totals.aggregate.build(),
                    Collections.unmodifiableList(Arrays.asList(totals.exemplars.clone())))));
    return all;
  }

  /** New series not taken since this process started, because {@code maxSeries} were held. */
  public synchronized long droppedSeries() {
    return droppedSeries;
  }

  private static final class Cumulative {
    private final SeriesAggregate.Builder aggregate = SeriesAggregate.builder();
    private final TimedExemplar[] exemplars = new TimedExemplar[DurationBuckets.COUNT];

    private void add(SpanSeries row) {
      aggregate.merge(row.aggregate());
      row.aggregate()
          .exemplar()
          .ifPresent(
              e ->
                  exemplars[DurationBuckets.indexOf(e.durationNanos())] =
                      new TimedExemplar(e, row.minuteUnixNano()));
    }
  }
}
