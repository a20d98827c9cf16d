package dev.cairn.store.pg;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Segment rows as one binary {@code COPY} ({@link BinaryCopy}). A row that is stored already fails
 * the whole COPY (unique violation), which the writer answers by inserting the same rows with
 * {@code ON CONFLICT DO NOTHING}.
 */
final class SegmentCopy {

  /** The segment table's columns in the order of the COPY's fields and the writer's insert. */
  static final String COLUMNS =
      " (trace_id, start_time, segment_id, span_count, min_duration_nano, max_duration_nano,"
          + " terms, payload)";

  private static final int FIELDS = 8;

  private SegmentCopy() {}

  /**
   * Copies the segments into {@code table}.
   *
   * @throws SQLException with SQLState 23505 when a segment is stored already (none is copied)
   */
  static void copy(
      Connection connection,
      String table,
      List<Segment> segments,
      List<int[]> terms,
      byte[][] payloads)
      throws SQLException {
    rows(segments, terms, payloads).copyInto(connection, table + COLUMNS);
  }

  /** The rows of the segments, each with its terms and payload. */
  static BinaryCopy rows(List<Segment> segments, List<int[]> terms, byte[][] payloads) {
    int size = 64;
    for (int i = 0; i < payloads.length; i++) {
      size += 96 + terms.get(i).length * 8 + payloads[i].length;
    }
    BinaryCopy rows = new BinaryCopy(size);
    for (int i = 0; i < payloads.length; i++) {
      Segment segment = segments.get(i);
      rows.row(FIELDS)
          .uuid(segment.traceId().high(), segment.traceId().low())
          .timestamptz(segment.startTime())
          .int8(segment.segmentId())
          .int4(segment.spans().size())
          .int8(segment.minDurationNanos())
          .int8(segment.maxDurationNanos())
          .int4Array(terms.get(i))
          .bytea(payloads[i]);
    }
    return rows;
  }
}
