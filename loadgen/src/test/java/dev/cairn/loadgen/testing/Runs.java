package dev.cairn.loadgen.testing;

import dev.cairn.loadgen.generate.BatchSource;
import dev.cairn.loadgen.generate.GeneratorConfig;
import dev.cairn.loadgen.generate.Topology;
import dev.cairn.loadgen.generate.TraceGenerator;
import dev.cairn.loadgen.run.LoadRunner;
import dev.cairn.loadgen.run.RunOutcome;
import dev.cairn.loadgen.run.RunPlan;
import dev.cairn.loadgen.run.TraceExporter;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;

/** Runs the load generator against test receivers. */
public final class Runs {

  public static final int BATCH = 100;

  private Runs() {}

  public static RunOutcome run(List<TraceExporter> exporters, RunPlan plan)
      throws InterruptedException {
    GeneratorConfig config = new GeneratorConfig(10, 3, 2, 4, 3, 30, 6, 0.05);
    Topology topology = Topology.create(config, new SplittableRandom(1));
    LoadRunner runner =
        new LoadRunner(
            plan,
            exporters,
            i ->
                new BatchSource(
                    new TraceGenerator(config, topology, new SplittableRandom(100 + i)),
                    BATCH,
                    System::currentTimeMillis,
                    new SplittableRandom(200 + i),
                    0),
            null);
    return runner.run(null, Duration.ofSeconds(1));
  }

  public static RunPlan spans(long spans) {
    return new RunPlan(Duration.ofSeconds(60), spans, 0, 4, Duration.ofSeconds(10));
  }

  /** A local port nobody listens on. */
  public static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
