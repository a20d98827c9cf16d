package dev.cairn.collector.transport.kafka;

import dev.cairn.collector.config.CollectorConfig;
import dev.cairn.kafka.KafkaReadiness;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the Kafka cluster answers ({@link KafkaReadiness}): a gateway that cannot
 * publish would answer every export with UNAVAILABLE, so load balancers should send clients to
 * another replica. Bounded by {@code cairn.collector.kafka.health-timeout}. Gateway role only: an
 * agent never looks this check up, so it makes no Kafka client.
 */
@Readiness
@ApplicationScoped
@LookupIfProperty(name = "cairn.collector.role", stringValue = "gateway", lookupIfMissing = true)
public class KafkaReadinessCheck implements HealthCheck {

  private final KafkaReadiness readiness;

  KafkaReadinessCheck(CollectorConfig config) {
    this.readiness =
        new KafkaReadiness(
            config.kafka().bootstrapServers(),
            "cairn-collector-health",
            config.kafka().healthTimeout(),
            Map.of());
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
