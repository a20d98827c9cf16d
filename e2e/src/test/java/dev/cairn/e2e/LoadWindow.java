package dev.cairn.e2e;

import dev.cairn.loadgen.generate.BatchSource;
import dev.cairn.loadgen.generate.GeneratorConfig;
import dev.cairn.loadgen.generate.Topology;
import dev.cairn.loadgen.generate.TraceGenerator;
import dev.cairn.loadgen.run.LoadRunner;
import dev.cairn.loadgen.run.RunOutcome;
import dev.cairn.loadgen.run.RunPlan;
import dev.cairn.loadgen.run.TraceExporter;
import dev.cairn.loadgen.run.TraceIdLog;
import dev.cairn.loadgen.transport.grpc.GrpcTraceExporter;
import dev.cairn.loadgen.transport.http.HttpTraceExporter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The project's load generator running against a pipeline for the length of one fault: one
 * OTLP/gRPC and one OTLP/HTTP connection, every trace of every acknowledged request written to a
 * trace-id log ({@link TraceIdLog}). The generator does not retry, so a trace is in the log exactly
 * when the collector answered OK for the request that carried it.
 */
final class LoadWindow {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  private static final int SPANS_PER_REQUEST = 50;
  private static final int IN_FLIGHT_PER_CONNECTION = 4;

  final String name;
  private final Path idLog;
  private final LoadRunner runner;
  private final List<TraceExporter> exporters;
  private final TraceIdLog traceIdLog;
  private final Thread thread;
  private final AtomicReference<RunOutcome> outcome = new AtomicReference<>();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  private LoadWindow(String name, Pipeline pipeline, Path idLog, double spansPerSecond) {
    this.name = name;
    this.idLog = idLog;
    this.traceIdLog = new TraceIdLog(idLog);
    this.exporters =
        List.of(
            GrpcTraceExporter.connect(
                "127.0.0.1:" + pipeline.otlpGrpcPort, Map.of(), REQUEST_TIMEOUT, false),
            HttpTraceExporter.connect(pipeline.otlpHttpUrl(), Map.of(), REQUEST_TIMEOUT, false));
    GeneratorConfig config = GeneratorConfig.defaults();
    Topology topology = Topology.create(config, new SplittableRandom(name.hashCode()));
    SplittableRandom random = new SplittableRandom();
    List<SplittableRandom> streams = new ArrayList<>();
    for (int i = 0; i < exporters.size(); i++) {
      streams.add(random.split());
    }
    RunPlan plan =
        new RunPlan(
            Duration.ofHours(1),
            0,
            spansPerSecond,
            IN_FLIGHT_PER_CONNECTION,
            REQUEST_TIMEOUT.plusSeconds(1));
    this.runner =
        new LoadRunner(
            plan,
            exporters,
            i ->
                new BatchSource(
                    new TraceGenerator(config, topology, streams.get(i)),
                    SPANS_PER_REQUEST,
                    LoadWindow::epochNanos,
                    streams.get(i),
                    1.0),
            traceIdLog);
    this.thread = new Thread(this::run, "fault-load-" + name);
  }

  /** Starts sending at the given rate (spans/s over both connections) until {@link #stop()}. */
  static LoadWindow start(String name, Pipeline pipeline, Path idLog, double spansPerSecond) {
    LoadWindow window = new LoadWindow(name, pipeline, idLog, spansPerSecond);
    window.thread.start();
    return window;
  }

  private void run() {
    try {
      outcome.set(runner.run(null, Duration.ofSeconds(5)));
    } catch (Throwable e) {
      failure.set(e);
    }
  }

  /** Stops sending, waits for the answers of requests in flight, and returns how the run went. */
  RunOutcome stop() throws InterruptedException {
    runner.stop();
    thread.join(REQUEST_TIMEOUT.plusSeconds(10).toMillis());
    exporters.forEach(TraceExporter::close);
    traceIdLog.close();
    if (failure.get() != null) {
      throw new IllegalStateException("load of " + name + " failed", failure.get());
    }
    if (outcome.get() == null) {
      throw new IllegalStateException("load of " + name + " did not end");
    }
    return outcome.get();
  }

  /** The traces the collector acknowledged during this window, from the trace-id log. */
  List<AckedTrace> acknowledged() throws IOException {
    List<AckedTrace> traces = new ArrayList<>();
    List<String> lines = Files.readAllLines(idLog, StandardCharsets.UTF_8);
    for (String line : lines.subList(1, lines.size())) {
      String[] columns = line.split("\t");
      traces.add(
          new AckedTrace(columns[0], Integer.parseInt(columns[1]), Long.parseLong(columns[7]) > 0));
    }
    return traces;
  }

  /**
   * One trace of an acknowledged request.
   *
   * @param traceIdHex lower-case hex trace id
   * @param spans spans the trace has
   * @param partlyRejected whether the collector refused some spans of that request through {@code
   *     partial_success}: the answer does not say which, so the trace may be stored incomplete
   */
  record AckedTrace(String traceIdHex, int spans, boolean partlyRejected) {}

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
