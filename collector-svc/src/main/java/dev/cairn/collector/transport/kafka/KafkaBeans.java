package dev.cairn.collector.transport.kafka;

import dev.cairn.collector.config.CollectorConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The collector's Kafka producer, configured from {@link CollectorConfig.Kafka}. */
@Singleton
final class KafkaBeans {

  @Produces
  @Singleton
  @Startup
  KafkaSpanPublisher spanPublisher(CollectorConfig config) {
    return new KafkaSpanPublisher(
        new KafkaProducer<>(
            producerConfig(config.kafka()), new ByteArraySerializer(), new ByteArraySerializer()),
        config.kafka().topic());
  }

  void closePublisher(@Disposes KafkaSpanPublisher publisher, CollectorConfig config) {
    publisher.close(config.kafka().deliveryTimeout());
  }

  static Map<String, Object> producerConfig(CollectorConfig.Kafka kafka) {
    int deliveryMs = (int) kafka.deliveryTimeout().toMillis();
    Map<String, Object> props = new HashMap<>();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "cairn-collector");
    // Nothing acknowledged may be lost (ARCHITECTURE.md invariant 3), and retries must not
    // duplicate or reorder: idempotence, which requires acks=all.
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, kafka.compressionType());
    props.put(ProducerConfig.LINGER_MS_CONFIG, kafka.lingerMs());
    // Bounded failure: a client waits at most max.block.ms (metadata, buffer) plus
    // delivery.timeout.ms (which must cover linger + one request timeout) for its answer.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) kafka.maxBlock().toMillis());
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryMs);
    props.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        Math.max(1000, deliveryMs - kafka.lingerMs() - 1000));
    return props;
  }
}
