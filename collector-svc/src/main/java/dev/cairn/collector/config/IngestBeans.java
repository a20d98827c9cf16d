package dev.cairn.collector.config;

import dev.cairn.collector.ingest.IngestMetrics;
import dev.cairn.collector.ingest.IngestService;
import dev.cairn.collector.ingest.SpanSanitizer;
import dev.cairn.collector.transport.kafka.KafkaSpanPublisher;
import dev.cairn.collector.transport.kafka.TracedSpanPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** Wires the framework-free ingest domain to its Kafka adapter and the meter registry. */
@Singleton
final class IngestBeans {

  @Produces
  @Singleton
  IngestService ingestService(
      CollectorConfig config, KafkaSpanPublisher kafka, MeterRegistry registry, Tracer tracer) {
    return new IngestService(
        new SpanSanitizer(
            config.ingest().limits(), config.ingest().timeWindow(), Clock.systemUTC()),
        new TracedSpanPublisher(kafka, tracer),
        new IngestMetrics(registry),
        config.kafka().maxRecordBytes());
  }
}
