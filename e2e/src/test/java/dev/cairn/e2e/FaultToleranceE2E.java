package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.cairn.e2e.LoadWindow.AckedTrace;
import dev.cairn.e2e.StoredTraces.Answer;
import dev.cairn.e2e.StoredTraces.Rows;
import dev.cairn.loadgen.run.RunOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Crashes each part of the running pipeline in turn while the load generator sends to it: {@code
 * kill -9} of collector, sampler, storage and query, {@code kill -9} of Kafka and an immediate-mode
 * PostgreSQL stop, each brought back as an operator would (services restarted with the same
 * configuration, Kafka and PostgreSQL by {@code scripts/infra.sh up}). Then every trace the
 * collector acknowledged must be stored with all of its spans, none twice, in the database and
 * through the REST API.
 *
 * <p>Each fault is a test of its own, run in order, and the last test checks what all of them
 * acknowledged. Kafka and PostgreSQL are crashed only when they are the ones this checkout's {@code
 * scripts/infra.sh} runs for the pipeline (see {@link LocalInfrastructure}); otherwise those tests
 * are skipped. Sizes come from the environment ({@code CAIRN_FAULTS_*}) so that {@code
 * bench/faults.sh} runs the same suite longer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceE2E {

  /** Spans/s the load generator offers (both connections together). */
  private static final double RATE = Double.parseDouble(Pipeline.env("CAIRN_FAULTS_RATE", "600"));

  /** Load before the fault, so that traces are in flight at every stage when it strikes. */
  private static final Duration LEAD = seconds("CAIRN_FAULTS_LEAD_S", "2");

  /** How long the crashed part stays down (the load goes on). */
  private static final Duration DOWN = seconds("CAIRN_FAULTS_DOWN_S", "1");

  /** Load after everything is ready again. */
  private static final Duration TAIL = seconds("CAIRN_FAULTS_TAIL_S", "1");

  /** Times each fault is repeated. */
  private static final int ROUNDS = Integer.parseInt(Pipeline.env("CAIRN_FAULTS_ROUNDS", "1"));

  /**
   * {@code CAIRN_FAULTS_INFRA=0} spares Kafka and PostgreSQL, e.g. where other people's tests use
   * the same broker and database at the same time.
   */
  private static final boolean INFRA_FAULTS = !"0".equals(Pipeline.env("CAIRN_FAULTS_INFRA", "1"));

  /** Traces per fault read back over REST (all are checked in SQL); 0 = every trace. */
  private static final int REST_PER_FAULT =
      Integer.parseInt(Pipeline.env("CAIRN_FAULTS_REST_PER_FAULT", "100"));

  /** Bound on the wait, after the last fault, for every acknowledged trace to be stored. */
  private static final Duration STORED_WITHIN = seconds("CAIRN_FAULTS_DRAIN_S", "90");

  private Pipeline pipeline;
  private LocalInfrastructure infrastructure;
  private Path output;
  private final List<FaultWindow> windows = new ArrayList<>();
  private boolean crashedInfrastructure;

  /** One fault under load: what the generator saw and which traces were acknowledged. */
  private record FaultWindow(String fault, LoadWindow load, RunOutcome outcome) {}

  @FunctionalInterface
  private interface Step {
    void run() throws Exception;
  }

  @BeforeAll
  void startPipeline() throws Exception {
    pipeline = Pipeline.start();
    infrastructure =
        new LocalInfrastructure(
            ServiceProcess.repositoryRoot(), Pipeline.KAFKA, Pipeline.DB_HOST, Pipeline.DB_PORT);
    output =
        Path.of(
            Pipeline.env(
                "CAIRN_FAULTS_OUT",
                ServiceProcess.repositoryRoot()
                    .resolve("e2e/target/faults/" + pipeline.runId)
                    .toString()));
    Files.createDirectories(output);
  }

  @AfterAll
  void restoreAndStop() throws Exception {
    try {
      if (crashedInfrastructure) {
        // also after a failed recovery: the broker and database must be up when the suite ends
        infrastructure.up();
      }
    } finally {
      if (pipeline != null) {
        pipeline.close();
      }
    }
  }

  @Test
  @Order(1)
  void killCollector() throws Exception {
    underLoad("collector kill -9", pipeline.collector::kill, pipeline.collector::restart);
  }

  @Test
  @Order(2)
  void killSampler() throws Exception {
    underLoad("sampler kill -9", pipeline.sampler::kill, pipeline.sampler::restart);
  }

  @Test
  @Order(3)
  void killStorage() throws Exception {
    underLoad("storage kill -9", pipeline.storage::kill, pipeline.storage::restart);
  }

  @Test
  @Order(4)
  void killQuery() throws Exception {
    underLoad("query kill -9", pipeline.query::kill, pipeline.query::restart);
  }

  @Test
  @Order(5)
  void killKafka() throws Exception {
    assumeTrue(INFRA_FAULTS, "Kafka fault skipped: CAIRN_FAULTS_INFRA=0");
    Optional<String> unmanaged = infrastructure.kafkaUnmanagedReason();
    assumeTrue(unmanaged.isEmpty(), () -> "Kafka fault skipped: " + unmanaged.orElse(""));
    crashedInfrastructure = true;
    underLoad("kafka kill -9", infrastructure::killKafka, infrastructure::up);
  }

  @Test
  @Order(6)
  void stopPostgresImmediately() throws Exception {
    assumeTrue(INFRA_FAULTS, "PostgreSQL fault skipped: CAIRN_FAULTS_INFRA=0");
    Optional<String> unmanaged = infrastructure.postgresUnmanagedReason();
    assumeTrue(unmanaged.isEmpty(), () -> "PostgreSQL fault skipped: " + unmanaged.orElse(""));
    crashedInfrastructure = true;
    underLoad(
        "postgres stop -m immediate", infrastructure::stopPostgresImmediately, infrastructure::up);
  }

  @Test
  @Order(7)
  void everyAcknowledgedTraceIsStoredWholeAndOnce() throws Exception {
    assertThat(windows).as("faults run under load").isNotEmpty();
    Map<FaultWindow, List<AckedTrace>> acked = new LinkedHashMap<>();
    List<String> toRead = new ArrayList<>();
    for (FaultWindow window : windows) {
      List<AckedTrace> traces = window.load().acknowledged();
      acked.put(window, traces);
      // an even spread over the window, so that traces acknowledged around the fault are read
      int every =
          REST_PER_FAULT <= 0 ? 1 : Math.max(1, -Math.floorDiv(-traces.size(), REST_PER_FAULT));
      for (int i = 0; i < traces.size(); i += every) {
        toRead.add(traces.get(i).traceIdHex());
      }
    }
    long waitStart = System.nanoTime();
    Map<String, Rows> rows = awaitStored(acked);
    long readStart = System.nanoTime();
    Map<String, Answer> answers = StoredTraces.read(pipeline, toRead);
    long readEnd = System.nanoTime();

    List<String> problems = new ArrayList<>();
    StringBuilder table = new StringBuilder(FaultRow.HEADER).append('\n');
    StringBuilder failures = new StringBuilder("failed requests by status:\n");
    for (FaultWindow window : windows) {
      FaultRow row = FaultRow.of(window.fault(), window.outcome());
      for (AckedTrace trace : acked.get(window)) {
        row.add(trace, rows.getOrDefault(trace.traceIdHex(), Rows.NONE), answers, problems);
      }
      if (row.ackedTraces == 0) {
        problems.add(window.fault() + ": no request acknowledged in the whole window");
      }
      table.append(row.format()).append('\n');
      if (!window.outcome().stats().failuresByStatus().isEmpty()) {
        failures.append(
            String.format(
                "  %s: %s%n", window.fault(), window.outcome().stats().failuresByStatus()));
      }
    }
    String report =
        table
            + failures.toString()
            + String.format(
                "rate %.0f spans/s, lead %s, down %s, tail %s, rounds %d; all stored %.1f s after"
                    + " the last fault; %d traces read over REST in %.1f s; trace ids in %s%n",
                RATE,
                LEAD,
                DOWN,
                TAIL,
                ROUNDS,
                (readStart - waitStart) / 1e9,
                answers.size(),
                (readEnd - readStart) / 1e9,
                output);
    System.out.print(report);
    Files.writeString(output.resolve("summary.txt"), report, StandardCharsets.UTF_8);

    assertThat(problems)
        .as("acknowledged traces not stored whole and once (first 20)%n%s", report)
        .isEmpty();
  }

  /**
   * Runs the load for one fault: some load first, then the fault, a while down, the recovery, and
   * load again once all four services are ready. The window is recorded even when recovery fails,
   * so that the final check covers what was acknowledged.
   */
  private void underLoad(String fault, Step inject, Step recover) throws Exception {
    for (int round = 1; round <= ROUNDS; round++) {
      String name = ROUNDS == 1 ? fault : fault + " #" + round;
      Path idLog = output.resolve(name.replaceAll("[^A-Za-z0-9#]+", "-") + ".tsv");
      LoadWindow load = LoadWindow.start(name, pipeline, idLog, RATE);
      try {
        Thread.sleep(LEAD.toMillis());
        inject.run();
        Thread.sleep(DOWN.toMillis());
        recover.run();
        for (ServiceProcess service :
            List.of(pipeline.collector, pipeline.sampler, pipeline.storage, pipeline.query)) {
          service.awaitReady();
        }
        Thread.sleep(TAIL.toMillis());
      } finally {
        windows.add(new FaultWindow(name, load, load.stop()));
      }
    }
  }

  /**
   * Polls the database until every acknowledged trace has all its spans or {@link #STORED_WITHIN}
   * passed, saying every few seconds what is still missing per fault; returns the last rows seen
   * (the assertions say what is missing).
   */
  private static Map<String, Rows> awaitStored(Map<FaultWindow, List<AckedTrace>> acked)
      throws Exception {
    List<String> ids =
        acked.values().stream().flatMap(List::stream).map(AckedTrace::traceIdHex).toList();
    long start = System.nanoTime();
    long deadline = start + STORED_WITHIN.toNanos();
    long nextProgress = start;
    while (true) {
      Map<String, Rows> rows = StoredTraces.rows(ids);
      Map<String, Long> incomplete = new LinkedHashMap<>();
      acked.forEach(
          (window, traces) -> {
            long missing =
                traces.stream()
                    .filter(t -> !t.partlyRejected())
                    .filter(t -> rows.getOrDefault(t.traceIdHex(), Rows.NONE).rows() < t.spans())
                    .count();
            if (missing > 0) {
              incomplete.put(window.fault(), missing);
            }
          });
      long now = System.nanoTime();
      if (incomplete.isEmpty() || now > deadline) {
        return rows;
      }
      if (now >= nextProgress) {
        System.out.printf(
            "after %.0f s, traces not yet stored whole: %s%n", (now - start) / 1e9, incomplete);
        nextProgress = now + Duration.ofSeconds(5).toNanos();
      }
      Thread.sleep(1000);
    }
  }

  private static Duration seconds(String variable, String fallback) {
    return Duration.ofMillis((long) (1000 * Double.parseDouble(Pipeline.env(variable, fallback))));
  }

  /** One line of the per-fault table: acknowledged during the window against stored. */
  private static final class FaultRow {

    static final String HEADER =
        String.format(
            "%-28s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s %9s",
            "fault",
            "req_fail",
            "ack_tr",
            "ack_sp",
            "stor_tr",
            "stor_sp",
            "miss_sp",
            "dup_rows",
            "sum_off",
            "rest_rd",
            "rest_bad",
            "partial");

    private static final int MAX_PROBLEMS = 20;

    private final String fault;
    private final long failedRequests;
    long ackedTraces;
    long ackedSpans;
    long storedTraces;
    long storedSpans;
    long missingSpans;
    long duplicateRows;
    long summariesOff;
    long restRead;
    long restIncomplete;
    long partlyRejected;

    private FaultRow(String fault, long failedRequests) {
      this.fault = fault;
      this.failedRequests = failedRequests;
    }

    static FaultRow of(String fault, RunOutcome outcome) {
      return new FaultRow(fault, outcome.stats().failedRequests());
    }

    void add(AckedTrace trace, Rows rows, Map<String, Answer> answers, List<String> problems) {
      String id = trace.traceIdHex();
      Answer answer = answers.get(id);
      long duplicates = rows.rows() - rows.distinctSpans();
      duplicateRows += duplicates;
      if (duplicates > 0 || answer != null && answer.spans() != answer.distinctSpans()) {
        problem(problems, id, trace, rows, answer, "duplicated spans");
      }
      if (trace.partlyRejected()) {
        // which of its spans were refused is not known: only duplicates can be judged
        partlyRejected++;
        return;
      }
      ackedTraces++;
      ackedSpans += trace.spans();
      storedSpans += Math.min(rows.distinctSpans(), trace.spans());
      missingSpans += Math.max(0, trace.spans() - rows.distinctSpans());
      if (rows.distinctSpans() >= trace.spans()) {
        storedTraces++;
      } else {
        problem(problems, id, trace, rows, answer, "spans missing");
      }
      if (rows.summarySpans() != rows.distinctSpans()) {
        summariesOff++;
        problem(problems, id, trace, rows, answer, "summary span count differs");
      }
      if (answer == null) {
        return;
      }
      restRead++;
      if (answer.status() != 200 || answer.distinctSpans() != trace.spans()) {
        restIncomplete++;
        problem(problems, id, trace, rows, answer, "REST answer incomplete");
      }
    }

    private void problem(
        List<String> problems, String id, AckedTrace trace, Rows rows, Answer answer, String what) {
      if (problems.size() < MAX_PROBLEMS) {
        problems.add(
            String.format(
                "%s: trace %s %s: acked %d spans, rows %d, distinct %d, summary %d, REST %d spans"
                    + " (HTTP %d; -1: not read)",
                fault,
                id,
                what,
                trace.spans(),
                rows.rows(),
                rows.distinctSpans(),
                rows.summarySpans(),
                answer == null ? -1 : answer.spans(),
                answer == null ? -1 : answer.status()));
      }
    }

    String format() {
      return String.format(
          "%-28s %8d %8d %8d %8d %8d %8d %8d %8d %8d %8d %9d",
          fault,
          failedRequests,
          ackedTraces,
          ackedSpans,
          storedTraces,
          storedSpans,
          missingSpans,
          duplicateRows,
          summariesOff,
          restRead,
          restIncomplete,
          partlyRejected);
    }
  }
}
