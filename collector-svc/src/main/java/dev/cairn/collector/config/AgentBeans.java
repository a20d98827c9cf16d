package dev.cairn.collector.config;

import dev.cairn.collector.agent.AgentMetrics;
import dev.cairn.collector.agent.ForwardQueue;
import dev.cairn.collector.agent.Forwarder;
import dev.cairn.collector.agent.GatewayPool;
import dev.cairn.collector.agent.GatewayResolver;
import dev.cairn.collector.agent.HeadSampler;
import dev.cairn.collector.agent.QueuedOutbound;
import dev.cairn.collector.transport.grpc.GatewayGrpcExporter;
import dev.cairn.kafka.Backoff;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The agent role's beans, made only when {@code cairn.collector.role=agent} (looked up by {@link
 * IngestBeans}): the queue, the gateway pool, the forwarder with its gRPC client, and the way into
 * the queue.
 */
@Singleton
final class AgentBeans {

  /** An OTLP answer is a status and a partial_success message. */
  private static final int MAX_RESPONSE_BYTES = 1 << 20;

  @Produces
  @Singleton
  ForwardQueue queue(CollectorConfig config) {
    return new ForwardQueue(config.agent().queue().maxBytes(), System::nanoTime);
  }

  @Produces
  @Singleton
  GatewayPool gatewayPool(CollectorConfig config) {
    CollectorConfig.Agent.Export export = config.agent().export();
    return new GatewayPool(
        () -> new Backoff(export.initialBackoff(), export.maxBackoff(), export.backoffJitter()),
        System::nanoTime);
  }

  @Produces
  @Singleton
  AgentMetrics agentMetrics(MeterRegistry registry, ForwardQueue queue, GatewayPool pool) {
    return new AgentMetrics(registry, queue, pool);
  }

  @Produces
  @Singleton
  Forwarder forwarder(
      CollectorConfig config, ForwardQueue queue, GatewayPool pool, AgentMetrics metrics) {
    CollectorConfig.Agent agent = config.agent();
    GatewayResolver resolver =
        new GatewayResolver(
            agent
                .gateways()
                .orElseThrow(
                    () ->
                        new IllegalStateException(
                            "cairn.collector.role=agent needs cairn.collector.agent.gateways"
                                + " (host:port of the gateways, or a name resolving to them)")),
            GatewayResolver.systemLookup());
    Forwarder forwarder =
        new Forwarder(
            queue,
            pool,
            // Owned by the forwarder, which closes it after its senders stop.
            new GatewayGrpcExporter(MAX_RESPONSE_BYTES),
            resolver,
            metrics,
            new Forwarder.Settings(
                agent.export().senders(),
                agent.export().maxBatchBytes(),
                agent.export().timeout(),
                agent.export().maxAge(),
                agent.resolveInterval(),
                agent.export().drainTimeout()));
    forwarder.start();
    return forwarder;
  }

  /** Drains for up to drain-timeout, then stops the senders and closes the connections. */
  void closeForwarder(@Disposes Forwarder forwarder) throws InterruptedException {
    forwarder.close();
  }

  @Produces
  @Singleton
  QueuedOutbound outbound(
      CollectorConfig config, ForwardQueue queue, AgentMetrics metrics, Forwarder forwarder) {
    // The forwarder is a parameter so that it runs before the first span is queued.
    return new QueuedOutbound(
        new HeadSampler(config.agent().sampling().probability()), queue, metrics);
  }
}
