package dev.cairn.storage.retention;

import dev.cairn.store.pg.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** What the test schema holds, read back for assertions. */
final class Chunks {

  /** A chunk of a hypertable and the end of its time range. */
  record Chunk(String table, String name, Instant rangeEnd) {}

  private Chunks() {}

  static List<Chunk> of(TestDatabase database, String table) {
    String sql =
        "SELECT hypertable_name, chunk_name, range_end FROM timescaledb_information.chunks"
            + " WHERE hypertable_schema = ? AND hypertable_name = ? ORDER BY range_end";
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, database.schema());
      statement.setString(2, table);
      List<Chunk> chunks = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          chunks.add(
              new Chunk(
                  rows.getString(1),
                  rows.getString(2),
                  rows.getObject(3, OffsetDateTime.class).toInstant()));
        }
      }
      return chunks;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code sql} (a constant of the test) returning one number. */
  static long count(TestDatabase database, String sql) {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  static void execute(TestDatabase database, String sql) {
    try (Connection connection = database.dataSource().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
