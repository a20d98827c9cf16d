package dev.cairn.collector.transport.kafka;

import dev.cairn.collector.config.CollectorConfig;
import dev.cairn.kafka.ProducerProperties;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;

/** The collector's Kafka producer, configured from {@link CollectorConfig.Kafka}. */
@Singleton
final class KafkaBeans {

  /** Made in the gateway role only, with the ingest service at start ({@code IngestBeans}). */
  @Produces
  @Singleton
  KafkaSpanPublisher spanPublisher(CollectorConfig config) {
    return new KafkaSpanPublisher(
        new KafkaProducer<byte[], byte[]>(producerConfig(config.kafka())), config.kafka().topic());
  }

  void closePublisher(@Disposes KafkaSpanPublisher publisher, CollectorConfig config) {
    publisher.close(config.kafka().deliveryTimeout());
  }

  static Properties producerConfig(CollectorConfig.Kafka kafka) {
    return ProducerProperties.reliable(
        kafka.bootstrapServers(),
        "cairn-collector",
        new ProducerProperties.Bounds(
            kafka.deliveryTimeout(),
            kafka.maxBlock(),
            kafka.lingerMs(),
            kafka.compressionType(),
            kafka.maxRecordBytes()));
  }
}
