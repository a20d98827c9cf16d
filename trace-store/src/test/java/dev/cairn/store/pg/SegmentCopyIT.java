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
 * The writer's binary COPY of segments: every column arrives as the rows hold it, and a segment
 * that a racing writer stored already (the COPY fails whole) is skipped, the batch's others stored.
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
    List<Integer[]> terms = List.of(new Integer[] {}, new Integer[] {-7, 0, Integer.MAX_VALUE});
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
    Integer[] none = {};
    try (Connection connection = database.dataSource().getConnection()) {
      SegmentCopy.copy(
          connection,
          "trace_segments_standard",
          List.of(stored),
          List.<Integer[]>of(none),
          new byte[][] {{}});
      assertThatThrownBy(
              () ->
                  SegmentCopy.copy(
                      connection,
                      "trace_segments_standard",
                      List.of(fresh, stored),
                      List.<Integer[]>of(none, none),
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
