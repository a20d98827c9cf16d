package dev.cairn.storage.transport.kafka;

import dev.cairn.storage.config.StorageConfig;
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

/** Ready while the Kafka cluster answers and the consumer loop polls. */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements HealthCheck {

  private final StorageConfig config;
  private final SampledSpansConsumer consumer;
  private final Admin admin;

  KafkaReadinessCheck(StorageConfig config, SampledSpansConsumer consumer) {
    this.config = config;
    this.consumer = consumer;
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.kafka().bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG,
                "cairn-storage-health"));
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
      boolean polling = consumer.isPolling();
      return response.status(polling).withData("nodes", nodes).withData("polling", polling).build();
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
