package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static dev.cairn.store.pg.PgTraceReader.TRACE_SEGMENTS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Evidence that a trace lookup by id does not probe every chunk: with the summary's bounds, the
 * segment query's plan (custom and generic, as a prepared statement runs it) touches only the
 * trace's chunk.
 */
class FindTraceChunkExclusionIT {

  private static final long HOUR = 3_600_000_000_000L;
  private static final int HOURS = 48;

  private static TestDatabase database;
  private static TraceId target;

  @BeforeAll
  static void fillFortyEightChunks() {
    database = TestDatabase.createSchema();
    PgSpanWriter writer = new PgSpanWriter(database.dataSource());
    long base = Instant.parse("2022-03-01T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    List<Span> spans = new ArrayList<>();
    for (int hour = 0; hour < HOURS; hour++) {
      TraceId id = randomTraceId();
      spans.add(span(id, randomSpanId(), Optional.empty(), "svc", "op", base + hour * HOUR, 1000));
      if (hour == 17) {
        target = id;
      }
    }
    writer.write(RetentionClass.STANDARD, spans);
  }

  @AfterAll
  static void drop() {
    database.close();
  }

  @Test
  void boundedLookupScansOneChunkUnboundedScansAll() throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      String id = SpanCopyEncoder.uuidOf(target).toString();
      statement.execute(
          "PREPARE bounded(uuid, timestamptz, timestamptz) AS " + PgTraceReader.TRACE_SEGMENTS);
      String bounds = bounds(statement, id);
      String custom = explain(statement, "EXECUTE bounded('" + id + "', " + bounds + ")");
      statement.execute("SET plan_cache_mode = force_generic_plan");
      String generic = explain(statement, "EXECUTE bounded('" + id + "', " + bounds + ")");
      String unbounded =
          explain(statement, "SELECT segment_id FROM trace_segments WHERE trace_id = '" + id + "'");
      System.out.printf(
          "findTrace plans (%d one-hour chunks):%n-- bounded, custom plan:%n%s%n"
              + "-- bounded, generic plan:%n%s%n-- unbounded: %d chunk scans%n",
          HOURS, custom, generic, chunksScanned(unbounded));

      assertThat(chunksScanned(custom)).isEqualTo(1);
      assertThat(chunksScanned(generic)).isEqualTo(1);
      assertThat(chunksScanned(unbounded)).isEqualTo(HOURS);
    }
  }

  /**
   * Planning, not only running, stays within the trace's chunk: the custom plan locks (opens) the
   * one chunk it reads, not every chunk of the hypertables, which is what planning through the
   * {@code trace_segments} view did (PostgreSQL excluded the chunks one by one after opening them).
   */
  @Test
  void boundedLookupOpensOnlyTheTracesChunk() throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      String id = SpanCopyEncoder.uuidOf(target).toString();
      String bounds = bounds(statement, id);
      statement.execute("PREPARE opened(uuid, timestamptz, timestamptz) AS " + TRACE_SEGMENTS);
      connection.setAutoCommit(false);
      try (ResultSet rows =
          statement.executeQuery("EXECUTE opened('" + id + "', " + bounds + ")")) {
        assertThat(rows.next()).as("the trace's segment").isTrue();
      }
      long chunksOpened;
      try (ResultSet row =
          statement.executeQuery(
              "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                  + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                  + " WHERE l.pid = pg_backend_pid() AND n.nspname = '_timescaledb_internal'"
                  + " AND c.relkind = 'r' AND c.relname LIKE '%chunk'")) {
        row.next();
        chunksOpened = row.getLong(1);
      }
      connection.rollback();
      assertThat(chunksOpened).as("chunks locked by the lookup of %d", HOURS).isEqualTo(1);
    }
  }

  /** The trace's segment bounds from its summary, as two literals for EXECUTE. */
  private static String bounds(Statement statement, String id) throws SQLException {
    try (ResultSet row =
        statement.executeQuery(
            "SELECT start_time::text, last_segment_start::text FROM trace_summaries_all"
                + " WHERE trace_id = '"
                + id
                + "'")) {
      row.next();
      return "'" + row.getString(1) + "', '" + row.getString(2) + "'";
    }
  }

  private static String explain(Statement statement, String sql) throws SQLException {
    StringBuilder plan = new StringBuilder();
    try (ResultSet rows = statement.executeQuery("EXPLAIN (ANALYZE, COSTS OFF) " + sql)) {
      while (rows.next()) {
        plan.append(rows.getString(1)).append('\n');
      }
    }
    return plan.toString();
  }

  /** Chunk scans that ran (an excluded chunk is not in the plan, or shows "never executed"). */
  private static long chunksScanned(String plan) {
    return plan.lines()
        .filter(line -> line.contains("_hyper_") && !line.contains("never executed"))
        .filter(line -> line.contains("Scan"))
        .count();
  }
}
