package dev.cairn.collector.transport.kafka;

import dev.cairn.collector.config.CollectorConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Node;
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

  private final Admin admin;
  private final CollectorConfig config;

  KafkaReadinessCheck(Admin admin, CollectorConfig config) {
    this.admin = admin;
    this.config = config;
  }

  @Override
  public HealthCheckResponse call() {
    long timeoutMs = config.kafka().healthTimeout().toMillis();
    var response = HealthCheckResponse.named("kafka");
    response.withData("bootstrap.servers", config.kafka().bootstrapServers());
    try {
      Collection<Node> nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs((int) timeoutMs))
              .nodes()
              .get(timeoutMs + 500, TimeUnit.MILLISECONDS);
      return response.up().withData("nodes", nodes.size()).build();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return response.down().withData("reason", "interrupted").build();
    } catch (Exception e) {
      return response.down().withData("reason", String.valueOf(e.getMessage())).build();
    }
  }
}
