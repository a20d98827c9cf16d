package dev.cairn.store.pg;

import dev.cairn.model.TraceId;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Segment rows as one binary {@code COPY} (PostgreSQL's binary copy format: a header, then per row
 * its field count and each field as length and bytes, then a trailer). It takes the rows as they
 * are: no text to parse, no array literal, no hex bytea, and none of {@code ON CONFLICT}'s
 * speculative insertion. A row that is stored already fails the whole COPY (unique violation),
 * which the writer answers by inserting the same rows with {@code ON CONFLICT DO NOTHING}.
 */
final class SegmentCopy {

  private static final byte[] SIGNATURE = {
    'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0
  };

  private static final String COLUMNS =
      " (trace_id, start_time, segment_id, span_count, min_duration_nano, max_duration_nano,"
          + " terms, payload) FROM STDIN (FORMAT binary)";

  private static final short FIELDS = 8;

  /** PostgreSQL's timestamp epoch, 2000-01-01 UTC, in microseconds since 1970. */
  private static final long POSTGRES_EPOCH_MICROS = 946_684_800_000_000L;

  private static final int INT4_OID = 23;

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
      List<Integer[]> terms,
      byte[][] payloads)
      throws SQLException {
    byte[] rows = rows(segments, terms, payloads);
    CopyIn copy =
        connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + COLUMNS);
    try {
      copy.writeToCopy(rows, 0, rows.length);
      copy.endCopy();
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
  }

  /** The binary COPY stream of the rows, header and trailer included. */
  static byte[] rows(List<Segment> segments, List<Integer[]> terms, byte[][] payloads) {
    int size = SIGNATURE.length + 8 + 2;
    for (int i = 0; i < payloads.length; i++) {
      // field count, eight lengths, uuid, timestamptz, three bigints, an integer, array, payload
      size += 2 + FIELDS * 4 + 16 + 8 + 3 * 8 + 4;
      size += intArrayBytes(terms.get(i).length) + payloads[i].length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(SIGNATURE).putInt(0).putInt(0);
    for (int i = 0; i < payloads.length; i++) {
      Segment segment = segments.get(i);
      out.putShort(FIELDS);
      TraceId id = segment.traceId();
      out.putInt(16).putLong(id.high()).putLong(id.low());
      out.putInt(8).putLong(postgresMicros(segment.startTime()));
      out.putInt(8).putLong(segment.segmentId());
      out.putInt(4).putInt(segment.spans().size());
      out.putInt(8).putLong(segment.minDurationNanos());
      out.putInt(8).putLong(segment.maxDurationNanos());
      putIntArray(out, terms.get(i));
      out.putInt(payloads[i].length).put(payloads[i]);
    }
    out.putShort((short) -1);
    return out.array();
  }

  /** A one-dimensional integer[] without nulls; an empty one has no dimension, as PostgreSQL's. */
  private static void putIntArray(ByteBuffer out, Integer[] values) {
    boolean empty = values.length == 0;
    out.putInt(intArrayBytes(values.length));
    out.putInt(empty ? 0 : 1).putInt(0).putInt(INT4_OID);
    if (!empty) {
      out.putInt(values.length).putInt(1);
      for (Integer value : values) {
        out.putInt(4).putInt(value);
      }
    }
  }

  /** Dimensions, null flag and element type; then the dimension's size and lower bound. */
  private static int intArrayBytes(int length) {
    return length == 0 ? 12 : 20 + length * 8;
  }

  private static long postgresMicros(Instant time) {
    return Math.addExact(
            Math.multiplyExact(time.getEpochSecond(), 1_000_000L), time.getNano() / 1_000)
        - POSTGRES_EPOCH_MICROS;
  }
}
