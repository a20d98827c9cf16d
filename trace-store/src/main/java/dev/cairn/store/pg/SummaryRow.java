package dev.cairn.store.pg;

import dev.cairn.model.Span;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What one new segment adds to its trace's summary; merged into the stored row by {@link #upsert}.
 */
record SummaryRow(
    UUID traceId,
    Instant partitionTime,
    Instant startTime,
    Instant lastSegmentStart,
    long startUnixNano,
    long endUnixNano,
    String rootServiceName,
    String rootSpanName,
    boolean rootIsParentless,
    long rootStartUnixNano,
    int spanCount,
    int errorCount,
    int lateSpanCount,
    List<String> services) {

  static SummaryRow of(Segment segment, Instant partitionTime) {
    Span root = segment.root();
    return new SummaryRow(
        SpanCopyEncoder.uuidOf(segment.traceId()),
        partitionTime,
        segment.startTime(),
        segment.startTime(),
        segment.startUnixNano(),
        segment.endUnixNano(),
        SpanCopyEncoder.clean(root.serviceName()),
        SpanCopyEncoder.clean(root.name()),
        root.isRoot(),
        root.startTimeUnixNano(),
        segment.spans().size(),
        segment.errorCount(),
        segment.lateSpanCount(),
        segment.services());
  }

  /** The summary table's columns in the order of the COPY's fields and the upsert's. */
  private static final String COLUMNS =
      " (trace_id, partition_time, start_time, last_segment_start, start_unix_nano,"
          + " end_unix_nano, root_service_name, root_span_name, root_is_parentless,"
          + " root_start_unix_nano, span_count, error_count, late_span_count, services)";

  private static final int FIELDS = 14;

  /**
   * Copies the rows of traces new to {@code table} (a fixed name of {@link
   * dev.cairn.store.StoreTables}) as one binary COPY ({@link BinaryCopy}): a third of the upsert's
   * cost in PostgreSQL (docs/benchmarks.md, section 2).
   *
   * @throws SQLException with SQLState 23505 when a row's trace and partition time are stored
   *     already (a racing writer's): none is copied, {@link #upsert} them instead
   */
  static void copy(Connection connection, String table, List<SummaryRow> rows) throws SQLException {
    BinaryCopy copy = new BinaryCopy(64 + rows.size() * 256);
    for (SummaryRow row : rows) {
      copy.row(FIELDS)
          .uuid(row.traceId().getMostSignificantBits(), row.traceId().getLeastSignificantBits())
          .timestamptz(row.partitionTime())
          .timestamptz(row.startTime())
          .timestamptz(row.lastSegmentStart())
          .int8(row.startUnixNano())
          .int8(row.endUnixNano())
          .text(row.rootServiceName())
          .text(row.rootSpanName())
          .bool(row.rootIsParentless())
          .int8(row.rootStartUnixNano())
          .int4(row.spanCount())
          .int4(row.errorCount())
          .int4(row.lateSpanCount())
          .textArray(row.services());
    }
    copy.copyInto(connection, table + COLUMNS);
  }

  /**
   * Upserts the rows into {@code table} (a fixed name of {@link dev.cairn.store.StoreTables}),
   * sorted by trace id so that concurrent writers lock rows in one order. An existing row takes the
   * earliest start, the latest end, the better root (a span without parent beats the earliest
   * span), the sums of the counts and the union of the services.
   */
  static void upsert(Connection connection, String table, List<SummaryRow> rows)
      throws SQLException {
    int n = rows.size();
    Object[][] columns = new Object[13][n];
    for (int i = 0; i < n; i++) {
      SummaryRow row = rows.get(i);
      columns[0][i] = row.traceId();
      columns[1][i] = row.partitionTime().toString();
      columns[2][i] = row.startTime().toString();
      columns[3][i] = row.lastSegmentStart().toString();
      columns[4][i] = row.startUnixNano();
      columns[5][i] = row.endUnixNano();
      columns[6][i] = row.rootServiceName();
      columns[7][i] = row.rootSpanName();
      columns[8][i] = row.rootIsParentless();
      columns[9][i] = row.rootStartUnixNano();
      columns[10][i] = row.spanCount();
      columns[11][i] = row.errorCount();
      columns[12][i] = row.lateSpanCount();
    }
    Object[] services = new Object[n];
    for (int i = 0; i < n; i++) {
      services[i] = arrayLiteral(rows.get(i).services());
    }
    String[] types = {
      "uuid", "text", "text", "text", "int8", "int8", "text", "text", "bool", "int8", "int4",
      "int4", "int4"
    };
    try (PreparedStatement statement = connection.prepareStatement(sql(table))) {
      for (int c = 0; c < columns.length; c++) {
        statement.setArray(c + 1, connection.createArrayOf(types[c], columns[c]));
      }
      statement.setArray(14, connection.createArrayOf("text", services));
      statement.executeUpdate();
    }
  }

  /** A text[] literal of the services, each quoted and escaped. */
  private static String arrayLiteral(List<String> values) {
    StringBuilder literal = new StringBuilder("{");
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        literal.append(',');
      }
      literal.append('"');
      String value = values.get(i);
      for (int j = 0; j < value.length(); j++) {
        char c = value.charAt(j);
        if (c == '"' || c == '\\') {
          literal.append('\\');
        }
        literal.append(c);
      }
      literal.append('"');
    }
    return literal.append('}').toString();
  }

  private static String sql(String table) {
    return "INSERT INTO "
        + table
        + " AS t"
        + COLUMNS
        + " SELECT id, pt::timestamptz, st::timestamptz, ls::timestamptz, sn, en, rs, rn, rp, rsn,"
        + " sc, ec, lc, sv::text[]"
        + " FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[],"
        + " ?::text[], ?::text[], ?::boolean[], ?::bigint[], ?::integer[], ?::integer[],"
        + " ?::integer[], ?::text[])"
        + " AS r(id, pt, st, ls, sn, en, rs, rn, rp, rsn, sc, ec, lc, sv) ORDER BY id"
        + " ON CONFLICT (trace_id, partition_time) DO UPDATE SET"
        + " start_time = least(t.start_time, excluded.start_time),"
        + " last_segment_start = greatest(t.last_segment_start, excluded.last_segment_start),"
        + " start_unix_nano = least(t.start_unix_nano, excluded.start_unix_nano),"
        + " end_unix_nano = greatest(t.end_unix_nano, excluded.end_unix_nano),"
        + rootColumn("root_service_name")
        + ","
        + rootColumn("root_span_name")
        + ","
        + rootColumn("root_is_parentless")
        + ","
        + rootColumn("root_start_unix_nano")
        + ","
        + " span_count = t.span_count + excluded.span_count,"
        + " error_count = t.error_count + excluded.error_count,"
        + " late_span_count = t.late_span_count + excluded.late_span_count,"
        + " services = ARRAY(SELECT DISTINCT s COLLATE \"C\" FROM unnest(t.services || excluded.services) AS s"
        + " ORDER BY 1)";
  }

  private static String rootColumn(String column) {
    return " "
        + column
        + " = CASE WHEN (excluded.root_is_parentless AND NOT t.root_is_parentless)"
        + " OR (excluded.root_is_parentless = t.root_is_parentless"
        + " AND excluded.root_start_unix_nano < t.root_start_unix_nano)"
        + " THEN excluded."
        + column
        + " ELSE t."
        + column
        + " END";
  }
}
