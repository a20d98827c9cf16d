package dev.cairn.storage.transport.schedule;

import dev.cairn.storage.StorageMetrics;
import dev.cairn.storage.StoreStatus;
import dev.cairn.storage.config.RetentionPolicies;
import dev.cairn.storage.config.StorageConfig;
import dev.cairn.storage.retention.JdbcPlanExecutor;
import dev.cairn.storage.retention.JobRunner;
import dev.cairn.storage.retention.LicenceMode;
import dev.cairn.storage.retention.MaintenanceJob;
import dev.cairn.storage.retention.MaintenancePlanner;
import dev.cairn.storage.retention.ScheduledJobs;
import dev.cairn.storage.retention.StartupPoliciesJob;
import dev.cairn.store.SpanWriter;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs the maintenance jobs on {@code cairn.storage.retention.schedule}, on one thread, once the
 * migrations ran: first the start-up plan (chunk intervals; policies under the Community licence),
 * then on every tick the jobs {@link ScheduledJobs} lists for the licence and configuration. Every
 * replica schedules them; {@link JobRunner} makes one run each per period. A failed run is logged,
 * counted and tried again at the next tick.
 */
@ApplicationScoped
public class MaintenanceScheduler {

  private static final Logger LOG = Logger.getLogger(MaintenanceScheduler.class);

  private final StorageConfig.Retention config;
  private final StoreStatus status;
  private final StorageMetrics metrics;
  private final AgroalDataSource dataSource;
  private final JobRunner runner;
  private final MaintenancePlanner planner;
  private final SpanWriter writer;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "cairn-maintenance");
            thread.setDaemon(true);
            return thread;
          });
  private LicenceMode mode;
  private List<MaintenanceJob> scheduled;
  private String lastFailure;

  MaintenanceScheduler(
      StorageConfig config,
      StoreStatus status,
      StorageMetrics metrics,
      AgroalDataSource dataSource,
      SpanWriter writer) {
    this.config = config.retention();
    this.writer = writer;
    this.status = status;
    this.metrics = metrics;
    this.dataSource = dataSource;
    this.planner = new MaintenancePlanner(RetentionPolicies.from(this.config));
    String host = System.getenv().getOrDefault("HOSTNAME", "storage");
    this.runner =
        new JobRunner(
            dataSource, host + "/" + ProcessHandle.current().pid(), this.config.lockTimeout());
  }

  void start(@Observes StartupEvent event) {
    if (!config.enabled()) {
      LOG.info("retention and rollups are off (cairn.storage.retention.enabled=false)");
      return;
    }
    executor.scheduleWithFixedDelay(
        this::tick,
        config.schedule().initialDelay().toMillis(),
        config.schedule().every().toMillis(),
        TimeUnit.MILLISECONDS);
  }

  void stop(@Observes ShutdownEvent event) {
    executor.shutdownNow();
  }

  private void tick() {
    if (!status.isMigrated()) {
      return; // the consumer thread runs the migrations; the next tick tries again
    }
    try {
      if (scheduled == null) {
        prepare();
      }
      for (MaintenanceJob job : scheduled) {
        run(job, config.schedule().every().dividedBy(2));
      }
      lastFailure = null;
    } catch (SQLException | RuntimeException e) {
      String failure = e.getClass().getName() + ": " + e.getMessage();
      if (!failure.equals(lastFailure)) { // once per streak of the same failure
        LOG.warn("maintenance run failed; trying again at the next tick", e);
      }
      lastFailure = failure;
    }
  }

  /** Reads the licence, logs the mode, applies the start-up plan. */
  private void prepare() throws SQLException {
    String licence;
    try (Connection connection = dataSource.getConnection()) {
      licence = JdbcPlanExecutor.licence(connection);
    }
    LicenceMode detected = LicenceMode.fromSetting(licence);
    LOG.infof(
        "TimescaleDB licence '%s': %s",
        licence,
        detected == LicenceMode.COMMUNITY
            ? "retention and compression by TimescaleDB's policies, rollups by storage-svc"
            : "retention (drop_chunks) and rollups by storage-svc, one replica at a time");
    run(new StartupPoliciesJob(planner, detected), Duration.ZERO);
    mode = detected;
    scheduled =
        ScheduledJobs.of(
            mode, config.warmCompaction(), config.rebuildWarmIndexes(), planner, writer);
  }

  private void run(MaintenanceJob job, Duration minSpacing) throws SQLException {
    JobRunner.Run run;
    try {
      run = runner.run(job, Instant.now(), minSpacing);
    } catch (SQLException | RuntimeException e) {
      metrics.maintenanceRun(job.name(), "failed");
      throw e;
    }
    metrics.maintenanceRun(job.name(), run.outcome().name().toLowerCase(java.util.Locale.ROOT));
    run.result()
        .ifPresent(
            result -> {
              result
                  .rowsByTable()
                  .forEach((table, rows) -> metrics.maintenanceRows(job.name(), table, rows));
              if (result.rowsByTable().values().stream().anyMatch(rows -> rows > 0)) {
                LOG.infof("maintenance %s: %s", job.name(), result.summary());
              }
            });
  }
}
