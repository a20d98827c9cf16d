package dev.cairn.storage.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/** A maintenance job that {@link JobRunner} runs in a transaction of its own, under its lock. */
public interface MaintenanceJob {

  /**
   * What a run did.
   *
   * @param rowsByTable per table, the chunks dropped or the rows written
   * @param watermark the job's watermark after the run (kept in {@code maintenance_runs})
   */
  record Result(Map<String, Integer> rowsByTable, Optional<Instant> watermark) {
    public Result {
      rowsByTable = Map.copyOf(rowsByTable);
    }

    public String summary() {
      return new java.util.TreeMap<>(rowsByTable).toString();
    }
  }

  /** The job's name: its lock and its row in {@code maintenance_runs}. */
  String name();

  /**
   * @param connection in the job's transaction; the job neither commits nor rolls back
   * @param watermark what the previous run left (empty: none)
   */
  Result run(Connection connection, Instant now, Optional<Instant> watermark) throws SQLException;
}
