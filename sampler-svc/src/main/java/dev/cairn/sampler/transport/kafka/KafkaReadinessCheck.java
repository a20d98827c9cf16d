package dev.cairn.sampler.transport.kafka;

import dev.cairn.kafka.KafkaReadiness;
import dev.cairn.sampler.config.SamplerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready while the Kafka cluster answers and the sampling loop polls ({@link KafkaReadiness}). */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

  private final KafkaReadiness readiness;

  KafkaReadinessCheck(SamplerConfig config, SamplerRunner runner) {
    this.readiness =
        new KafkaReadiness(
            config.kafka().bootstrapServers(),
            "cairn-sampler-health",
            config.kafka().healthTimeout(),
            Map.of("loop", runner::isHealthy));
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
