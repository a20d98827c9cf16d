package dev.cairn.storage.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Rolls the per-minute aggregates of the closed hours into the hourly tables ({@link
 * MaintenancePlanner#rollup}); its watermark is the end of the hours rolled up so far.
 */
public final class RollupJob implements MaintenanceJob {

  public static final String NAME = "rollup";

  private static final String EARLIEST_MINUTE =
      "SELECT least((SELECT min(minute) FROM span_metrics), (SELECT min(minute) FROM service_edges))";

  private final MaintenancePlanner planner;

  public RollupJob(MaintenancePlanner planner) {
    this.planner = planner;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Result run(Connection connection, Instant now, Optional<Instant> watermark)
      throws SQLException {
    Optional<Instant> earliest =
        watermark.isPresent()
            ? Optional.empty()
            : JdbcPlanExecutor.instant(connection, EARLIEST_MINUTE);
    Optional<RollupWindow> window = planner.rollupWindow(now, watermark, earliest);
    if (window.isEmpty()) {
      return new Result(Map.of(), watermark);
    }
    Map<String, Integer> rows =
        JdbcPlanExecutor.executeAll(connection, planner.rollup(window.get()));
    Instant rolledTo = window.get().to();
    return new Result(
        rows, Optional.of(watermark.filter(w -> w.isAfter(rolledTo)).orElse(rolledTo)));
  }
}
