package dev.cairn.sampler.transport.kafka;

import dev.cairn.sampler.config.SamplerConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
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

  private final SamplerConfig config;
  private final SamplerRunner runner;
  private final Admin admin;

  KafkaReadinessCheck(SamplerConfig config, SamplerRunner runner) {
    this.config = config;
    this.runner = runner;
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG,
                "cairn-sampler-health"));
  }

  @Override
  public HealthCheckResponse call() {
    long timeoutMs = config.kafka().healthTimeout().toMillis();
    var response =
        HealthCheckResponse.named("kafka")
            .withData("bootstrap.servers", config.kafka().bootstrapServers());
    try {
      int nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
              .nodes()
              .get(timeoutMs + 500, TimeUnit.MILLISECONDS)
              .size();
      boolean loop = runner.isHealthy();
      return response.status(loop).withData("nodes", nodes).withData("loop", loop).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return response.down().withData("reason", "interrupted").build();
    } catch (Exception e) {
      return response.down().withData("reason", String.valueOf(e.getMessage())).build();
    }
  }

  @PreDestroy
  void close() {
    admin.close();
  }
}
