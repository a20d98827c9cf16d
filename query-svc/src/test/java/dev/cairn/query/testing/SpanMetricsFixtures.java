package dev.cairn.query.testing;

import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.EdgeSeries;
import dev.cairn.model.metrics.EdgeType;
import dev.cairn.model.metrics.Exemplar;
import dev.cairn.model.metrics.MetricsBatch;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.metrics.SpanSeries;
import dev.cairn.store.pg.PgMetricsWriter;
import java.util.List;

/**
 * Span-metric aggregates with known figures, stored through trace-store's metrics writer (the path
 * storage-svc takes): a server operation {@value #OPERATION} of {@code server} with fast OK spans
 * and slow errors, and the {@code client → server} request edge for each, every span standing for
 * {@value #WEIGHT} (10 % head sampling).
 */
public final class SpanMetricsFixtures {

  public static final String OPERATION = "POST /orders";
  public static final double WEIGHT = 10;
  public static final long OK_NANOS = 10_000_000L;
  public static final long ERROR_NANOS = 400_000_000L;
  public static final TraceId SLOW = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");

  /** The bounds of the latency bucket holding {@link #OK_NANOS}, in milliseconds. */
  public static final double OK_BUCKET_LOW_MS = 8.19;

  public static final double OK_BUCKET_HIGH_MS = 11.59;

  /** The bounds of the latency bucket holding {@link #ERROR_NANOS}, in milliseconds. */
  public static final double ERROR_BUCKET_LOW_MS = 362.0;

  public static final double ERROR_BUCKET_HIGH_MS = 512.0;

  private SpanMetricsFixtures() {}

  /** A writer into the test schema (migrated). */
  public static PgMetricsWriter writer(String schema) {
    TestStore.writer(schema); // migrates the schema
    return new PgMetricsWriter(TestStore.dataSource(schema));
  }

  /**
   * One minute: {@code ok} OK spans of {@link #OK_NANOS} and {@code errors} ERROR spans of {@link
   * #ERROR_NANOS} at {@code server}'s {@link #OPERATION}, and the edge from {@code client} for
   * each.
   */
  public static MetricsBatch minute(
      long minuteNanos, String client, String server, int ok, int errors) {
    SeriesAggregate.Builder okSpans = SeriesAggregate.builder();
    SeriesAggregate.Builder errorSpans = SeriesAggregate.builder();
    SeriesAggregate.Builder calls = SeriesAggregate.builder();
    for (int i = 0; i < ok; i++) {
      okSpans.add(WEIGHT, OK_NANOS, null);
      calls.add(WEIGHT, OK_NANOS, null);
    }
    for (int i = 0; i < errors; i++) {
      Exemplar slow = new Exemplar(SLOW, new SpanId(i + 1), ERROR_NANOS);
      errorSpans.add(WEIGHT, ERROR_NANOS, slow);
      calls.add(WEIGHT, ERROR_NANOS, slow);
    }
    return new MetricsBatch(
        List.of(
            new SpanSeries(
                minuteNanos, server, OPERATION, SpanKind.SERVER, StatusCode.OK, okSpans.build()),
            new SpanSeries(
                minuteNanos,
                server,
                OPERATION,
                SpanKind.SERVER,
                StatusCode.ERROR,
                errorSpans.build())),
        List.of(
            new EdgeSeries(
                minuteNanos, client, server, EdgeType.REQUEST, errors * WEIGHT, calls.build())));
  }
}
