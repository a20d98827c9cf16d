package dev.cairn.storage.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Applies {@link MaintenancePlanner#startup}: chunk intervals, and under the Community licence the
 * retention and compression policies. Run once per process start, under its lock like the others.
 */
public final class StartupPoliciesJob implements MaintenanceJob {

  public static final String NAME = "policies";

  private final MaintenancePlanner planner;
  private final LicenceMode mode;

  public StartupPoliciesJob(MaintenancePlanner planner, LicenceMode mode) {
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
    return new Result(
        JdbcPlanExecutor.executeAll(connection, planner.startup(mode)), Optional.empty());
  }
}
