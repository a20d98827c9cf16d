package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** Probes of a port nothing listens on: no broker needed. */
class KafkaClusterProbeTest {

  private static final String CLOSED_PORT = "127.0.0.1:1";

  @Test
  void unreachableClusterIsDownWithinTheTimeout() {
    Duration timeout = Duration.ofMillis(500);
    try (KafkaClusterProbe probe = KafkaClusterProbe.connect(CLOSED_PORT, "probe-test")) {
      long began = System.nanoTime();
      KafkaClusterProbe.Result result = probe.probe(timeout);
      Duration took = Duration.ofNanos(System.nanoTime() - began);

      assertThat(result.isUp()).isFalse();
      assertThat(result.nodes()).isZero();
      assertThat(result.failure()).containsIgnoringCase("timed out");
      // the admin client's own default would wait a minute
      assertThat(took).isLessThan(Duration.ofSeconds(3));
    }
  }

  @Test
  void overridesReachTheAdminClient() {
    // An explicit API timeout below the request timeout is a setting Admin.create refuses.
    Map<String, Object> overrides =
        Map.of(
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 1000);

    assertThatThrownBy(() -> KafkaClusterProbe.connect(CLOSED_PORT, "probe-test", overrides))
        .rootCause()
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG);
  }

  @Test
  void interruptedProbeIsDownAndKeepsTheInterrupt() {
    try (KafkaClusterProbe probe = KafkaClusterProbe.connect(CLOSED_PORT, "probe-test")) {
      Thread.currentThread().interrupt();
      long began = System.nanoTime();
      // close() waits for the abandoned request, so keep its deadline short
      KafkaClusterProbe.Result result = probe.probe(Duration.ofSeconds(3));
      Duration took = Duration.ofNanos(System.nanoTime() - began);

      assertThat(Thread.interrupted()).isTrue();
      assertThat(result.isUp()).isFalse();
      assertThat(result.failure()).isEqualTo("interrupted");
      assertThat(took).isLessThan(Duration.ofSeconds(2));
    }
  }
}
