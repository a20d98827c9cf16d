package dev.cairn.storage.transport.kafka;

import dev.cairn.kafka.KafkaClusterProbe;
import dev.cairn.storage.config.StorageConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the Kafka cluster answers and the consumer loop polls. */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

  private final StorageConfig.Kafka config;
  private final SampledSpansConsumer consumer;
  private final KafkaClusterProbe probe;

  KafkaReadinessCheck(StorageConfig config, SampledSpansConsumer consumer) {
    this.config = config.kafka();
    this.consumer = consumer;
    this.probe =
        KafkaClusterProbe.connect(config.kafka().bootstrapServers(), "cairn-storage-health");
  }

  @Override
  public HealthCheckResponse call() {
    KafkaClusterProbe.Result cluster = probe.probe(config.healthTimeout());
    var response =
        HealthCheckResponse.named("kafka").withData("bootstrap.servers", config.bootstrapServers());
    if (!cluster.isUp()) {
      return response.down().withData("reason", cluster.failure()).build();
    }
    boolean polling = consumer.isPolling();
    return response
        .status(polling)
        .withData("nodes", cluster.nodes())
        .withData("polling", polling)
        .build();
  }

  @PreDestroy
  void close() {
    probe.close();
  }
}
