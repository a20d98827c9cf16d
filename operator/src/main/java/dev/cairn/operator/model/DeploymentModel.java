package dev.cairn.operator.model;

import dev.cairn.model.wire.ServicePorts;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A component's Deployment: the template {@code templates/deployment.yaml} (what every component
 * shares) patched with what the spec decides.
 */
public final class DeploymentModel {
  private static final String TEMPLATE = "/templates/deployment.yaml";
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static final String CONFIG_VOLUME = "config";

  /** The keys of the database Secret, and the variables trace-store's clients read them from. */
  private static final Map<String, String> DATABASE_ENV =
      Map.of(
          "CAIRN_DB_HOST", "host",
          "CAIRN_DB_PORT", "port",
          "CAIRN_DB_NAME", "dbname",
          "CAIRN_DB_USER", "user",
          "CAIRN_DB_PASSWORD", "password");

  private DeploymentModel() {}

  public static Deployment of(RegionPlan plan, Component component, ConfigMap config) {
    Deployment deployment = template();
    String name = ObjectNames.component(plan.clusterName(), plan.regionName(), component);
    Map<String, String> labels = Labels.of(plan.clusterName(), plan.regionName(), component);
    Map<String, String> selector =
        Labels.selector(plan.clusterName(), plan.regionName(), component);

    deployment.setMetadata(meta(name, plan.namespace(), labels));
    deployment.getSpec().setReplicas(plan.replicas(component).orElse(null));
    deployment.getSpec().setSelector(new LabelSelectorBuilder().withMatchLabels(selector).build());

    ObjectMeta podMeta = deployment.getSpec().getTemplate().getMetadata();
    podMeta.setLabels(labels);
    podMeta.getAnnotations().put("prometheus.io/port", Integer.toString(component.httpPort()));
    podMeta.getAnnotations().put(Labels.CONFIG_HASH, ComponentConfig.hash(config));

    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    pod.setNodeSelector(
        plan.nodeSelector().isEmpty() ? null : new LinkedHashMap<>(plan.nodeSelector()));
    pod.setTopologySpreadConstraints(
        List.of(
            new TopologySpreadConstraintBuilder()
                .withMaxSkew(1)
                .withTopologyKey(plan.topologySpreadKey())
                .withWhenUnsatisfiable("ScheduleAnyway")
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(selector).build())
                .build()));
    if (!plan.pullSecrets().isEmpty()) {
      pod.setImagePullSecrets(plan.pullSecrets().stream().map(LocalObjectReference::new).toList());
    }
    pod.getVolumes()
        .add(
            new VolumeBuilder()
                .withName(CONFIG_VOLUME)
                .withNewConfigMap()
                .withName(config.getMetadata().getName())
                .endConfigMap()
                .build());

    Container main = pod.getContainers().get(0);
    main.setName(component.id());
    main.setImage(plan.image(component));
    main.setImagePullPolicy(plan.pullPolicy());
    main.setPorts(ports(component));
    main.setEnv(env(plan, component));
    main.getVolumeMounts()
        .add(
            new VolumeMountBuilder()
                .withName(CONFIG_VOLUME)
                .withMountPath(ComponentConfig.MOUNT_PATH)
                .withReadOnly(true)
                .build());
    plan.resources(component).ifPresent(main::setResources);
    return deployment;
  }

  static ObjectMeta meta(String name, String namespace, Map<String, String> labels) {
    ObjectMeta meta = new ObjectMeta();
    meta.setName(name);
    meta.setNamespace(namespace);
    meta.setLabels(labels);
    return meta;
  }

  private static List<ContainerPort> ports(Component component) {
    List<ContainerPort> ports = new ArrayList<>();
    ports.add(port("http", component.httpPort()));
    if (component == Component.COLLECTOR) {
      ports.add(port("otlp-grpc", ServicePorts.OTLP_GRPC));
      ports.add(port("zipkin", ServicePorts.ZIPKIN));
    }
    return ports;
  }

  private static ContainerPort port(String name, int port) {
    return new ContainerPortBuilder()
        .withName(name)
        .withContainerPort(port)
        .withProtocol("TCP")
        .build();
  }

  private static List<EnvVar> env(RegionPlan plan, Component component) {
    List<EnvVar> env = new ArrayList<>();
    env.add(
        new EnvVarBuilder()
            .withName("QUARKUS_CONFIG_LOCATIONS")
            .withValue(ComponentConfig.MOUNT_PATH + "/" + ComponentConfig.PROPERTIES)
            .build());
    if (component.usesDatabase()) {
      DATABASE_ENV.entrySet().stream()
          .sorted(Map.Entry.comparingByKey())
          .forEach(
              e ->
                  env.add(
                      new EnvVarBuilder()
                          .withName(e.getKey())
                          .withNewValueFrom()
                          .withNewSecretKeyRef()
                          .withName(plan.databaseSecret())
                          .withKey(e.getValue())
                          .endSecretKeyRef()
                          .endValueFrom()
                          .build()));
    }
    return env;
  }

  private static Deployment template() {
    try (InputStream in = DeploymentModel.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IllegalStateException(TEMPLATE + " is missing from the operator's classpath");
      }
      return YAML.unmarshal(in, Deployment.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
