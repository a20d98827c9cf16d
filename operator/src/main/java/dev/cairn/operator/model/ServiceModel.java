package dev.cairn.operator.model;

import dev.cairn.model.wire.ServicePorts;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;

/**
 * The Services of a region: the gateways (ClusterIP, and a headless one whose DNS name resolves to
 * every ready gateway pod, so that agents balance and fail over across pods themselves) and query.
 * The sampler and storage serve no traffic; their metrics are scraped from the pods.
 */
public final class ServiceModel {
  private ServiceModel() {}

  public static List<Service> of(RegionPlan plan) {
    return List.of(
        gateway(
            plan,
            ObjectNames.component(plan.clusterName(), plan.regionName(), Component.COLLECTOR),
            false),
        gateway(plan, ObjectNames.gatewayHeadless(plan.clusterName(), plan.regionName()), true),
        service(
            plan,
            ObjectNames.component(plan.clusterName(), plan.regionName(), Component.QUERY),
            Component.QUERY,
            false,
            List.of(port("http", ServicePorts.QUERY_HTTP))));
  }

  private static Service gateway(RegionPlan plan, String name, boolean headless) {
    return service(
        plan,
        name,
        Component.COLLECTOR,
        headless,
        List.of(
            port("otlp-grpc", ServicePorts.OTLP_GRPC),
            port("http", ServicePorts.OTLP_HTTP),
            port("zipkin", ServicePorts.ZIPKIN)));
  }

  private static Service service(
      RegionPlan plan,
      String name,
      Component component,
      boolean headless,
      List<ServicePort> ports) {
    return new ServiceBuilder()
        .withMetadata(
            DeploymentModel.meta(
                name,
                plan.namespace(),
                Labels.of(plan.clusterName(), plan.regionName(), component)))
        .withNewSpec()
        .withType("ClusterIP")
        .withClusterIP(headless ? "None" : null)
        .withSelector(Labels.selector(plan.clusterName(), plan.regionName(), component))
        .withPorts(ports)
        .endSpec()
        .build();
  }

  private static ServicePort port(String name, int port) {
    return new ServicePortBuilder()
        .withName(name)
        .withPort(port)
        .withTargetPort(new IntOrString(name))
        .withProtocol("TCP")
        .build();
  }
}
