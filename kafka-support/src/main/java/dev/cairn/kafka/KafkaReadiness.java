package dev.cairn.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * The one Kafka readiness check of every service: up while the cluster answers within the timeout
 * and every named loop of the service is up (a sampler or storage loop that cannot poll makes no
 * progress, so its partitions should go to a healthy replica). Each service's {@code @Readiness}
 * bean delegates to it. Thread-safe.
 */
public final class KafkaReadiness implements AutoCloseable {

  private final String bootstrapServers;
  private final Duration timeout;
  private final KafkaClusterProbe probe;
  private final Map<String, BooleanSupplier> loops;

  /**
   * @param loops name and liveness of each loop that must run for the service to be ready (none for
   *     a service that only produces)
   */
  public KafkaReadiness(
      String bootstrapServers,
      String clientId,
      Duration timeout,
      Map<String, BooleanSupplier> loops) {
    this.bootstrapServers = bootstrapServers;
    this.timeout = timeout;
    this.loops = new LinkedHashMap<>(loops);
    // The admin client's own requests are bounded by the probe timeout too.
    int timeoutMs = (int) timeout.toMillis();
    this.probe =
        KafkaClusterProbe.connect(
            bootstrapServers,
            clientId,
            Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
  }

  public HealthCheckResponse check() {
    HealthCheckResponseBuilder response =
        HealthCheckResponse.named("kafka").withData("bootstrap.servers", bootstrapServers);
    KafkaClusterProbe.Result cluster = probe.probe(timeout);
    if (!cluster.isUp()) {
      return response.down().withData("reason", cluster.failure()).build();
    }
    boolean up = true;
    response.withData("nodes", cluster.nodes());
    for (Map.Entry<String, BooleanSupplier> loop : loops.entrySet()) {
      boolean loopUp = loop.getValue().getAsBoolean();
      response.withData(loop.getKey(), loopUp);
      up &= loopUp;
    }
    return response.status(up).build();
  }

  @Override
  public void close() {
    probe.close();
  }
}
