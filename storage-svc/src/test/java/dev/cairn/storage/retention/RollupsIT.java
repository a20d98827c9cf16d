package dev.cairn.storage.retention;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.DurationBuckets;
import dev.cairn.model.metrics.EdgeSeries;
import dev.cairn.model.metrics.EdgeType;
import dev.cairn.model.metrics.Exemplar;
import dev.cairn.model.metrics.MetricsBatch;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.metrics.SpanSeries;
import dev.cairn.store.EdgeTotal;
import dev.cairn.store.MetricsDelta;
import dev.cairn.store.MetricsPoint;
import dev.cairn.store.MetricsQuery;
import dev.cairn.store.pg.PgMetricsReader;
import dev.cairn.store.pg.PgMetricsWriter;
import dev.cairn.store.pg.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rollup job against the real TimescaleDB: hourly rows equal the per-minute deltas merged in
 * Java, a second run changes nothing, a late delta is in the next run's recomputation, and the
 * metrics reader answers the same before and after the minute rows of old hours are dropped.
 */
class RollupsIT {

  private static final Instant NOW = Instant.parse("2026-06-03T10:20:00Z");
  private static final String TOPIC = "cairn.metrics";
  private static final String[] SERVICES = {"api", "web"};

  private TestDatabase database;
  private PgMetricsWriter writer;
  private JobRunner runner;
  private final MaintenancePlanner planner = new MaintenancePlanner(TestPolicies.defaults());
  private final Random random = new Random(7);
  private long offset;

  /** What was written, merged per hour in Java: the expected rollup. */
  private final Map<String, SeriesAggregate.Builder> expected = new TreeMap<>();

  @BeforeEach
  void migrate() {
    database = TestDatabase.createSchema();
    writer = new PgMetricsWriter(database.dataSource());
    runner = new JobRunner(database.dataSource(), "it", Duration.ofSeconds(5));
  }

  @AfterEach
  void drop() {
    database.close();
  }

  @Test
  void hourlyRowsEqualTheMinutesMergedAndASecondRunChangesNothing() throws SQLException {
    Instant first = Instant.parse("2026-06-03T07:00:00Z");
    for (int minute = 0; minute < 3 * 60; minute += 7) {
      writeMinute(first.plus(minute, ChronoUnit.MINUTES));
    }
    writeMinute(Instant.parse("2026-06-03T10:05:00Z")); // the open hour: not rolled up yet
    expected.keySet().removeIf(key -> key.startsWith("2026-06-03T10:"));

    JobRunner.Run run = runner.run(new RollupJob(planner), NOW, Duration.ZERO);

    assertThat(run.result().orElseThrow().watermark())
        .contains(Instant.parse("2026-06-03T10:00:00Z"));
    Map<String, SeriesAggregate> hourly = hourlySpanMetrics();
    assertThat(hourly).hasSize(3 * SERVICES.length * 2);
    assertThat(hourly.keySet()).isEqualTo(expected.keySet());
    expected.forEach(
        (key, merged) -> assertThat(hourly.get(key)).as(key).isEqualTo(merged.build()));
    assertThat(Chunks.count(database, "SELECT count(*) FROM service_edges_hourly"))
        .isEqualTo(3 * SERVICES.length);

    String edgesBefore = snapshot("service_edges_hourly");
    runner.run(new RollupJob(planner), NOW, Duration.ZERO);
    assertThat(hourlySpanMetrics()).isEqualTo(hourly);
    assertThat(snapshot("service_edges_hourly")).isEqualTo(edgesBefore);
  }

  @Test
  void aLateDeltaForAnHourWithinTheLookbackIsInTheNextRun() throws SQLException {
    Instant hour = Instant.parse("2026-06-03T09:00:00Z");
    writeMinute(hour.plus(10, ChronoUnit.MINUTES));
    runner.run(new RollupJob(planner), NOW, Duration.ZERO);

    writeMinute(hour.plus(50, ChronoUnit.MINUTES)); // published late, after the hour closed
    runner.run(new RollupJob(planner), NOW.plus(Duration.ofMinutes(5)), Duration.ZERO);

    Map<String, SeriesAggregate> hourly = hourlySpanMetrics();
    expected.forEach(
        (key, merged) -> assertThat(hourly.get(key)).as(key).isEqualTo(merged.build()));
  }

  @Test
  void answersAreTheSameWhenOldMinutesGiveWayToTheirHours() throws SQLException {
    // two hours on the 1st, two on the 2nd: the minute tables' 1-day chunks split them
    for (String start : List.of("2026-06-01T22:00:00Z", "2026-06-02T00:00:00Z")) {
      for (int minute = 0; minute < 120; minute += 11) {
        writeMinute(Instant.parse(start).plus(minute, ChronoUnit.MINUTES));
      }
    }
    runner.run(new RollupJob(planner), NOW, Duration.ZERO);
    PgMetricsReader reader = new PgMetricsReader(database.pool());
    Instant from = Instant.parse("2026-06-01T00:00:00Z");
    Instant to = Instant.parse("2026-06-03T00:00:00Z");
    MetricsQuery hourlySteps =
        new MetricsQuery("api", Optional.empty(), Optional.empty(), from, to, Duration.ofHours(1));
    List<EdgeTotal> edges = reader.dependencies(from, to, 100).await().indefinitely();
    List<MetricsPoint> points = reader.serviceMetrics(hourlySteps).await().indefinitely();
    assertThat(points).hasSize(4);

    Chunks.execute(
        database,
        "SELECT public.drop_chunks('span_metrics', older_than => '2026-06-02T00:00:00Z'::timestamptz)");
    Chunks.execute(
        database,
        "SELECT public.drop_chunks('service_edges', older_than => '2026-06-02T00:00:00Z'::timestamptz)");
    assertThat(
            Chunks.count(database, "SELECT count(*) FROM span_metrics WHERE minute < '2026-06-02'"))
        .isZero();

    assertThat(reader.dependencies(from, to, 100).await().indefinitely()).isEqualTo(edges);
    assertThat(reader.serviceMetrics(hourlySteps).await().indefinitely()).isEqualTo(points);
    // and a window that only the hourly rows still cover
    Instant secondDay = Instant.parse("2026-06-02T00:00:00Z");
    assertThat(reader.dependencies(from, secondDay, 100).await().indefinitely())
        .extracting(e -> e.aggregate().count())
        .containsExactlyElementsOf(
            edges.stream().map(e -> e.aggregate().count() / 2).toList()); // 2 hours of 4, equal
  }

  // ------------------------------------------------------------------ helpers

  /** One minute of both services, OK and ERROR, and their edges; noted in {@link #expected}. */
  private void writeMinute(Instant minute) {
    long minuteNanos = minute.getEpochSecond() * 1_000_000_000L;
    List<SpanSeries> spans = new ArrayList<>();
    List<EdgeSeries> edges = new ArrayList<>();
    for (String service : SERVICES) {
      for (StatusCode status : List.of(StatusCode.OK, StatusCode.ERROR)) {
        SeriesAggregate.Builder aggregate = SeriesAggregate.builder();
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
          long duration = (1 + random.nextInt(500)) * 1_000_000L;
          TraceId trace = new TraceId(0, random.nextInt(1_000_000));
          // integer weights: sums are exact whatever the order of addition
          aggregate.add(
              1 + random.nextInt(3), duration, new Exemplar(trace, new SpanId(1), duration));
        }
        SeriesAggregate built = aggregate.build();
        spans.add(new SpanSeries(minuteNanos, service, "GET /", SpanKind.SERVER, status, built));
        expected
            .computeIfAbsent(
                RollupWindow.hourOf(minute) + " " + service + " " + status.number(),
                k -> SeriesAggregate.builder())
            .merge(built);
      }
      edges.add(
          new EdgeSeries(
              minuteNanos,
              service,
              "db",
              EdgeType.REQUEST,
              1,
              SeriesAggregate.builder().add(2, 3_000_000L, null).build()));
    }
    writer.apply(TOPIC, 0, List.of(new MetricsDelta(offset++, new MetricsBatch(spans, edges))));
  }

  private Map<String, SeriesAggregate> hourlySpanMetrics() throws SQLException {
    Map<String, SeriesAggregate> rows = new TreeMap<>();
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT hour, service_name, status_code, calls, spans, duration_sum_nano, buckets,"
                    + " exemplar_trace_id, exemplar_span_id, exemplar_duration_nano"
                    + " FROM span_metrics_hourly")) {
      while (row.next()) {
        Double[] stored = (Double[]) row.getArray("buckets").getArray();
        double[] buckets = new double[DurationBuckets.COUNT];
        for (int i = 0; i < stored.length; i++) {
          buckets[i] = stored[i];
        }
        UUID trace = row.getObject("exemplar_trace_id", UUID.class);
        Optional<Exemplar> exemplar =
            trace == null
                ? Optional.empty()
                : Optional.of(
                    new Exemplar(
                        new TraceId(
                            trace.getMostSignificantBits(), trace.getLeastSignificantBits()),
                        new SpanId(row.getLong("exemplar_span_id")),
                        row.getLong("exemplar_duration_nano")));
        rows.put(
            row.getObject("hour", OffsetDateTime.class).toInstant()
                + " "
                + row.getString("service_name")
                + " "
                + row.getShort("status_code"),
            new SeriesAggregate(
                row.getDouble("calls"),
                row.getLong("spans"),
                row.getDouble("duration_sum_nano"),
                buckets,
                exemplar));
      }
    }
    return rows;
  }

  /** Every row of {@code table} (a constant of the test) as text, in key order. */
  private String snapshot(String table) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row =
            statement.executeQuery(
                "SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM " + table + " t")) {
      row.next();
      return row.getString(1);
    }
  }
}
