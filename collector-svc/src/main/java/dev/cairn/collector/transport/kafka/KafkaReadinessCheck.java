package dev.cairn.collector.transport.kafka;

import dev.cairn.collector.config.CollectorConfig;
import dev.cairn.kafka.KafkaClusterProbe;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Kafka cluster answers: a gateway that cannot publish would answer every
 * export with UNAVAILABLE, so load balancers should send clients to another replica. Bounded by
 * {@code cairn.collector.kafka.health-timeout}.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

  private final CollectorConfig.Kafka config;
  private final KafkaClusterProbe probe;

  KafkaReadinessCheck(CollectorConfig config) {
    this.config = config.kafka();
    // The admin client's own requests are bounded by the probe timeout too.
    int timeoutMs = (int) this.config.healthTimeout().toMillis();
    this.probe =
        KafkaClusterProbe.connect(
            this.config.bootstrapServers(),
            "cairn-collector-health",
            Map.of(
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs));
  }

  @Override
  public HealthCheckResponse call() {
    KafkaClusterProbe.Result cluster = probe.probe(config.healthTimeout());
    var response =
        HealthCheckResponse.named("kafka").withData("bootstrap.servers", config.bootstrapServers());
    if (!cluster.isUp()) {
      return response.down().withData("reason", cluster.failure()).build();
    }
    return response.up().withData("nodes", cluster.nodes()).build();
  }

  @PreDestroy
  void close() {
    probe.close();
  }
}
