package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's binary COPYs of segments and of new traces' summaries: every column arrives as the
 * rows hold it, a segment that a racing writer stored already (the COPY fails whole) is skipped,
 * the batch's others stored, and a summary a racing writer stored meanwhile is merged into.
 */
class SegmentCopyIT {

  private TestDatabase database;

  @BeforeEach
  void createSchema() {
    database = TestDatabase.createSchema();
  }

  @AfterEach
  void drop() {
    database.close();
  }

  @Test
  void everyColumnIsCopiedAsTheSegmentHoldsIt() throws SQLException {
    // before PostgreSQL's epoch (2000) and after it, microseconds that are not whole seconds
    Segment old = segment(Instant.parse("1999-12-31T23:59:58.123456Z"), 2);
    Segment recent = segment(Instant.parse("2024-03-01T10:15:30.654321Z"), 3);
    List<Segment> segments = List.of(old, recent);
    List<int[]> terms = List.of(new int[] {}, new int[] {-7, 0, Integer.MAX_VALUE});
    byte[][] payloads = {{1, 2, 3}, {}};
    try (Connection connection = database.dataSource().getConnection()) {
      SegmentCopy.copy(connection, "trace_segments_standard", segments, terms, payloads);
    }
    assertThat(rows())
        .containsExactlyInAnyOrder(
            row(old, "{}", "\\x010203"), row(recent, "{-7,0,2147483647}", "\\x"));
  }

  @Test
  void aCopyOfAStoredSegmentFailsWholeWithAUniqueViolation() throws SQLException {
    Segment stored = segment(Instant.parse("2024-03-01T10:00:00Z"), 2);
    Segment fresh = segment(Instant.parse("2024-03-01T10:00:01Z"), 2);
    int[] none = {};
    try (Connection connection = database.dataSource().getConnection()) {
      SegmentCopy.copy(
          connection,
          "trace_segments_standard",
          List.of(stored),
          List.<int[]>of(none),
          new byte[][] {{}});
      assertThatThrownBy(
              () ->
                  SegmentCopy.copy(
                      connection,
                      "trace_segments_standard",
                      List.of(fresh, stored),
                      List.<int[]>of(none, none),
                      new byte[][] {{}, {}}))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23505"));
    }
    assertThat(rows()).hasSize(1);
  }

  /**
   * A racing writer stored one trace's spans: the second writer has not seen its summary (deleted
   * here, as if not committed yet when it probed), so its COPY hits the stored segment.
   */
  @Test
  void aBatchWithASegmentStoredByARacingWriterStoresTheRest() throws SQLException {
    PgSpanWriter writer = new PgSpanWriter(database.dataSource());
    List<Span> raced = trace(Instant.parse("2024-03-01T10:00:00Z"), 3);
    List<Span> fresh = trace(Instant.parse("2024-03-01T10:00:05Z"), 2);
    writer.write(RetentionClass.STANDARD, raced);
    database.execute("DELETE FROM trace_summaries_standard");
    List<Span> batch = new ArrayList<>(fresh);
    batch.addAll(raced);
    writer.write(RetentionClass.STANDARD, batch, new BitSet());

    TraceId racedId = raced.get(0).traceId();
    TraceId freshId = fresh.get(0).traceId();
    try (Connection connection = database.dataSource().getConnection()) {
      assertThat(StoredSpans.of(connection, List.of(racedId)))
          .containsExactlyInAnyOrderElementsOf(raced);
      assertThat(StoredSpans.of(connection, List.of(freshId)))
          .containsExactlyInAnyOrderElementsOf(fresh);
    }
    // the racing writer counts its spans; this one counted only the trace it stored
    assertThat(
            database.scalar(
                "SELECT string_agg(trace_id::text || ':' || span_count, ',')"
                    + " FROM trace_summaries_standard"))
        .isEqualTo(SpanCopyEncoder.uuidOf(freshId) + ":2");
  }

  /** The COPY stores what the upsert of the same row into an empty table would. */
  @Test
  void aSummaryIsCopiedAsTheUpsertStoresIt() throws SQLException {
    List<Span> spans = trace(Instant.parse("1999-12-31T23:59:59.999999Z"), 3);
    Segment segment = Segment.group(spans, new BitSet()).get(0);
    SummaryRow row =
        new SummaryRow(
            SpanCopyEncoder.uuidOf(segment.traceId()),
            Instant.parse("1999-12-31T23:59:59.999999Z"),
            Instant.parse("2024-03-01T10:15:30.654321Z"),
            Instant.parse("2024-03-01T10:15:31Z"),
            -5L,
            Long.MAX_VALUE,
            "zahlungsdienst-ü",
            "GET /k\\\"ey\"",
            true,
            946_684_799_999_999_000L,
            3,
            1,
            2,
            List.of("a\"b", "c\\d", "ζ-svc", "{x,y}"));
    try (Connection connection = database.dataSource().getConnection()) {
      SummaryRow.copy(connection, "trace_summaries_standard", List.of(row));
      SummaryRow.upsert(connection, "trace_summaries_extended", List.of(row));
    }
    String columns =
        "SELECT concat_ws(' | ', trace_id, partition_time, start_time, last_segment_start,"
            + " start_unix_nano, end_unix_nano, root_service_name, root_span_name,"
            + " root_is_parentless, root_start_unix_nano, span_count, error_count,"
            + " late_span_count, services) FROM ";
    String copied = database.scalar(columns + "trace_summaries_standard");
    assertThat(copied)
        .contains("zahlungsdienst-ü", "ζ-svc", "1999-12-31")
        .isEqualTo(database.scalar(columns + "trace_summaries_extended"));
  }

  /**
   * Two writers start the same new trace at the same time: the second has not seen the first's
   * summary (not committed when it probed), so its COPY waits on the first's key and then fails
   * with a unique violation; it then merges its spans' counts into the stored summary.
   */
  @Test
  void aNewTraceWhoseSummaryARacingWriterStoredMeanwhileIsMergedInto() throws Exception {
    List<Span> spans = trace(Instant.parse("2024-03-01T10:00:00Z"), 3);
    Segment first = Segment.group(spans.subList(0, 1), new BitSet()).get(0);
    List<Span> later = spans.subList(1, 3);
    List<Span> second = new ArrayList<>(later);
    // the second writer's spans start with the first's, as their summary's partition time
    second.add(
        span(
            spans.get(0).traceId(),
            randomSpanId(),
            Optional.empty(),
            "copy-svc",
            "op-same-start",
            spans.get(0).startTimeUnixNano(),
            1_000_000L));
    Throwable[] failure = new Throwable[1];
    try (Connection racing = database.dataSource().getConnection()) {
      racing.setAutoCommit(false);
      SummaryRow.copy(
          racing, "trace_summaries_standard", List.of(SummaryRow.of(first, first.startTime())));
      Thread writer =
          new Thread(
              () -> {
                try {
                  new PgSpanWriter(database.dataSource()).write(RetentionClass.STANDARD, second);
                } catch (Throwable e) {
                  failure[0] = e;
                }
              });
      writer.start();
      awaitALockWait();
      racing.commit();
      writer.join();
    }
    assertThat(failure[0]).isNull();
    assertThat(
            database.scalar(
                "SELECT count(*) || ':' || sum(span_count) FROM trace_summaries_standard"))
        .isEqualTo("1:4");
    try (Connection connection = database.dataSource().getConnection()) {
      assertThat(StoredSpans.of(connection, List.of(spans.get(0).traceId())))
          .containsExactlyInAnyOrderElementsOf(second);
    }
  }

  /** Until a backend of this database waits on a lock (bounded: a minute). */
  private void awaitALockWait() throws Exception {
    for (int i = 0; i < 600; i++) {
      if (!"0"
          .equals(
              database.scalar(
                  "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                      + " AND datname = current_database()"))) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the second writer never waited on the first's summary key");
  }

  private List<String> rows() throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet r =
            statement.executeQuery(
                "SELECT concat_ws(' ', trace_id, to_char(start_time AT TIME ZONE 'UTC',"
                    + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US'), segment_id, span_count,"
                    + " min_duration_nano, max_duration_nano, terms, payload)"
                    + " FROM trace_segments_standard")) {
      while (r.next()) {
        rows.add(r.getString(1));
      }
    }
    return rows;
  }

  private static String row(Segment segment, String terms, String payload) {
    return String.join(
        " ",
        SpanCopyEncoder.uuidOf(segment.traceId()).toString(),
        segment.startTime().toString().replace("Z", ""),
        Long.toString(segment.segmentId()),
        Integer.toString(segment.spans().size()),
        Long.toString(segment.minDurationNanos()),
        Long.toString(segment.maxDurationNanos()),
        terms,
        payload);
  }

  private static Segment segment(Instant start, int spans) {
    return Segment.group(trace(start, spans), new BitSet()).get(0);
  }

  /** Spans of one new trace, the first starting at {@code start}, lasting 1, 2, … ms. */
  private static List<Span> trace(Instant start, int count) {
    TraceId trace = randomTraceId();
    long startNanos = start.getEpochSecond() * 1_000_000_000L + start.getNano();
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      spans.add(
          span(
              trace,
              randomSpanId(),
              Optional.empty(),
              "copy-svc",
              "op-" + i,
              startNanos + i * 1_000L,
              (i + 1) * 1_000_000L));
    }
    return spans;
  }
}
