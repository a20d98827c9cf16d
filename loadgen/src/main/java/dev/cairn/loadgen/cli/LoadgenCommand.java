package dev.cairn.loadgen.cli;

import dev.cairn.loadgen.bench.QueryBenchCommand;
import dev.cairn.loadgen.bench.QueryableCommand;
import dev.cairn.loadgen.bench.SurfacesBenchCommand;
import dev.cairn.loadgen.bulk.BulkCommand;
import dev.cairn.loadgen.generate.BatchSource;
import dev.cairn.loadgen.generate.GeneratorConfig;
import dev.cairn.loadgen.generate.Topology;
import dev.cairn.loadgen.generate.TraceGenerator;
import dev.cairn.loadgen.run.LoadRunner;
import dev.cairn.loadgen.run.RunOutcome;
import dev.cairn.loadgen.run.RunPlan;
import dev.cairn.loadgen.run.RunReport;
import dev.cairn.loadgen.run.TraceExporter;
import dev.cairn.loadgen.run.TraceIdLog;
import dev.cairn.loadgen.transport.grpc.GrpcTraceExporter;
import dev.cairn.loadgen.transport.http.HttpTraceExporter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The command line: reads options, wires generator, exporters and runner, prints the report. */
@Command(
    name = "cairn-loadgen",
    mixinStandardHelpOptions = true,
    version = "cairn-loadgen 0.1.0",
    sortOptions = false,
    usageHelpAutoWidth = true,
    subcommands = {
      QueryBenchCommand.class,
      QueryableCommand.class,
      SurfacesBenchCommand.class,
      BulkCommand.class
    },
    description = {
      "Generates realistic traces and sends them to an OTLP receiver (gRPC or HTTP/protobuf).",
      "Progress goes to stderr every few seconds; the summary and a final `RESULT {json}` line go"
          + " to stdout. Always stops by itself: after --duration, or after --spans spans.",
      "Exit code: 0 when spans were accepted, 1 when none were, 2 for bad options."
    })
public final class LoadgenCommand implements Callable<Integer> {

  /** Fleet layout seed when none is given, so service and operation names stay the same. */
  static final long DEFAULT_TOPOLOGY_SEED = 20_26_11_25L;

  enum Protocol {
    grpc,
    http
  }

  enum Compression {
    none,
    gzip
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--endpoint",
      paramLabel = "HOST:PORT|URL",
      description =
          "Receiver address. Default: localhost:4317 for grpc, http://localhost:4318/v1/traces for"
              + " http (a URL without a path gets /v1/traces).")
  String endpoint;

  @Option(
      names = "--protocol",
      paramLabel = "grpc|http",
      defaultValue = "grpc",
      description = "grpc or http (OTLP/HTTP with protobuf bodies). Default: ${DEFAULT-VALUE}.")
  Protocol protocol;

  @Option(
      names = "--connections",
      paramLabel = "N",
      defaultValue = "4",
      description =
          "Connections: gRPC channels or HTTP clients, each fed by its own generating thread."
              + " Default: ${DEFAULT-VALUE}.")
  int connections;

  @Option(
      names = "--in-flight",
      paramLabel = "N",
      defaultValue = "8",
      description = "Requests awaiting an answer per connection. Default: ${DEFAULT-VALUE}.")
  int inFlight;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      paramLabel = "TIME",
      description =
          "How long to send (500ms, 30s, 5m, 1h). Default: 30s, or unbounded when --spans is given.")
  Duration duration;

  @Option(
      names = "--spans",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Stop after this many spans (the last batches may overshoot by < one batch per"
              + " connection); 0 = no span limit. Default: ${DEFAULT-VALUE}.")
  long spans;

  @Option(
      names = "--rate",
      defaultValue = "0",
      paramLabel = "SPANS_PER_S",
      description =
          "Target spans/s over all connections; 0 = as fast as possible. Default: ${DEFAULT-VALUE}.")
  double rate;

  @Option(
      names = "--batch-size",
      paramLabel = "SPANS",
      defaultValue = "512",
      description =
          "Spans per export request (whole traces only, so a request may hold fewer)."
              + " Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @CommandLine.Mixin FleetOptions fleet = new FleetOptions(GeneratorConfig.defaults());

  @Option(
      names = "--seed",
      paramLabel = "LONG",
      description =
          "Seed for reproducible traces (per-connection streams are split from it). Default: random"
              + " traces over a fixed fleet layout.")
  Long seed;

  @Option(
      names = "--compression",
      paramLabel = "none|gzip",
      defaultValue = "none",
      description = "none or gzip (request bodies). Default: ${DEFAULT-VALUE}.")
  Compression compression;

  @Option(
      names = "--header",
      paramLabel = "NAME=VALUE",
      description = "Header (HTTP) or metadata (gRPC) sent with every request; repeatable.")
  Map<String, String> headers = new LinkedHashMap<>();

  @Option(
      names = "--timeout",
      paramLabel = "TIME",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description =
          "Deadline of each request; also how long to wait for answers at the end. Default: ${DEFAULT-VALUE}.")
  Duration timeout;

  @Option(
      names = "--progress",
      paramLabel = "TIME",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Time between progress lines on stderr; 0 = none. Default: ${DEFAULT-VALUE}.")
  Duration progress;

  @Option(
      names = "--trace-ids-out",
      paramLabel = "FILE",
      description =
          "Write sampled trace ids with send and acknowledge times (tab-separated) for measuring"
              + " export-to-queryable delay.")
  Path traceIdsOut;

  @Option(
      names = "--trace-ids-sample",
      paramLabel = "RATIO",
      defaultValue = "0.01",
      description = "Share of traces written to --trace-ids-out. Default: ${DEFAULT-VALUE}.")
  double traceIdsSample;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    validate();
    GeneratorConfig config = fleet.config(spec);
    Topology topology =
        Topology.create(config, new SplittableRandom(seed != null ? seed : DEFAULT_TOPOLOGY_SEED));
    SplittableRandom root = seed != null ? new SplittableRandom(seed + 1) : new SplittableRandom();
    List<SplittableRandom> streams = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      streams.add(root.split());
    }
    String target = endpoint != null ? endpoint : defaultEndpoint();
    RunPlan plan =
        new RunPlan(
            duration == null && spans <= 0 ? Duration.ofSeconds(30) : duration,
            spans,
            rate,
            inFlight,
            timeout.plusSeconds(1));
    List<TraceExporter> exporters = new ArrayList<>();
    TraceIdLog traceIdLog = traceIdsOut != null ? new TraceIdLog(traceIdsOut) : null;
    try {
      for (int i = 0; i < connections; i++) {
        exporters.add(connect(target));
      }
      LoadRunner runner =
          new LoadRunner(
              plan,
              exporters,
              i ->
                  new BatchSource(
                      new TraceGenerator(config, topology, streams.get(i)),
                      batchSize,
                      LoadgenCommand::epochNanos,
                      streams.get(i),
                      traceIdLog != null ? traceIdsSample : 0),
              traceIdLog);
      err.printf(
          "cairn-loadgen: %s %s, %d connection(s) x %d in flight, %s%n",
          protocol, target, connections, inFlight, describeLimit(plan));
      err.flush();
      RunOutcome outcome = runStoppable(runner, plan, err);
      RunReport report = new RunReport(protocol.name(), target, connections, outcome);
      out.print(report.summary());
      out.println(report.resultLine());
      out.flush();
      return outcome.stats().spansAccepted() > 0 ? 0 : 1;
    } finally {
      exporters.forEach(TraceExporter::close);
      if (traceIdLog != null) {
        traceIdLog.close();
      }
    }
  }

  /** Runs, letting Ctrl-C end the sending early while the report still gets printed. */
  private RunOutcome runStoppable(LoadRunner runner, RunPlan plan, PrintWriter err)
      throws InterruptedException {
    CountDownLatch done = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              runner.stop();
              try {
                done.await(plan.drainTimeout().toMillis() + 2000, TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "loadgen-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return runner.run(progress.isZero() ? null : err, progress);
    } finally {
      done.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // already shutting down: the hook is running and will see the latch
      }
    }
  }

  private TraceExporter connect(String target) {
    boolean gzip = compression == Compression.gzip;
    return switch (protocol) {
      case grpc -> GrpcTraceExporter.connect(target, headers, timeout, gzip);
      case http -> HttpTraceExporter.connect(target, headers, timeout, gzip);
    };
  }

  private String defaultEndpoint() {
    return protocol == Protocol.grpc ? "localhost:4317" : "http://localhost:4318/v1/traces";
  }

  private static String describeLimit(RunPlan plan) {
    String limit =
        (plan.duration() != null ? "for " + plan.duration().toMillis() / 1000.0 + " s" : "")
            + (plan.duration() != null && plan.maxSpans() > 0 ? " or " : "")
            + (plan.maxSpans() > 0 ? plan.maxSpans() + " spans" : "");
    return limit
        + (plan.spansPerSecond() > 0
            ? " at " + plan.spansPerSecond() + " spans/s"
            : ", unthrottled");
  }

  private void validate() {
    require(connections >= 1, "--connections must be >= 1");
    require(inFlight >= 1, "--in-flight must be >= 1");
    require(batchSize >= 1, "--batch-size must be >= 1");
    require(spans >= 0, "--spans must be >= 0");
    require(rate >= 0, "--rate must be >= 0");
    require(
        duration == null || !duration.isZero() && !duration.isNegative(), "--duration must be > 0");
    require(!timeout.isZero() && !timeout.isNegative(), "--timeout must be > 0");
    require(!progress.isNegative(), "--progress must be >= 0");
    require(traceIdsSample >= 0 && traceIdsSample <= 1, "--trace-ids-sample must be within [0, 1]");
    fleet.config(spec);
  }

  private void require(boolean condition, String message) {
    if (!condition) {
      throw new CommandLine.ParameterException(spec.commandLine(), message);
    }
  }

  private static long epochNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
