package dev.cairn.storage.retention;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static dev.cairn.store.StoreTestSpans.withAttributes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.Attribute;
import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.StoreTable;
import dev.cairn.store.StoreTables;
import dev.cairn.store.TracePage;
import dev.cairn.store.TraceQueryBuilder;
import dev.cairn.store.TraceSpans;
import dev.cairn.store.pg.PgSpanWriter;
import dev.cairn.store.pg.PgTraceReader;
import dev.cairn.store.pg.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The warm index rebuild against the real TimescaleDB: every index of each warm chunk of the
 * segments and summaries is rebuilt once (a new index in the old one's place) and the recent
 * chunks' are left alone; trace by id and search answer exactly as before; a second run rebuilds
 * nothing; a rebuild cut short by a lock timeout leaves the chunk's own indexes valid and its
 * invalid copies are dropped by the run that takes the chunk again.
 */
class IndexRebuildJobIT {

  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

  /** Two days ago: warm (after 1 day) within both classes' periods, summaries' day chunk too. */
  private static final Instant WARM =
      NOW.minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(10));

  private static final Instant HOT = NOW.minus(Duration.ofMinutes(30));

  private static final List<StoreTable> TABLES =
      List.of(
          StoreTables.SEGMENTS_STANDARD,
          StoreTables.SEGMENTS_EXTENDED,
          StoreTables.SUMMARIES_STANDARD,
          StoreTables.SUMMARIES_EXTENDED);

  private TestDatabase database;
  private PgSpanWriter writer;
  private PgTraceReader reader;

  @BeforeEach
  void migrate() {
    database = TestDatabase.createSchema();
    writer = new PgSpanWriter(database.dataSource());
    reader = new PgTraceReader(database.pool());
  }

  @AfterEach
  void drop() {
    database.close();
  }

  @Test
  void rebuildsEveryIndexOfEachWarmChunkOnceAndReadsAnswerAsBefore() throws SQLException {
    List<TraceId> traces = new ArrayList<>();
    for (RetentionClass retention : RetentionClass.values()) {
      for (Instant at : List.of(WARM, HOT)) {
        traces.add(write(retention, at));
      }
    }
    Map<TraceId, TraceSpans> tracesBefore = ReadBack.traces(reader, traces);
    List<TracePage> searchesBefore = searches();
    Map<String, Long> indexesBefore = indexes();
    assertThat(indexesBefore.keySet())
        .as("warm and hot chunks of all four tables, two indexes or more each")
        .hasSizeGreaterThanOrEqualTo(4 * 2 * 2);

    Map<String, Integer> rebuilt = rebuildAll(new JobRunner(database.dataSource(), "it", SECONDS));

    assertThat(rebuilt)
        .as("the one warm chunk of each table")
        .containsOnly(
            Map.entry("trace_segments_standard", 1),
            Map.entry("trace_segments_extended", 1),
            Map.entry("trace_summaries_standard", 1),
            Map.entry("trace_summaries_extended", 1));
    Map<String, Long> indexesAfter = indexes();
    assertThat(indexesAfter.keySet()).isEqualTo(indexesBefore.keySet());
    indexesBefore.forEach(
        (index, oid) -> {
          boolean warm = warmChunkIndexes().contains(index);
          assertThat(indexesAfter.get(index).equals(oid))
              .as(index + (warm ? " rebuilt" : " left as it was"))
              .isEqualTo(!warm);
        });
    assertThat(invalidIndexes()).isEmpty();
    assertThat(ReadBack.traces(reader, traces)).isEqualTo(tracesBefore);
    assertThat(searches()).isEqualTo(searchesBefore);

    // the watermark is past the warm chunks: nothing more to rebuild
    assertThat(rebuildAll(new JobRunner(database.dataSource(), "it", SECONDS)).values())
        .containsOnly(0);
    assertThat(indexes()).isEqualTo(indexesAfter);
  }

  @Test
  void aRebuildCutShortLeavesValidIndexesAndTheNextRunDropsItsCopies() throws Exception {
    TraceId trace = write(RetentionClass.STANDARD, WARM);
    TraceSpans before = reader.findTrace(trace, 100).await().atMost(Duration.ofSeconds(30));
    String chunk = Chunks.of(database, StoreTables.SEGMENTS_STANDARD.name()).get(0).name();
    IndexRebuildJob job = new IndexRebuildJob(StoreTables.SEGMENTS_STANDARD, policy());
    JobRunner impatient = new JobRunner(database.dataSource(), "it", Duration.ofMillis(300));

    // an open write transaction on the chunk: the rebuild waits for it, and times out
    try (Connection holder = database.dataSource().getConnection()) {
      holder.setAutoCommit(false);
      try (Statement statement = holder.createStatement()) {
        statement.execute("LOCK TABLE _timescaledb_internal." + chunk + " IN ROW EXCLUSIVE MODE");
      }
      assertThatThrownBy(() -> impatient.run(job, NOW, Duration.ZERO))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("lock timeout");
      holder.rollback();
    }
    assertThat(invalidIndexes()).isNotEmpty().allMatch(index -> index.contains("_ccnew"));
    assertThat(Chunks.count(database, "SELECT count(*) FROM maintenance_runs")).isZero();
    assertThat(reader.findTrace(trace, 100).await().atMost(Duration.ofSeconds(30)))
        .isEqualTo(before);

    JobRunner.Run run = impatient.run(job, NOW, Duration.ZERO);

    assertThat(run.result().orElseThrow().rowsByTable())
        .containsEntry("trace_segments_standard", 1);
    assertThat(invalidIndexes()).isEmpty();
    assertThat(reader.findTrace(trace, 100).await().atMost(Duration.ofSeconds(30)))
        .isEqualTo(before);
  }

  // ------------------------------------------------------------------ helpers

  private static final Duration SECONDS = Duration.ofSeconds(5);

  private static RetentionPolicy policy() {
    return TestPolicies.defaults();
  }

  private static Map<String, Integer> rebuildAll(JobRunner runner) throws SQLException {
    Map<String, Integer> rebuilt = new TreeMap<>();
    for (StoreTable table : TABLES) {
      JobRunner.Run run = runner.run(new IndexRebuildJob(table, policy()), NOW, Duration.ZERO);
      assertThat(run.outcome()).isEqualTo(JobRunner.Outcome.RAN);
      rebuilt.putAll(run.result().orElseThrow().rowsByTable());
    }
    return rebuilt;
  }

  /** A trace of two spans in one batch of the class, starting at {@code at}. */
  private TraceId write(RetentionClass retention, Instant at) {
    TraceId trace = randomTraceId();
    Span root =
        withAttributes(
            span(
                trace, randomSpanId(), Optional.empty(), "frontend", "GET /", nanos(at), 5_000_000),
            List.of(Attribute.of("tier", retention.headerValue())));
    Span child =
        span(
            trace,
            randomSpanId(),
            Optional.of(root.spanId()),
            "db",
            "SELECT",
            nanos(at) + 1_000_000,
            2_000_000);
    writer.write(retention, List.of(root, child));
    return trace;
  }

  private List<TracePage> searches() {
    Instant from = NOW.minus(Duration.ofDays(3));
    List<TracePage> pages = new ArrayList<>();
    for (var query :
        List.of(
            TraceQueryBuilder.between(from, NOW).build(),
            TraceQueryBuilder.between(from, NOW).service("db").operation("SELECT").build(),
            TraceQueryBuilder.between(from, NOW).tag("tier", "extended").build(),
            TraceQueryBuilder.between(from, NOW).durations(Duration.ofMillis(4), null).build())) {
      pages.add(reader.search(query).await().atMost(Duration.ofSeconds(30)));
    }
    return pages;
  }

  /** Every index of the four tables' chunks, by name, with its oid (a rebuild gives a new one). */
  private Map<String, Long> indexes() throws SQLException {
    return query(
        "SELECT c.relname, c.oid FROM timescaledb_information.chunks ch"
            + " JOIN pg_index i ON i.indrelid = format('%I.%I', ch.chunk_schema, ch.chunk_name)"
            + "::regclass JOIN pg_class c ON c.oid = i.indexrelid"
            + " WHERE ch.hypertable_schema = current_schema()"
            + " AND ch.hypertable_name IN ('trace_segments_standard', 'trace_segments_extended',"
            + " 'trace_summaries_standard', 'trace_summaries_extended')");
  }

  /** The indexes of the chunks that end before now minus warm-after (1 day). */
  private List<String> warmChunkIndexes() {
    try {
      return new ArrayList<>(
          query(
                  "SELECT c.relname, c.oid FROM timescaledb_information.chunks ch"
                      + " JOIN pg_index i ON i.indrelid = format('%I.%I', ch.chunk_schema,"
                      + " ch.chunk_name)::regclass JOIN pg_class c ON c.oid = i.indexrelid"
                      + " WHERE ch.hypertable_schema = current_schema()"
                      + " AND ch.range_end <= now() - interval '1 day'")
              .keySet());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> invalidIndexes() throws SQLException {
    return new ArrayList<>(
        query(
                "SELECT c.relname, c.oid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                    + " WHERE NOT i.indisvalid AND i.indrelid IN (SELECT format('%I.%I',"
                    + " chunk_schema, chunk_name)::regclass FROM timescaledb_information.chunks"
                    + " WHERE hypertable_schema = current_schema())")
            .keySet());
  }

  private Map<String, Long> query(String sql) throws SQLException {
    Map<String, Long> rows = new TreeMap<>();
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet result = statement.executeQuery()) {
      while (result.next()) {
        rows.put(result.getString(1), result.getLong(2));
      }
    }
    return rows;
  }

  private static long nanos(Instant at) {
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }
}
