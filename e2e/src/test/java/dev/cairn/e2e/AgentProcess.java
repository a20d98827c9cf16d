package dev.cairn.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A collector in agent role started by {@link Pipeline#startAgent}: its endpoints and metrics. */
final class AgentProcess implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final ServiceProcess process;
  private final int grpcPort;

  AgentProcess(ServiceProcess process, int grpcPort) {
    this.process = process;
    this.grpcPort = grpcPort;
  }

  /** Where an application's OTLP/gRPC exporter points (the agent listens on 127.0.0.1 only). */
  String otlpGrpcEndpoint() {
    return "http://127.0.0.1:" + grpcPort;
  }

  String readinessBody() throws IOException, InterruptedException {
    return get("/q/health/ready");
  }

  /**
   * The value of a Prometheus series from {@code /q/metrics}, e.g. {@code
   * metric("cairn_collector_agent_spans_dropped_total", "reason=\"queue_full\"")}: the first line
   * of that name holding every given label; 0 when there is none.
   */
  double metric(String name, String... labels) throws IOException, InterruptedException {
    for (String line : get("/q/metrics").split("\n")) {
      if (!line.startsWith(name + "{") && !line.startsWith(name + " ")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }

  private String get(String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + process.httpPort() + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return response.body();
  }

  @Override
  public void close() throws InterruptedException {
    process.close();
  }
}
