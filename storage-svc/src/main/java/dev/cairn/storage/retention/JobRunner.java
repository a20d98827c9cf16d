package dev.cairn.storage.retention;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Runs a {@link MaintenanceJob} on at most one replica at a time, and once per period between them.
 *
 * <p>Each run is one transaction on a connection of its own that first takes the job's
 * transaction-level advisory lock with {@code pg_try_advisory_xact_lock}: a replica that does not
 * get it skips the run instead of waiting. The lock ends with the transaction, so a replica that
 * dies or loses its connection mid-run releases it (the server aborts the transaction) and no lock
 * outlives its holder, which a session lock on a pooled connection could. Under the lock the job's
 * row in {@code maintenance_runs} says when it last ran: a replica whose schedule comes right after
 * another's run skips too, so that the replicas' schedules add up to one run per period.
 *
 * <p>A job whose statements cannot run in a transaction block ({@link MaintenanceJob#transactional}
 * false: {@code REINDEX CONCURRENTLY}) runs in autocommit under the same key taken as a session
 * lock with {@code pg_try_advisory_lock}, released in a {@code finally} on the same connection; a
 * replica that dies mid-run releases it with its connection too.
 *
 * <p>The lock key is (hash of {@value #LOCK_SPACE}, hash of schema and job name), so that stores in
 * other schemas of the same database (tests, a second deployment) run their jobs independently.
 */
public final class JobRunner {

  static final String LOCK_SPACE = "cairn.maintenance";

  /** How a {@link #run} ended. */
  public enum Outcome {
    /** The job ran and committed. */
    RAN,
    /** Another runner holds the job's lock: it is running it now. */
    LOCKED_ELSEWHERE,
    /** A runner ran it less than the minimum spacing ago. */
    RAN_RECENTLY
  }

  /** The outcome and, when it ran, what the job did. */
  public record Run(Outcome outcome, Optional<MaintenanceJob.Result> result) {}

  private static final String LOCK_KEY = "(hashtext(?), hashtext(current_schema() || '/' || ?))";
  private static final String TRY_TRANSACTION_LOCK = "SELECT pg_try_advisory_xact_lock" + LOCK_KEY;
  private static final String TRY_SESSION_LOCK = "SELECT pg_try_advisory_lock" + LOCK_KEY;
  private static final String SESSION_UNLOCK = "SELECT pg_advisory_unlock" + LOCK_KEY;
  private static final String LAST_RUN =
      "SELECT last_run, watermark FROM maintenance_runs WHERE job = ?";
  private static final String RECORD_RUN =
      "INSERT INTO maintenance_runs (job, last_run, runner, watermark, last_result)"
          + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (job) DO UPDATE SET last_run = EXCLUDED.last_run,"
          + " runner = EXCLUDED.runner, watermark = EXCLUDED.watermark,"
          + " last_result = EXCLUDED.last_result";

  private final DataSource dataSource;
  private final String runner;
  private final Duration lockTimeout;

  /**
   * @param runner this replica's name, recorded with each run
   * @param lockTimeout how long a statement of a job waits for a table lock before the run fails
   */
  public JobRunner(DataSource dataSource, String runner, Duration lockTimeout) {
    this.dataSource = dataSource;
    this.runner = runner;
    this.lockTimeout = lockTimeout;
  }

  /**
   * Runs {@code job} at {@code now} unless another runner is running it or ran it less than {@code
   * minSpacing} before {@code now}.
   *
   * @throws SQLException when the run failed: nothing of it is committed
   */
  public Run run(MaintenanceJob job, Instant now, Duration minSpacing) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      return job.transactional()
          ? runInTransaction(connection, job, now, minSpacing)
          : runUnderSessionLock(connection, job, now, minSpacing);
    }
  }

  private Run runInTransaction(
      Connection connection, MaintenanceJob job, Instant now, Duration minSpacing)
      throws SQLException {
    connection.setAutoCommit(false);
    try {
      Run run =
          tryLock(connection, TRY_TRANSACTION_LOCK, job)
              ? runLocked(connection, job, now, minSpacing, true)
              : new Run(Outcome.LOCKED_ELSEWHERE, Optional.empty());
      connection.commit();
      return run;
    } catch (SQLException | RuntimeException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  private Run runUnderSessionLock(
      Connection connection, MaintenanceJob job, Instant now, Duration minSpacing)
      throws SQLException {
    connection.setAutoCommit(true);
    if (!tryLock(connection, TRY_SESSION_LOCK, job)) {
      return new Run(Outcome.LOCKED_ELSEWHERE, Optional.empty());
    }
    Throwable failure = null;
    try {
      return runLocked(connection, job, now, minSpacing, false);
    } catch (SQLException | RuntimeException e) {
      failure = e;
      throw e;
    } finally {
      // the connection goes back to a pool: neither the lock nor the timeout may stay with it
      try (PreparedStatement unlock = connection.prepareStatement(SESSION_UNLOCK);
          Statement reset = connection.createStatement()) {
        bindKey(unlock, job);
        unlock.execute();
        reset.execute("RESET lock_timeout");
      } catch (SQLException e) {
        if (failure == null) {
          throw e;
        }
        failure.addSuppressed(e);
      }
    }
  }

  private static boolean tryLock(Connection connection, String sql, MaintenanceJob job)
      throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(sql)) {
      bindKey(lock, job);
      try (ResultSet result = lock.executeQuery()) {
        result.next();
        return result.getBoolean(1);
      }
    }
  }

  private static void bindKey(PreparedStatement statement, MaintenanceJob job) throws SQLException {
    statement.setString(1, LOCK_SPACE);
    statement.setString(2, job.name());
  }

  /**
   * @param local the lock timeout for the current transaction only (else for the session, which the
   *     caller resets)
   */
  private Run runLocked(
      Connection connection, MaintenanceJob job, Instant now, Duration minSpacing, boolean local)
      throws SQLException {
    Optional<Instant> lastRun = Optional.empty();
    Optional<Instant> watermark = Optional.empty();
    try (PreparedStatement last = connection.prepareStatement(LAST_RUN)) {
      last.setString(1, job.name());
      try (ResultSet result = last.executeQuery()) {
        if (result.next()) {
          lastRun = Optional.of(result.getObject(1, OffsetDateTime.class).toInstant());
          watermark =
              Optional.ofNullable(result.getObject(2, OffsetDateTime.class))
                  .map(OffsetDateTime::toInstant);
        }
      }
    }
    if (lastRun.isPresent() && lastRun.get().isAfter(now.minus(minSpacing))) {
      return new Run(Outcome.RAN_RECENTLY, Optional.empty());
    }
    try (PreparedStatement timeout =
        connection.prepareStatement("SELECT set_config('lock_timeout', ?, ?)")) {
      timeout.setString(1, lockTimeout.toMillis() + "ms");
      timeout.setBoolean(2, local);
      timeout.execute();
    }
    MaintenanceJob.Result result = job.run(connection, now, watermark);
    try (PreparedStatement record = connection.prepareStatement(RECORD_RUN)) {
      record.setString(1, job.name());
      record.setObject(2, now.atOffset(ZoneOffset.UTC));
      record.setString(3, runner);
      if (result.watermark().isPresent()) {
        record.setObject(4, result.watermark().get().atOffset(ZoneOffset.UTC));
      } else {
        record.setNull(4, Types.TIMESTAMP_WITH_TIMEZONE);
      }
      record.setString(5, result.summary());
      record.executeUpdate();
    }
    return new Run(Outcome.RAN, Optional.of(result));
  }
}
