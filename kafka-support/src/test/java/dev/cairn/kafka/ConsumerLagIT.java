package dev.cairn.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Lag against the broker that scripts/infra.sh starts, on a topic of this run's own. */
class ConsumerLagIT {

  private static final String BOOTSTRAP =
      System.getenv().getOrDefault("CAIRN_KAFKA_BOOTSTRAP", "127.0.0.1:9092");

  @Test
  void sumsTheRecordsBehindOverTheAssignedPartitions() throws Exception {
    String topic = "lag-it-" + UUID.randomUUID();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", BOOTSTRAP))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
    }
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP);
    producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps)) {
      for (int i = 0; i < 10; i++) {
        producer.send(new ProducerRecord<>(topic, i % 2, null, new byte[] {(byte) i}));
      }
      producer.flush();
    }
    Properties consumerProps = ConsumerProperties.atLeastOnce(BOOTSTRAP, "lag-it", "lag-it");
    consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 3);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps)) {
      consumer.assign(List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1)));
      assertThat(ConsumerLag.recordsBehind(consumer)).as("nothing fetched yet").isZero();

      int consumed = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline
          && (consumed == 0
              || consumer.currentLag(new TopicPartition(topic, 0)).isEmpty()
              || consumer.currentLag(new TopicPartition(topic, 1)).isEmpty())) {
        consumed += consumer.poll(Duration.ofMillis(200)).count();
      }
      assertThat(consumed).isPositive().isLessThan(10);
      assertThat(ConsumerLag.recordsBehind(consumer)).isEqualTo(10 - consumed);
    }
  }
}
