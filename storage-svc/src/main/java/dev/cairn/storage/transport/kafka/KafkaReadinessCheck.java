package dev.cairn.storage.transport.kafka;

import dev.cairn.kafka.KafkaReadiness;
import dev.cairn.storage.config.StorageConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the Kafka cluster answers and the consumer loop polls ({@link KafkaReadiness}). */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

  private final KafkaReadiness readiness;

  KafkaReadinessCheck(StorageConfig config, SampledSpansConsumer consumer) {
    this.readiness =
        new KafkaReadiness(
            config.kafka().bootstrapServers(),
            "cairn-storage-health",
            config.kafka().healthTimeout(),
            Map.of("polling", consumer::isPolling));
  }

  @Override
  public HealthCheckResponse call() {
    return readiness.check();
  }

  @PreDestroy
  void close() {
    readiness.close();
  }
}
