package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Probes the broker that scripts/infra.sh starts. */
class KafkaClusterProbeIT {

  private static final String BOOTSTRAP =
      System.getenv().getOrDefault("CAIRN_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

  @Test
  void runningClusterIsUpWithItsNodes() {
    try (KafkaClusterProbe probe = KafkaClusterProbe.connect(BOOTSTRAP, "probe-it")) {
      KafkaClusterProbe.Result result = probe.probe(Duration.ofSeconds(10));

      assertThat(result.failure()).isNull();
      assertThat(result.isUp()).isTrue();
      assertThat(result.nodes()).isPositive();
      // the admin client is reused: a second probe answers too
      assertThat(probe.probe(Duration.ofSeconds(10)).isUp()).isTrue();
    }
  }
}
