package dev.cairn.sampler.transport.kafka;

import dev.cairn.kafka.KafkaClusterProbe;
import dev.cairn.sampler.config.SamplerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready while the Kafka cluster answers and the sampling loop polls: a sampler that cannot reach
 * Kafka makes no progress, and its partitions should go to a healthy replica.
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

  private final SamplerConfig.Kafka config;
  private final SamplerRunner runner;
  private final KafkaClusterProbe probe;

  KafkaReadinessCheck(SamplerConfig config, SamplerRunner runner) {
    this.config = config.kafka();
    this.runner = runner;
    this.probe =
        KafkaClusterProbe.connect(config.kafka().bootstrapServers(), "cairn-sampler-health");
  }

  @Override
  public HealthCheckResponse call() {
    KafkaClusterProbe.Result cluster = probe.probe(config.healthTimeout());
    var response =
        HealthCheckResponse.named("kafka").withData("bootstrap.servers", config.bootstrapServers());
    if (!cluster.isUp()) {
      return response.down().withData("reason", cluster.failure()).build();
    }
    boolean loop = runner.isHealthy();
    return response.status(loop).withData("nodes", cluster.nodes()).withData("loop", loop).build();
  }

  @PreDestroy
  void close() {
    probe.close();
  }
}
