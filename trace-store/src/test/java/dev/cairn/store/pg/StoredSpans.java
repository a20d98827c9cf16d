package dev.cairn.store.pg;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Every span stored for some traces, read straight from their segments (duplicates included, so
 * that a test can tell a replay that added spans from one that did not).
 */
public final class StoredSpans {

  private StoredSpans() {}

  /** The spans of {@code traces} in both classes' segments, as stored. */
  public static List<Span> of(Connection connection, Collection<TraceId> traces)
      throws SQLException {
    return of(connection, "trace_segments", traces);
  }

  /**
   * @param table {@code trace_segments} (both classes) or one class's table: a constant of the test
   */
  public static List<Span> of(Connection connection, String table, Collection<TraceId> traces)
      throws SQLException {
    Object[] ids = traces.stream().map(SpanCopyEncoder::uuidOf).toArray();
    List<Span> spans = new ArrayList<>();
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT payload FROM " + table + " WHERE trace_id = ANY(?)")) {
      statement.setArray(1, connection.createArrayOf("uuid", ids));
      List<byte[]> payloads = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          payloads.add(rows.getBytes(1));
        }
      }
      SegmentDictionaries dictionaries = new SegmentDictionaries();
      dictionaries.load(connection, dictionaries.missing(payloads));
      for (byte[] payload : payloads) {
        spans.addAll(SegmentCodec.decode(payload, dictionaries::known));
      }
    }
    return spans;
  }
}
