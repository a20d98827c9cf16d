package dev.cairn.loadgen.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.loadgen.run.RunOutcome;
import dev.cairn.loadgen.run.RunPlan;
import dev.cairn.loadgen.run.StatsSnapshot;
import dev.cairn.loadgen.run.TraceExporter;
import dev.cairn.loadgen.testing.GrpcTestServer;
import dev.cairn.loadgen.testing.Runs;
import dev.cairn.loadgen.testing.ScriptedReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GrpcTraceExporterTest {

  @Test
  void reportsAcceptedRejectedAndFailedSpansAsTheReceiverDecided() throws Exception {
    ScriptedReceiver receiver = new ScriptedReceiver(7);
    try (GrpcTestServer server = new GrpcTestServer(receiver)) {
      List<TraceExporter> exporters =
          List.of(
              GrpcTraceExporter.connect(server.target(), Map.of(), Duration.ofSeconds(5), false),
              GrpcTraceExporter.connect(
                  server.target(), Map.of("x-tenant", "t1"), Duration.ofSeconds(5), true));
      RunOutcome outcome;
      try {
        outcome = Runs.run(exporters, Runs.spans(20_000));
      } finally {
        exporters.forEach(TraceExporter::close);
      }
      StatsSnapshot stats = outcome.stats();
      assertThat(outcome.drained()).isTrue();
      assertThat(stats.spansSent()).isBetween(20_000L, 20_000L + 2 * Runs.BATCH);
      assertThat(stats.spansAccepted()).isEqualTo(receiver.accepted.get()).isPositive();
      assertThat(stats.spansRejected()).isEqualTo(receiver.rejected.get()).isPositive();
      assertThat(stats.spansFailed()).isEqualTo(receiver.spansInFailedRequests.get()).isPositive();
      assertThat(stats.spansSent())
          .isEqualTo(stats.spansAccepted() + stats.spansRejected() + stats.spansFailed());
      assertThat(stats.failuresByStatus())
          .isEqualTo(Map.of("UNAVAILABLE", receiver.failedRequests.get()));
      assertThat(stats.lastRejectMessage()).contains("span id below 0x40");
      assertThat(stats.latencyMicros()[3]).isPositive();
      assertThat(stats.inFlight()).isZero();
    }
  }

  @Test
  void unreachableReceiverCountsFailuresAndTheRunStillEnds() throws Exception {
    String target = "127.0.0.1:" + Runs.closedPort();
    TraceExporter exporter =
        GrpcTraceExporter.connect(target, Map.of(), Duration.ofSeconds(2), false);
    RunOutcome outcome;
    try {
      outcome =
          Runs.run(
              List.of(exporter),
              new RunPlan(Duration.ofMillis(700), 0, 0, 2, Duration.ofSeconds(5)));
    } finally {
      exporter.close();
    }
    StatsSnapshot stats = outcome.stats();
    assertThat(outcome.elapsedSeconds()).isLessThan(10);
    assertThat(stats.requests()).isPositive();
    assertThat(stats.failedRequests()).isEqualTo(stats.requests());
    assertThat(stats.spansAccepted()).isZero();
    assertThat(stats.failuresByStatus()).containsOnlyKeys("UNAVAILABLE");
  }
}
