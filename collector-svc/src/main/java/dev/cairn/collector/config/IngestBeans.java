package dev.cairn.collector.config;

import dev.cairn.collector.agent.QueuedOutbound;
import dev.cairn.collector.ingest.IngestMetrics;
import dev.cairn.collector.ingest.IngestService;
import dev.cairn.collector.ingest.PerTraceOutbound;
import dev.cairn.collector.ingest.ResourceEnricher;
import dev.cairn.collector.ingest.SpanSanitizer;
import dev.cairn.collector.transport.kafka.KafkaSpanPublisher;
import dev.cairn.collector.transport.kafka.TracedSpanPublisher;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Wires the framework-free ingest domain to the role's way out: the Kafka adapter (gateway) or the
 * forwarding queue (agent). Only the role's beans are ever made: an agent has no Kafka client.
 */
@Singleton
final class IngestBeans {

  @Produces
  @Singleton
  @Startup
  IngestService ingestService(
      CollectorConfig config,
      @ConfigProperty(name = "cairn.region") Optional<String> region,
      Instance<KafkaSpanPublisher> kafka,
      Instance<QueuedOutbound> agent,
      MeterRegistry registry,
      Tracer tracer) {
    SpanSanitizer sanitizer =
        new SpanSanitizer(
            config.ingest().limits(), config.ingest().timeWindow(), Clock.systemUTC());
    IngestMetrics metrics = new IngestMetrics(registry);
    if (config.role() == CollectorConfig.Role.AGENT) {
      return new IngestService(
          sanitizer, podEnricher(config.agent().resource()), agent.get(), metrics);
    }
    return new IngestService(
        sanitizer,
        regionEnricher(region),
        new PerTraceOutbound(
            new TracedSpanPublisher(kafka.get(), tracer), config.kafka().maxRecordBytes()),
        metrics);
  }

  /** An agent adds where it runs, never replacing what the application set. */
  static ResourceEnricher podEnricher(CollectorConfig.Agent.Resource resource) {
    Map<String, String> where = new LinkedHashMap<>();
    resource.podName().ifPresent(v -> where.put(ResourceEnricher.K8S_POD_NAME, v));
    resource.namespace().ifPresent(v -> where.put(ResourceEnricher.K8S_NAMESPACE_NAME, v));
    resource.nodeName().ifPresent(v -> where.put(ResourceEnricher.K8S_NODE_NAME, v));
    return new ResourceEnricher(where, Map.of());
  }

  /** A gateway is the authority on its region. */
  static ResourceEnricher regionEnricher(Optional<String> region) {
    return region
        .filter(r -> !r.isBlank())
        .map(r -> new ResourceEnricher(Map.of(), Map.of(ResourceEnricher.CAIRN_REGION, r.strip())))
        .orElse(ResourceEnricher.NONE);
  }
}
