package dev.cairn.storage.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** Drops the expired chunks of every table, as {@link MaintenancePlanner#retention} plans. */
public final class RetentionJob implements MaintenanceJob {

  public static final String NAME = "retention";

  private static final String ROLLUP_WATERMARK =
      "SELECT watermark FROM maintenance_runs WHERE job = ?";

  private final MaintenancePlanner planner;
  private final LicenceMode mode;

  public RetentionJob(MaintenancePlanner planner, LicenceMode mode) {
    this.planner = planner;
    this.mode = mode;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result run(Connection connection, Instant now, Optional<Instant> watermark)
      throws SQLException {
    Optional<Instant> rolledUpTo =
        JdbcPlanExecutor.instant(connection, ROLLUP_WATERMARK, RollupJob.NAME);
    return new Result(
        JdbcPlanExecutor.executeAll(connection, planner.retention(mode, now, rolledUpTo)),
        Optional.empty());
  }
}
