package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.DurationBuckets;
import dev.cairn.model.metrics.EdgeSeries;
import dev.cairn.model.metrics.EdgeType;
import dev.cairn.model.metrics.Exemplar;
import dev.cairn.model.metrics.MetricsBatch;
import dev.cairn.model.metrics.Minutes;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.metrics.SpanSeries;
import dev.cairn.store.EdgeTotal;
import dev.cairn.store.MetricsDelta;
import dev.cairn.store.MetricsPoint;
import dev.cairn.store.MetricsQuery;
import dev.cairn.store.MetricsReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Span metrics written through {@link PgMetricsWriter} and read through {@link PgMetricsReader}
 * against the real TimescaleDB, in a schema of this run's own: deltas add up, a redelivered record
 * adds nothing, histograms merge bucket by bucket and the slowest exemplar wins.
 */
class PgMetricsStoreIT {

  private static final long MS = 1_000_000L;
  private static final long MINUTE = Minutes.of(1_764_000_000_000_000_000L);
  private static final String TOPIC = "cairn.metrics";

  private static TestDatabase database;
  private static PgMetricsWriter writer;
  private static MetricsReader reader;

  @BeforeAll
  static void migrate() {
    database = TestDatabase.createSchema();
    writer = new PgMetricsWriter(database.dataSource());
    reader = new PgMetricsReader(database.pool());
  }

  @AfterAll
  static void dropSchema() {
    database.close();
  }

  @Test
  void deltasAddUpAndARedeliveredRecordAddsNothing() {
    MetricsDelta first = delta(0, batch(MINUTE, "api", 10.0, 20 * MS, trace(1), 2.0));
    MetricsDelta second = delta(1, batch(MINUTE, "api", 5.0, 80 * MS, trace(2), 0.0));
    assertThat(writer.apply(TOPIC, 0, List.of(first, second))).isEqualTo(2);

    // redelivered: both again, and one new record after them
    MetricsDelta third = delta(2, batch(MINUTE + Minutes.NANOS, "api", 1.0, 5 * MS, trace(3), 1));
    assertThat(writer.apply(TOPIC, 0, List.of(first, second, third))).isEqualTo(1);
    assertThat(writer.apply(TOPIC, 0, List.of(second))).isZero();
    // another partition's offsets are its own
    assertThat(writer.apply(TOPIC, 1, List.of(delta(0, batch(MINUTE, "web", 1, MS, null, 0)))))
        .isEqualTo(1);

    List<MetricsPoint> points =
        reader
            .serviceMetrics(
                new MetricsQuery(
                    "api",
                    Optional.empty(),
                    Optional.empty(),
                    instant(MINUTE),
                    instant(MINUTE + 2 * Minutes.NANOS),
                    Duration.ofMinutes(1)))
            .await()
            .indefinitely();
    assertThat(points).hasSize(2);
    MetricsPoint minute = points.get(0);
    assertThat(minute.start()).isEqualTo(instant(MINUTE));
    // ok series 10 + 5 requests, error series 2 + 0
    assertThat(minute.aggregate().count()).isEqualTo(17.0);
    assertThat(minute.errors()).isEqualTo(2.0);
    assertThat(minute.aggregate().spans()).isEqualTo(4);
    double[] buckets = minute.aggregate().buckets();
    assertThat(buckets[DurationBuckets.indexOf(20 * MS)]).isEqualTo(12.0);
    assertThat(buckets[DurationBuckets.indexOf(80 * MS)]).isEqualTo(5.0);
    assertThat(points.get(1).aggregate().count()).isEqualTo(2.0);

    List<EdgeTotal> edges =
        reader
            .dependencies(instant(MINUTE), instant(MINUTE + 2 * Minutes.NANOS), 100)
            .await()
            .indefinitely();
    assertThat(edges)
        .extracting(EdgeTotal::client, EdgeTotal::server, EdgeTotal::type)
        .containsExactly(
            tuple("api", "db", EdgeType.VIRTUAL), tuple("web", "db", EdgeType.VIRTUAL));
    assertThat(edges.get(0).aggregate().count()).isEqualTo(19.0);
    assertThat(edges.get(0).errors()).isEqualTo(3.0);

    List<SpanSeries> rows =
        reader.spanSeries(instant(MINUTE - 1), instant(MINUTE), 1000).await().indefinitely();
    SpanSeries ok =
        rows.stream()
            .filter(s -> s.service().equals("api") && s.status() == StatusCode.OK)
            .findFirst()
            .orElseThrow();
    assertThat(ok.aggregate().count()).isEqualTo(15.0);
    assertThat(ok.aggregate().exemplar())
        .contains(new Exemplar(trace(2), new SpanId(2), 80 * MS)); // the slower one
  }

  @Test
  void stepsStartAtTheWindowStartAndFiltersNarrowTheSeries() {
    long base = MINUTE + 100 * Minutes.NANOS;
    for (int i = 0; i < 3; i++) {
      writer.apply(
          TOPIC, 7, List.of(delta(i, batch(base + i * Minutes.NANOS, "steps", 1.0, MS, null, 0))));
    }
    MetricsQuery twoMinuteSteps =
        new MetricsQuery(
            "steps",
            Optional.of("GET /"),
            Optional.of(SpanKind.SERVER),
            instant(base),
            instant(base + 3 * Minutes.NANOS),
            Duration.ofMinutes(2));
    List<MetricsPoint> points = reader.serviceMetrics(twoMinuteSteps).await().indefinitely();
    assertThat(points)
        .extracting(MetricsPoint::start)
        .containsExactly(instant(base), instant(base + 2 * Minutes.NANOS));
    assertThat(points).extracting(p -> p.aggregate().count()).containsExactly(2.0, 1.0);

    MetricsQuery otherKind =
        new MetricsQuery(
            "steps",
            Optional.empty(),
            Optional.of(SpanKind.CLIENT),
            instant(base),
            instant(base + 3 * Minutes.NANOS),
            Duration.ofMinutes(1));
    assertThat(reader.serviceMetrics(otherKind).await().indefinitely()).isEmpty();
  }

  // ------------------------------------------------------------------ helpers

  /** An OK series of {@code ok} requests and an ERROR one of {@code errors}, and an edge. */
  private static MetricsBatch batch(
      long minute, String service, double ok, long durationNanos, TraceId exemplar, double errors) {
    SeriesAggregate okAggregate =
        SeriesAggregate.builder()
            .add(
                ok,
                durationNanos,
                exemplar == null
                    ? null
                    : new Exemplar(exemplar, new SpanId(exemplar.low()), durationNanos))
            .build();
    SeriesAggregate errorAggregate =
        SeriesAggregate.builder().add(errors, durationNanos, null).build();
    return new MetricsBatch(
        List.of(
            new SpanSeries(minute, service, "GET /", SpanKind.SERVER, StatusCode.OK, okAggregate),
            new SpanSeries(
                minute, service, "GET /", SpanKind.SERVER, StatusCode.ERROR, errorAggregate)),
        List.of(
            new EdgeSeries(
                minute,
                service,
                "db",
                EdgeType.VIRTUAL,
                errors,
                SeriesAggregate.builder().add(ok + errors, durationNanos, null).build())));
  }

  private static MetricsDelta delta(long offset, MetricsBatch batch) {
    return new MetricsDelta(offset, batch);
  }

  private static TraceId trace(long n) {
    return new TraceId(0, n);
  }

  private static Instant instant(long unixNano) {
    return Instant.ofEpochSecond(0, unixNano);
  }
}
