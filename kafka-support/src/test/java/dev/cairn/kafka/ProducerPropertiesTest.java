package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ProducerPropertiesTest {

  private static final ProducerProperties.Bounds BOUNDS =
      new ProducerProperties.Bounds(
          Duration.ofSeconds(30), Duration.ofSeconds(10), 5, "none", 1 << 20);

  @Test
  void aTransactionalProducerIsTheReliableOneWithItsIdAndTimeout() {
    Properties props =
        ProducerProperties.transactional(
            "127.0.0.1:1", "client-t", BOUNDS, "sampler-7", Duration.ofSeconds(10));

    assertThat(props)
        .containsAllEntriesOf(ProducerProperties.reliable("127.0.0.1:1", "client-t", BOUNDS))
        .containsEntry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "sampler-7")
        .containsEntry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    // Construction validates every setting without contacting a broker.
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      assertThat(producer.metrics()).isNotEmpty();
    }
  }
}
