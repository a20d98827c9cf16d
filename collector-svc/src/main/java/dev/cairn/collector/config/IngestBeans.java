package dev.cairn.collector.config;

import dev.cairn.collector.ingest.IngestMetrics;
import dev.cairn.collector.ingest.IngestService;
import dev.cairn.collector.ingest.SpanSanitizer;
import dev.cairn.collector.transport.kafka.KafkaSpanPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the framework-free ingest domain to its Kafka adapter and the meter registry. */
@Singleton
final class IngestBeans {

  @Produces
  @Singleton
  IngestService ingestService(
      CollectorConfig config, KafkaSpanPublisher kafka, MeterRegistry registry) {
    return new IngestService(
        new SpanSanitizer(
            config.ingest().limits(), config.ingest().timeWindow(), Clock.systemUTC()),
        kafka,
        new IngestMetrics(registry));
  }
}
