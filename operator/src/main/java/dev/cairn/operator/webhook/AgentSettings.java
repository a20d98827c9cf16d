package dev.cairn.operator.webhook;

import dev.cairn.model.wire.ServicePorts;
import dev.cairn.operator.api.AgentSpec;
import dev.cairn.operator.api.Defaults;
import dev.cairn.operator.api.RegionSpec;
import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.model.Component;
import dev.cairn.operator.model.ObjectNames;
import dev.cairn.operator.model.RegionPlan;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Objects;

/**
 * What the webhook injects on behalf of one {@link TracingCluster}: the agent's image and bounds,
 * the gateways it sends to, and which namespaces it serves.
 */
public record AgentSettings(
    String clusterName,
    String image,
    String pullPolicy,
    ResourceRequirements resources,
    long queueBytes,
    double headRate,
    String gateways,
    String javaAgentImage,
    List<String> namespaces) {

  public static AgentSettings of(TracingCluster cluster) {
    AgentSpec agent =
        Objects.requireNonNullElse(
            cluster.getSpec().agent(), new AgentSpec(null, null, null, null, null, null, null));
    List<RegionSpec> regions = cluster.getSpec().regions();
    RegionSpec region =
        regions.stream()
            .filter(r -> r.name().equals(agent.region()))
            .findFirst()
            .orElse(regions.get(0));
    RegionPlan plan = new RegionPlan(cluster, region);
    // The headless Service resolves to every ready gateway: the agent balances and fails over.
    String gateways =
        ObjectNames.gatewayHeadless(plan.clusterName(), region.name())
            + "."
            + plan.namespace()
            + ".svc:"
            + ServicePorts.OTLP_GRPC;
    Double headRate =
        cluster.getSpec().sampling() == null ? null : cluster.getSpec().sampling().headRate();
    return new AgentSettings(
        plan.clusterName(),
        Objects.requireNonNullElse(agent.image(), plan.image(Component.COLLECTOR)),
        plan.pullPolicy(),
        agent.resources(),
        Objects.requireNonNullElse(agent.queueBytes(), Defaults.AGENT_QUEUE_BYTES),
        Objects.requireNonNullElse(headRate, Defaults.HEAD_RATE),
        gateways,
        Objects.requireNonNullElse(agent.javaAgentImage(), Defaults.JAVA_AGENT_IMAGE),
        Objects.requireNonNullElse(agent.namespaces(), List.of()));
  }

  /** Whether this cluster's agent is injected into pods of the namespace. */
  public boolean serves(String namespace) {
    return namespaces.isEmpty() || namespaces.contains(namespace);
  }
}
