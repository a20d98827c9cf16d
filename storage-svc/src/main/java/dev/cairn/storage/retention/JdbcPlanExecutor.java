package dev.cairn.storage.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Runs {@link PlannedStatement}s on a JDBC connection: binds, executes, counts. Nothing else. */
public final class JdbcPlanExecutor {

  private JdbcPlanExecutor() {}

  /**
   * @return the rows the statement returned (e.g. the chunks {@code drop_chunks} dropped), or the
   *     rows it changed
   */
  public static int execute(Connection connection, PlannedStatement planned) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(planned.sql())) {
      for (int i = 0; i < planned.parameters().size(); i++) {
        bind(statement, i + 1, planned.parameters().get(i));
      }
      if (!statement.execute()) {
        return statement.getUpdateCount();
      }
      int rows = 0;
      try (ResultSet result = statement.getResultSet()) {
        while (result.next()) {
          rows++;
        }
      }
      return rows;
    }
  }

  /** Runs {@code plan} in order: per table, the rows returned or changed ({@link #execute}). */
  public static Map<String, Integer> executeAll(Connection connection, List<PlannedStatement> plan)
      throws SQLException {
    Map<String, Integer> rows = new HashMap<>();
    for (PlannedStatement statement : plan) {
      rows.merge(statement.table(), execute(connection, statement), Integer::sum);
    }
    return rows;
  }

  /** A single {@code timestamptz} (or NULL) returned by {@code sql}, with {@code parameter}. */
  public static Optional<Instant> instant(Connection connection, String sql, Object... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        bind(statement, i + 1, parameters[i]);
      }
      try (ResultSet result = statement.executeQuery()) {
        if (!result.next()) {
          return Optional.empty();
        }
        OffsetDateTime value = result.getObject(1, OffsetDateTime.class);
        return Optional.ofNullable(value).map(OffsetDateTime::toInstant);
      }
    }
  }

  /** {@code SHOW timescaledb.license}: {@code timescale} or {@code apache}. */
  public static String licence(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SHOW timescaledb.license")) {
      result.next();
      return result.getString(1);
    }
  }

  static void bind(PreparedStatement statement, int index, Object value) throws SQLException {
    if (value instanceof Instant instant) {
      statement.setObject(index, instant.atOffset(ZoneOffset.UTC));
    } else if (value instanceof Duration duration) {
      // ISO 8601 (PT168H), which PostgreSQL's interval input reads
      statement.setString(index, duration.toString());
    } else {
      statement.setObject(index, value);
    }
  }
}
