package dev.cairn.storage.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A maintenance job that {@link JobRunner} runs under its lock: in a transaction of its own, or in
 * autocommit when its statements cannot run in a transaction block.
 */
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
   * Whether the job runs in one transaction (all of a run or nothing of it is committed); false for
   * statements that refuse a transaction block, each of which then commits on its own, so that the
   * job must leave its state consistent after any one of them.
   */
  default boolean transactional() {
    return true;
  }

  /**
   * @param connection in the job's transaction, or in autocommit when not {@link #transactional};
   *     the job neither commits nor rolls back
   * @param watermark what the previous run left (empty: none)
   */
  Result run(Connection connection, Instant now, Optional<Instant> watermark) throws SQLException;
}
