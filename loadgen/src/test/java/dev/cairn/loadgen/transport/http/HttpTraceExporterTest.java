package dev.cairn.loadgen.transport.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.loadgen.run.RunOutcome;
import dev.cairn.loadgen.run.RunPlan;
import dev.cairn.loadgen.run.StatsSnapshot;
import dev.cairn.loadgen.run.TraceExporter;
import dev.cairn.loadgen.testing.HttpTestServer;
import dev.cairn.loadgen.testing.Runs;
import dev.cairn.loadgen.testing.ScriptedReceiver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpTraceExporterTest {

  @Test
  void reportsAcceptedRejectedAndFailedSpansAsTheReceiverDecided() throws Exception {
    ScriptedReceiver receiver = new ScriptedReceiver(5);
    try (HttpTestServer server = new HttpTestServer(receiver)) {
      List<TraceExporter> exporters =
          List.of(
              HttpTraceExporter.connect(server.endpoint(), Map.of(), Duration.ofSeconds(5), true),
              HttpTraceExporter.connect(
                  server.endpoint() + "/v1/traces", Map.of(), Duration.ofSeconds(5), false));
      StatsSnapshot stats = Runs.run(exporters, Runs.spans(10_000)).stats();
      assertThat(stats.spansSent()).isBetween(10_000L, 10_000L + 2 * Runs.BATCH);
      assertThat(stats.spansAccepted()).isEqualTo(receiver.accepted.get()).isPositive();
      assertThat(stats.spansRejected()).isEqualTo(receiver.rejected.get()).isPositive();
      assertThat(stats.spansFailed()).isEqualTo(receiver.spansInFailedRequests.get()).isPositive();
      assertThat(stats.failuresByStatus())
          .isEqualTo(Map.of("HTTP_503", receiver.failedRequests.get()));
      assertThat(server.gzipRequests.get()).isPositive().isLessThan(stats.requests());
    }
  }

  @Test
  void unreachableReceiverCountsFailuresAndTheRunStillEnds() throws Exception {
    TraceExporter exporter =
        HttpTraceExporter.connect(
            "127.0.0.1:" + Runs.closedPort(), Map.of(), Duration.ofSeconds(2), false);
    RunOutcome outcome =
        Runs.run(
            List.of(exporter), new RunPlan(Duration.ofMillis(500), 0, 0, 2, Duration.ofSeconds(5)));
    assertThat(outcome.elapsedSeconds()).isLessThan(10);
    assertThat(outcome.stats().requests()).isPositive();
    assertThat(outcome.stats().failedRequests()).isEqualTo(outcome.stats().requests());
    assertThat(outcome.stats().failuresByStatus()).containsOnlyKeys("ConnectException");
  }

  @Test
  void endpointWithoutPathGetsTheOtlpTracesPath() {
    assertThat(HttpTraceExporter.tracesUri("localhost:4318"))
        .hasToString("http://localhost:4318/v1/traces");
    assertThat(HttpTraceExporter.tracesUri("https://otel.example:443/"))
        .hasToString("https://otel.example:443/v1/traces");
    assertThat(HttpTraceExporter.tracesUri("http://h:1/custom/traces"))
        .hasToString("http://h:1/custom/traces");
  }
}
