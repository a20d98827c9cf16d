package dev.cairn.storage.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.store.pg.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two job runners, as two storage-svc replicas would be, each with connections of its own to the
 * real PostgreSQL: they never run the same job at once, run it once per period between them, and a
 * runner that loses its connection mid-run leaves no lock behind; each for a job in a transaction
 * (transaction lock) and for one in autocommit (session lock).
 */
class JobRunnerLockIT {

  private static final Instant NOW = Instant.parse("2026-06-03T10:20:00Z");

  private TestDatabase database;
  private JobRunner first;
  private JobRunner second;
  private final ExecutorService threads = Executors.newFixedThreadPool(2);

  @BeforeEach
  void migrate() {
    database = TestDatabase.createSchema();
    first = new JobRunner(database.dataSource(), "replica-1", Duration.ofSeconds(5));
    second = new JobRunner(ownDataSource(), "replica-2", Duration.ofSeconds(5));
  }

  @AfterEach
  void drop() {
    threads.shutdownNow();
    database.close();
  }

  @ParameterizedTest(name = "transactional={0}")
  @ValueSource(booleans = {true, false})
  void aRunnerSkipsTheJobWhileTheOtherRunsIt(boolean transactional) throws Exception {
    List<JobRunner.Outcome> secondWhileFirstRuns = new ArrayList<>();
    MaintenanceJob probe =
        job(
            transactional,
            "probe",
            connection -> {
              try {
                secondWhileFirstRuns.add(
                    threads
                        .submit(
                            () ->
                                second.run(
                                    job(transactional, "probe", c -> {}), NOW, Duration.ZERO))
                        .get(30, TimeUnit.SECONDS)
                        .outcome());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    assertThat(first.run(probe, NOW, Duration.ZERO).outcome()).isEqualTo(JobRunner.Outcome.RAN);
    assertThat(secondWhileFirstRuns).containsExactly(JobRunner.Outcome.LOCKED_ELSEWHERE);
    // the lock ended with the first runner's transaction
    assertThat(second.run(job(transactional, "probe", c -> {}), NOW, Duration.ZERO).outcome())
        .isEqualTo(JobRunner.Outcome.RAN);
    // another job's lock is its own
    assertThat(first.run(job(transactional, "other", c -> {}), NOW, Duration.ZERO).outcome())
        .isEqualTo(JobRunner.Outcome.RAN);
  }

  @ParameterizedTest(name = "transactional={0}")
  @ValueSource(booleans = {true, false})
  void racingRunnersRunEachPeriodOnceAndNeverAtTheSameTime(boolean transactional) throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    MaintenanceJob slow =
        job(
            transactional,
            "slow",
            connection -> {
              mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
              try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_sleep(0.05)");
              } finally {
                running.decrementAndGet();
              }
            });
    int rounds = 8;
    CyclicBarrier start = new CyclicBarrier(2);
    List<Future<List<JobRunner.Outcome>>> replicas = new ArrayList<>();
    for (JobRunner runner : List.of(first, second)) {
      replicas.add(
          threads.submit(
              () -> {
                List<JobRunner.Outcome> outcomes = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                  start.await(30, TimeUnit.SECONDS);
                  // both replicas' schedules fire for the same period of 5 minutes
                  Instant now = NOW.plus(Duration.ofMinutes(5L * round));
                  outcomes.add(runner.run(slow, now, Duration.ofMinutes(4)).outcome());
                }
                return outcomes;
              }));
    }
    List<JobRunner.Outcome> a = replicas.get(0).get(60, TimeUnit.SECONDS);
    List<JobRunner.Outcome> b = replicas.get(1).get(60, TimeUnit.SECONDS);

    assertThat(mostAtOnce).hasValue(1);
    for (int round = 0; round < rounds; round++) {
      assertThat(List.of(a.get(round), b.get(round)))
          .as("round " + round)
          .containsOnlyOnce(JobRunner.Outcome.RAN)
          .containsAnyOf(JobRunner.Outcome.LOCKED_ELSEWHERE, JobRunner.Outcome.RAN_RECENTLY);
    }
  }

  @ParameterizedTest(name = "transactional={0}")
  @ValueSource(booleans = {true, false})
  void aRunnerThatLosesItsConnectionMidRunLeavesNoLock(boolean transactional) throws Exception {
    CountDownLatch holding = new CountDownLatch(1);
    AtomicInteger backend = new AtomicInteger();
    MaintenanceJob stuck =
        job(
            transactional,
            "stuck",
            connection -> {
              try (Statement statement = connection.createStatement();
                  ResultSet pid = statement.executeQuery("SELECT pg_backend_pid()")) {
                pid.next();
                backend.set(pid.getInt(1));
              }
              holding.countDown();
              try (Statement statement = connection.createStatement()) {
                statement.execute("SELECT pg_sleep(60)");
              }
            });
    CompletableFuture<JobRunner.Run> dying =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return first.run(stuck, NOW, Duration.ZERO);
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            },
            threads);
    assertThat(holding.await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(second.run(job(transactional, "stuck", c -> {}), NOW, Duration.ZERO).outcome())
        .isEqualTo(JobRunner.Outcome.LOCKED_ELSEWHERE);

    try (Connection admin = database.dataSource().getConnection();
        PreparedStatement kill = admin.prepareStatement("SELECT pg_terminate_backend(?)")) {
      kill.setInt(1, backend.get());
      kill.execute();
    }
    assertThatThrownBy(() -> dying.get(30, TimeUnit.SECONDS))
        .hasRootCauseInstanceOf(SQLException.class);

    assertThat(second.run(job(transactional, "stuck", c -> {}), NOW, Duration.ZERO).outcome())
        .isEqualTo(JobRunner.Outcome.RAN);
  }

  // ------------------------------------------------------------------ helpers

  interface Body {
    void run(Connection connection) throws SQLException;
  }

  /**
   * @param transactional false: a job whose statements refuse a transaction block (the runner holds
   *     a session lock instead)
   */
  private static MaintenanceJob job(boolean transactional, String name, Body body) {
    return new MaintenanceJob() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public boolean transactional() {
        return transactional;
      }

      @Override
      public Result run(Connection connection, Instant now, Optional<Instant> watermark)
          throws SQLException {
        body.run(connection);
        return new Result(Map.of(), Optional.empty());
      }
    };
  }

  /** A data source of its own on the test schema: the second replica's connections. */
  private PGSimpleDataSource ownDataSource() {
    PGSimpleDataSource own = new PGSimpleDataSource();
    own.setServerNames(new String[] {TestDatabase.host()});
    own.setPortNumbers(new int[] {TestDatabase.port()});
    own.setDatabaseName(TestDatabase.database());
    own.setUser(database.dataSource().getUser());
    own.setPassword(database.dataSource().getPassword());
    own.setCurrentSchema(database.schema());
    return own;
  }
}
