package dev.cairn.storage.retention;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.RetentionTier;
import dev.cairn.store.StoreTable;
import dev.cairn.store.StoreTables;
import dev.cairn.store.pg.PgSpanWriter;
import dev.cairn.store.pg.TestDatabase;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A retention run against the real TimescaleDB (Apache-2 build), in a schema of this test's own,
 * with rows written at backdated times: it drops exactly the chunks that end before each tier's
 * cut-off, in every table of {@link StoreTables}, and nothing else.
 */
class RetentionJobIT {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  private TestDatabase database;
  private JobRunner runner;
  private MaintenancePlanner planner;

  @BeforeEach
  void migrate() {
    database = TestDatabase.createSchema();
    runner = new JobRunner(database.dataSource(), "it", Duration.ofSeconds(5));
    planner = new MaintenancePlanner(TestPolicies.defaults());
  }

  @AfterEach
  void drop() {
    database.close();
  }

  @Test
  void dropsExactlyTheExpiredChunksOfEachTier() throws SQLException {
    PgSpanWriter writer = new PgSpanWriter(database.dataSource());
    Instant standardCutoff = NOW.minus(Duration.ofDays(7));
    Instant extendedCutoff = NOW.minus(Duration.ofDays(30));
    writer.write(
        RetentionClass.STANDARD,
        List.of(
            spanAt(NOW.minus(Duration.ofDays(10))),
            spanAt(standardCutoff.minus(Duration.ofHours(1))), // its 1-hour chunk ends before
            spanAt(standardCutoff.plusSeconds(1)), // its chunk ends after the cut-off: kept
            spanAt(NOW.minus(Duration.ofDays(1)))));
    writer.write(
        RetentionClass.EXTENDED,
        List.of(
            spanAt(NOW.minus(Duration.ofDays(40))),
            spanAt(NOW.minus(Duration.ofDays(10))), // beyond standard's period, within extended
            spanAt(extendedCutoff.plusSeconds(1))));
    // the V1-V5 layout's span rows, no longer written, age out the same way
    for (Instant at :
        List.of(
            NOW.minus(Duration.ofDays(10)),
            standardCutoff.plusSeconds(1),
            NOW.minus(Duration.ofDays(1)))) {
      insertLegacySpan("spans_standard", at);
    }
    for (Instant at : List.of(NOW.minus(Duration.ofDays(40)), extendedCutoff.plusSeconds(1))) {
      insertLegacySpan("spans_extended", at);
    }
    Instant aggregatesCutoff = NOW.minus(Duration.ofDays(90));
    for (String table : List.of("span_metrics", "service_edges")) {
      insertAggregate(table, "minute", aggregatesCutoff.minus(Duration.ofDays(2)));
      insertAggregate(table, "minute", aggregatesCutoff.plus(Duration.ofDays(2)));
    }
    for (String table : List.of("span_metrics_hourly", "service_edges_hourly")) {
      insertAggregate(table, "hour", aggregatesCutoff.minus(Duration.ofDays(20)));
      insertAggregate(table, "hour", NOW.minus(Duration.ofDays(2)));
    }
    // the catalogs: operations and search terms by the day of their spans (written above: 40, 10
    // and 1 days ago
    // and at both cut-offs), resources by last_seen; kept a day longer than extended's spans
    Instant catalogCutoff = NOW.minus(Duration.ofDays(31));
    for (Instant at : List.of(NOW.minus(Duration.ofDays(40)), NOW.minus(Duration.ofDays(2)))) {
      insertResource(at);
    }
    writer.write(RetentionClass.EXTENDED, List.of(spanAt(NOW.minus(Duration.ofDays(40)), "gone")));
    // the rollup is up to date, so the minute tables may go down to their cut-off
    Chunks.execute(
        database,
        "INSERT INTO maintenance_runs VALUES ('rollup', now(), 'it', '"
            + RollupWindow.hourOf(NOW)
            + "', '{}')");

    Map<StoreTable, Instant> cutoffs =
        Map.ofEntries(
            Map.entry(StoreTables.SEGMENTS_STANDARD, standardCutoff),
            Map.entry(StoreTables.SEGMENTS_EXTENDED, extendedCutoff),
            Map.entry(StoreTables.SUMMARIES_STANDARD, standardCutoff),
            Map.entry(StoreTables.SUMMARIES_EXTENDED, extendedCutoff),
            Map.entry(StoreTables.SPANS_STANDARD, standardCutoff),
            Map.entry(StoreTables.SPANS_EXTENDED, extendedCutoff),
            Map.entry(StoreTables.SPAN_METRICS, aggregatesCutoff),
            Map.entry(StoreTables.SERVICE_EDGES, aggregatesCutoff),
            Map.entry(StoreTables.SPAN_METRICS_HOURLY, aggregatesCutoff),
            Map.entry(StoreTables.SERVICE_EDGES_HOURLY, aggregatesCutoff),
            Map.entry(StoreTables.OPERATIONS, catalogCutoff),
            Map.entry(StoreTables.SEARCH_TERM_DAYS, catalogCutoff),
            Map.entry(StoreTables.RESOURCES, catalogCutoff));
    Map<StoreTable, List<Chunks.Chunk>> before = chunksOfEveryTable();
    for (StoreTable table : StoreTables.ALL) {
      // the fixture has expired and live chunks in every table
      assertThat(before.get(table))
          .as(table.name())
          .anyMatch(c -> !c.rangeEnd().isAfter(cutoffs.get(table)))
          .anyMatch(c -> c.rangeEnd().isAfter(cutoffs.get(table)));
    }

    JobRunner.Run run =
        runner.run(new RetentionJob(planner, LicenceMode.APACHE), NOW, Duration.ZERO);

    assertThat(run.outcome()).isEqualTo(JobRunner.Outcome.RAN);
    Map<StoreTable, List<Chunks.Chunk>> after = chunksOfEveryTable();
    for (StoreTable table : StoreTables.ALL) {
      List<Chunks.Chunk> expected =
          before.get(table).stream().filter(c -> c.rangeEnd().isAfter(cutoffs.get(table))).toList();
      assertThat(after.get(table)).as(table.name()).containsExactlyElementsOf(expected);
      assertThat(run.result().orElseThrow().rowsByTable().get(table.name()))
          .as("chunks dropped from " + table.name())
          .isEqualTo(before.get(table).size() - expected.size());
    }
    assertThat(Chunks.count(database, "SELECT sum(span_count) FROM trace_segments_standard"))
        .isEqualTo(2);
    assertThat(Chunks.count(database, "SELECT sum(span_count) FROM trace_segments_extended"))
        .isEqualTo(2);
    // summaries live in day chunks: the two recent traces' certainly stay
    assertThat(Chunks.count(database, "SELECT count(*) FROM trace_summaries_standard"))
        .isBetween(2L, 3L);
    assertThat(Chunks.count(database, "SELECT count(*) FROM spans_standard")).isEqualTo(2);
    assertThat(Chunks.count(database, "SELECT count(*) FROM spans_extended")).isEqualTo(1);
    assertThat(Chunks.count(database, "SELECT count(*) FROM span_metrics")).isEqualTo(1);
    // an operation no span refers to any more is gone, one still in use stays (once)
    assertThat(Chunks.count(database, "SELECT count(*) FROM operations WHERE span_name = 'gone'"))
        .isZero();
    assertThat(
            Chunks.count(
                database, "SELECT count(DISTINCT (service_name, span_name)) FROM operations"))
        .isEqualTo(1);
    assertThat(Chunks.count(database, "SELECT count(*) FROM resources")).isEqualTo(1);
    // indexes are per chunk: no index of a dropped chunk is left
    assertThat(
            Chunks.count(
                database,
                "SELECT count(*) FROM pg_indexes i JOIN timescaledb_information.chunks c"
                    + " ON i.schemaname = c.chunk_schema AND i.tablename = c.chunk_name"
                    + " WHERE c.hypertable_schema = current_schema()"))
        .isEqualTo(indexesOfLiveChunks());

    // a second run finds nothing more to drop
    JobRunner.Run again =
        runner.run(new RetentionJob(planner, LicenceMode.APACHE), NOW, Duration.ZERO);
    assertThat(again.result().orElseThrow().rowsByTable().values()).containsOnly(0);
    assertThat(chunksOfEveryTable()).isEqualTo(after);
  }

  @Test
  void minuteAggregatesWaitForTheirRollup() throws SQLException {
    // minutes kept 90 days, their rollups a year
    planner =
        new MaintenancePlanner(TestPolicies.with(RetentionTier.ROLLUPS, Duration.ofDays(365)));
    Instant old = NOW.minus(Duration.ofDays(120));
    insertAggregate("span_metrics", "minute", old);

    // no rollup has run: the minute rows stay, however old
    runner.run(new RetentionJob(planner, LicenceMode.APACHE), NOW, Duration.ZERO);
    assertThat(Chunks.count(database, "SELECT count(*) FROM span_metrics")).isEqualTo(1);

    runner.run(new RollupJob(planner), NOW, Duration.ZERO);
    runner.run(new RetentionJob(planner, LicenceMode.APACHE), NOW, Duration.ZERO);
    assertThat(Chunks.count(database, "SELECT count(*) FROM span_metrics")).isZero();
    // rolled up before it went: the cold tier still answers for that hour
    assertThat(Chunks.count(database, "SELECT count(*) FROM span_metrics_hourly")).isEqualTo(1);
  }

  @Test
  void theStartupPlanSetsEveryTablesChunkInterval() throws SQLException {
    runner.run(new StartupPoliciesJob(planner, LicenceMode.APACHE), NOW, Duration.ZERO);
    String sql =
        "SELECT count(*) FROM timescaledb_information.dimensions WHERE hypertable_schema = '"
            + database.schema()
            + "' AND ((hypertable_name ~ '^(spans|trace_segments)_'"
            + " AND time_interval = INTERVAL '1 hour')"
            + " OR (hypertable_name LIKE 'trace_summaries_%' AND time_interval = INTERVAL '1 day')"
            + " OR (hypertable_name IN ('span_metrics', 'service_edges')"
            + " AND time_interval = INTERVAL '1 day')"
            + " OR (hypertable_name LIKE '%_hourly' AND time_interval = INTERVAL '7 days')"
            + " OR (hypertable_name IN ('operations', 'search_term_days', 'resources')"
            + " AND time_interval = INTERVAL '1 day'))";
    assertThat(Chunks.count(database, sql)).isEqualTo(StoreTables.ALL.size());
  }

  private Map<StoreTable, List<Chunks.Chunk>> chunksOfEveryTable() {
    Map<StoreTable, List<Chunks.Chunk>> chunks = new java.util.HashMap<>();
    for (StoreTable table : StoreTables.ALL) {
      chunks.put(table, Chunks.of(database, table.name()));
    }
    return chunks;
  }

  private static Span spanAt(Instant start) {
    return spanAt(start, "op");
  }

  private static Span spanAt(Instant start, String name) {
    long nanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    return span(randomTraceId(), randomSpanId(), Optional.empty(), "svc", name, nanos, 1000);
  }

  /** A row of the V2 layout's resource catalog last seen at {@code at}. */
  private void insertResource(Instant at) {
    Chunks.execute(
        database,
        "INSERT INTO resources (resource_id, resource, tags, last_seen) VALUES"
            + " (gen_random_uuid(), '{}', '{}', '"
            + at
            + "')");
  }

  /**
   * Every live chunk's indexes: as many as its hypertable has (each chunk carries its own copy of
   * the table's indexes, and a dropped chunk takes them along).
   */
  private long indexesOfLiveChunks() {
    return Chunks.count(
        database,
        "SELECT coalesce(sum(n), 0) FROM (SELECT (SELECT count(*) FROM pg_indexes i"
            + " WHERE i.schemaname = c.hypertable_schema AND i.tablename = c.hypertable_name) AS n"
            + " FROM timescaledb_information.chunks c"
            + " WHERE c.hypertable_schema = current_schema()) per_chunk");
  }

  /** A row of the V1-V5 span layout starting at {@code at}. */
  private void insertLegacySpan(String table, Instant at) {
    long nanos = at.getEpochSecond() * 1_000_000_000L + at.getNano();
    Chunks.execute(
        database,
        "INSERT INTO "
            + table
            + " (trace_id, span_id, start_time, start_unix_nano, end_unix_nano, duration_nano,"
            + " service_name, name, kind, status_code, status_message, trace_state, flags,"
            + " attributes, dropped_attributes_count, events, dropped_events_count, links,"
            + " dropped_links_count, resource, scope, tags) VALUES (gen_random_uuid(), 1, '"
            + at
            + "', "
            + nanos
            + ", "
            + (nanos + 1000)
            + ", 1000, 'svc', 'op', 2, 0, '', '', 0, '[]', 0, '[]', 0, '[]', 0, '{}', '{}', '{}')");
  }

  /** One row of an aggregate table at {@code at}, the same columns in all four. */
  private void insertAggregate(String table, String timeColumn, Instant at) {
    String keys =
        table.startsWith("span_metrics")
            ? "service_name, span_name, kind, status_code"
            : "client_service, server_service, edge_type";
    String values = table.startsWith("span_metrics") ? "'svc', 'op', 2, 0" : "'a', 'b', 0";
    String errors = table.startsWith("span_metrics") ? "" : ", errors";
    String errorValue = table.startsWith("span_metrics") ? "" : ", 0";
    Chunks.execute(
        database,
        "INSERT INTO "
            + table
            + " ("
            + timeColumn
            + ", "
            + keys
            + ", calls, spans, duration_sum_nano, buckets"
            + errors
            + ") VALUES ('"
            + at
            + "', "
            + values
            + ", 1, 1, 1000, ARRAY[1]::double precision[]"
            + errorValue
            + ")");
  }
}
