package dev.cairn.storage.retention;

import java.util.List;

/**
 * One SQL statement of a maintenance plan with its bind parameters ({@link java.time.Instant} for a
 * {@code timestamptz}, {@link java.time.Duration} for an {@code interval}, strings and numbers as
 * they are). Identifiers come from {@link dev.cairn.store.StoreTables}, never from input.
 *
 * @param table the table it works on, for logs and metrics
 */
public record PlannedStatement(String table, String sql, List<Object> parameters) {
  public PlannedStatement {
    parameters = List.copyOf(parameters);
  }
}
