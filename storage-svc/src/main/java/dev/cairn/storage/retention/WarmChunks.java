package dev.cairn.storage.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunks of one table of the current schema that end inside a {@link WarmWindow}, oldest first:
 * what the warm tier's jobs work through, from TimescaleDB's catalog.
 */
final class WarmChunks {

  /**
   * A chunk and its time range, [from, to).
   *
   * @param name schema and table, quoted by the catalog's {@code format('%I.%I')}
   */
  record Chunk(String name, Instant from, Instant to) {}

  private static final String IN_WINDOW =
      "SELECT format('%I.%I', chunk_schema, chunk_name), range_start, range_end"
          + " FROM timescaledb_information.chunks"
          + " WHERE hypertable_schema = current_schema() AND hypertable_name = ?"
          + " AND range_end > ? AND range_end <= ? ORDER BY range_start LIMIT ?";

  private WarmChunks() {}

  /**
   * @param limit at most this many, the oldest
   */
  static List<Chunk> of(Connection connection, String table, WarmWindow window, int limit)
      throws SQLException {
    List<Chunk> chunks = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(IN_WINDOW)) {
      statement.setString(1, table);
      statement.setObject(2, window.after().atOffset(ZoneOffset.UTC));
      statement.setObject(3, window.until().atOffset(ZoneOffset.UTC));
      statement.setInt(4, limit);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          chunks.add(
              new Chunk(
                  rows.getString(1),
                  rows.getObject(2, OffsetDateTime.class).toInstant(),
                  rows.getObject(3, OffsetDateTime.class).toInstant()));
        }
      }
    }
    return chunks;
  }
}
