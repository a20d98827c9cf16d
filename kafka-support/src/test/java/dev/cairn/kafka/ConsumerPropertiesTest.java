package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

class ConsumerPropertiesTest {

  @Test
  void consumerCommitsItselfAndStartsAtTheOldestRecord() {
    Properties props = ConsumerProperties.atLeastOnce("127.0.0.1:1", "group-a", "client-a");

    assertThat(props)
        .containsEntry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1")
        .containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "group-a")
        .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "client-a")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false")
        .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000");
  }

  @Test
  void propertiesMakeAByteArrayConsumer() {
    Properties props = ConsumerProperties.atLeastOnce("127.0.0.1:1", "group-b", "client-b");

    // Construction validates every setting (and the deserializers) without contacting a broker.
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      assertThat(consumer.groupMetadata().groupId()).isEqualTo("group-b");
    }
  }

  @Test
  void eachCallIsIndependent() {
    Properties first = ConsumerProperties.atLeastOnce("127.0.0.1:1", "group-c", "client-c");
    first.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 7);

    Properties second = ConsumerProperties.atLeastOnce("127.0.0.1:1", "group-c", "client-c");

    assertThat(second).doesNotContainKey(ConsumerConfig.MAX_POLL_RECORDS_CONFIG);
  }
}
