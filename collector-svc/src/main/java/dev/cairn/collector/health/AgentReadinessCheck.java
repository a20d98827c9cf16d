package dev.cairn.collector.health;

import dev.cairn.collector.agent.ForwardQueue;
import dev.cairn.collector.agent.Forwarder;
import dev.cairn.collector.agent.GatewayPool;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * An agent is ready while its senders run, whatever its gateways do: it queues spans while they are
 * down, and a sidecar that reported not ready would take its whole pod, the application too, out of
 * service. Gateways and queue are reported as data. Agent role only.
 */
@Readiness
@ApplicationScoped
@LookupIfProperty(name = "cairn.collector.role", stringValue = "agent")
public class AgentReadinessCheck implements HealthCheck {

  private final Forwarder forwarder;
  private final ForwardQueue queue;

  AgentReadinessCheck(Forwarder forwarder, ForwardQueue queue) {
    this.forwarder = forwarder;
    this.queue = queue;
  }

  @Override
  public HealthCheckResponse call() {
    GatewayPool.Counts gateways = forwarder.gateways();
    return HealthCheckResponse.named("agent")
        .status(forwarder.isRunning())
        .withData("gateways.healthy", gateways.healthy())
        .withData("gateways.unhealthy", gateways.unhealthy())
        .withData("queue.bytes", queue.bytes())
        .withData("queue.max-bytes", queue.maxBytes())
        .build();
  }
}
