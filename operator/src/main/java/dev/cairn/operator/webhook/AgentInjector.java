package dev.cairn.operator.webhook;

import static dev.cairn.operator.webhook.InjectionLabels.AGENT_CONTAINER;
import static dev.cairn.operator.webhook.InjectionLabels.INJECTED_BY;
import static dev.cairn.operator.webhook.InjectionLabels.INJECT_AGENT;
import static dev.cairn.operator.webhook.InjectionLabels.INSTRUMENT;
import static dev.cairn.operator.webhook.InjectionLabels.JAVA_AGENT_DIR;
import static dev.cairn.operator.webhook.InjectionLabels.JAVA_AGENT_INIT_CONTAINER;
import static dev.cairn.operator.webhook.InjectionLabels.JAVA_AGENT_JAR;
import static dev.cairn.operator.webhook.InjectionLabels.JAVA_AGENT_VOLUME;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.model.wire.ServicePorts;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import io.fabric8.zjsonpatch.JsonDiff;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Decides whether a pod gets the agent, and computes the patch: a pure function of the pod, its
 * namespace's labels and the serving cluster's {@link AgentSettings}, so every case is tested
 * without a server. The pod is changed as a model and the patch is the difference, so it applies to
 * the pod it was computed from by construction; a pod that already has the agent gets no patch, so
 * injecting twice changes nothing.
 *
 * <p>App containers get the OpenTelemetry SDK variables that point them at the agent on localhost
 * and turn off the metrics and logs exporters the agent would reject; a variable the container
 * already sets is never overridden.
 */
public final class AgentInjector {
  static final String PROPAGATORS = "tracecontext,baggage";
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The hash a ReplicaSet adds to its Deployment's name (and a pod's generateName). */
  private static final Pattern REPLICA_SET_SUFFIX = Pattern.compile("-[a-z0-9]{5,10}$");

  private AgentInjector() {}

  /**
   * @param nativeSidecars whether the cluster runs init containers with {@code restartPolicy:
   *     Always} as sidecars (Kubernetes 1.29+): then the agent starts before, and stops after, the
   *     app's containers
   */
  public static Injection decide(
      JsonNode podJson,
      Map<String, String> namespaceLabels,
      Optional<AgentSettings> settings,
      boolean nativeSidecars) {
    Pod pod = JSON.convertValue(podJson, Pod.class);
    String own = label(pod, INJECT_AGENT);
    if ("false".equals(own)) {
      return Injection.none(Injection.OPTED_OUT);
    }
    if (!"true".equals(own) && !"true".equals(namespaceLabels.get(INJECT_AGENT))) {
      return Injection.none(Injection.NOT_OPTED_IN);
    }
    if (hasAgent(pod)) {
      return Injection.none(Injection.ALREADY_INJECTED);
    }
    if (settings.isEmpty()) {
      return Injection.none(Injection.NO_CLUSTER);
    }
    JsonNode before = JSON.valueToTree(pod);
    inject(pod, settings.get(), nativeSidecars);
    return new Injection(
        Optional.of(JsonDiff.asJson(before, JSON.valueToTree(pod))), Injection.INJECTED);
  }

  /** Whether the pod was injected already: by the annotation, or by the agent's container. */
  static boolean hasAgent(Pod pod) {
    var annotations = pod.getMetadata() == null ? null : pod.getMetadata().getAnnotations();
    if (annotations != null && annotations.containsKey(INJECTED_BY)) {
      return true;
    }
    return Stream.concat(
            pod.getSpec().getContainers().stream(), pod.getSpec().getInitContainers().stream())
        .anyMatch(c -> AGENT_CONTAINER.equals(c.getName()));
  }

  private static void inject(Pod pod, AgentSettings settings, boolean nativeSidecars) {
    if (pod.getMetadata().getAnnotations() == null) {
      pod.getMetadata().setAnnotations(new HashMap<>());
    }
    pod.getMetadata().getAnnotations().put(INJECTED_BY, settings.clusterName());

    List<Container> apps = pod.getSpec().getContainers();
    String serviceName = serviceName(pod);
    boolean java = "java".equals(label(pod, INSTRUMENT));
    for (Container app : apps) {
      sdkEnvironment(app, serviceName, java);
    }
    if (java) {
      javaAgent(pod, settings);
    }
    Container agent = agent(settings);
    if (nativeSidecars) {
      agent.setRestartPolicy("Always");
      List<Container> init = new ArrayList<>(pod.getSpec().getInitContainers());
      // First, so that the app's own init containers can already send spans.
      init.add(0, agent);
      pod.getSpec().setInitContainers(init);
    } else {
      pod.getSpec().getContainers().add(agent);
    }
  }

  /** The variables every OpenTelemetry SDK reads; the container's own settings win. */
  private static void sdkEnvironment(Container app, String serviceName, boolean java) {
    List<EnvVar> env = new ArrayList<>(app.getEnv());
    // Downward-API values first: OTEL_RESOURCE_ATTRIBUTES refers to them, and $(VAR) only sees
    // variables defined before it.
    setIfAbsent(env, fieldRef("CAIRN_POD_NAME", "metadata.name"));
    setIfAbsent(env, fieldRef("CAIRN_POD_NAMESPACE", "metadata.namespace"));
    setIfAbsent(env, fieldRef("CAIRN_NODE_NAME", "spec.nodeName"));
    setIfAbsent(
        env, value("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:" + ServicePorts.OTLP_GRPC));
    setIfAbsent(env, value("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"));
    setIfAbsent(env, value("OTEL_PROPAGATORS", PROPAGATORS));
    // The agent serves OTLP traces only (collector-svc has no metrics or logs service): an SDK
    // exporting those too would be rejected on every interval.
    setIfAbsent(env, value("OTEL_METRICS_EXPORTER", "none"));
    setIfAbsent(env, value("OTEL_LOGS_EXPORTER", "none"));
    setIfAbsent(env, value("OTEL_SERVICE_NAME", serviceName));
    setIfAbsent(
        env,
        value(
            "OTEL_RESOURCE_ATTRIBUTES",
            "k8s.pod.name=$(CAIRN_POD_NAME),k8s.namespace.name=$(CAIRN_POD_NAMESPACE),"
                + "k8s.node.name=$(CAIRN_NODE_NAME)"));
    if (java) {
      javaToolOptions(env);
    }
    app.setEnv(env);
  }

  /** {@code -javaagent:} added to JAVA_TOOL_OPTIONS, after what the container already has. */
  private static void javaToolOptions(List<EnvVar> env) {
    String option = "-javaagent:" + JAVA_AGENT_JAR;
    for (int i = 0; i < env.size(); i++) {
      EnvVar existing = env.get(i);
      if (existing.getName().equals("JAVA_TOOL_OPTIONS")) {
        if (existing.getValueFrom() == null) {
          String value = existing.getValue() == null ? "" : existing.getValue().trim();
          if (!value.contains(option)) {
            env.set(i, value("JAVA_TOOL_OPTIONS", value.isEmpty() ? option : value + " " + option));
          }
        }
        // A value from a Secret or ConfigMap cannot be extended here; the container keeps it.
        return;
      }
    }
    env.add(value("JAVA_TOOL_OPTIONS", option));
  }

  /** An init container copies the agent jar into a volume the app containers mount. */
  private static void javaAgent(Pod pod, AgentSettings settings) {
    pod.getSpec()
        .getVolumes()
        .add(
            new VolumeBuilder()
                .withName(JAVA_AGENT_VOLUME)
                .withNewEmptyDir()
                .endEmptyDir()
                .build());
    var mount =
        new VolumeMountBuilder().withName(JAVA_AGENT_VOLUME).withMountPath(JAVA_AGENT_DIR).build();
    List<Container> init = new ArrayList<>(pod.getSpec().getInitContainers());
    init.add(
        new ContainerBuilder()
            .withName(JAVA_AGENT_INIT_CONTAINER)
            .withImage(settings.javaAgentImage())
            .withImagePullPolicy(settings.pullPolicy())
            .withCommand("cp", "/javaagent.jar", JAVA_AGENT_JAR)
            .withVolumeMounts(mount)
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withRunAsNonRoot(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext()
            .build());
    pod.getSpec().setInitContainers(init);
    for (Container app : pod.getSpec().getContainers()) {
      List<io.fabric8.kubernetes.api.model.VolumeMount> mounts =
          new ArrayList<>(app.getVolumeMounts());
      mounts.add(mount);
      app.setVolumeMounts(mounts);
    }
  }

  private static Container agent(AgentSettings settings) {
    ContainerBuilder agent =
        new ContainerBuilder()
            .withName(AGENT_CONTAINER)
            .withImage(settings.image())
            .withImagePullPolicy(settings.pullPolicy())
            .withEnv(
                value("CAIRN_COLLECTOR_ROLE", "agent"),
                value("CAIRN_COLLECTOR_AGENT_GATEWAYS", settings.gateways()),
                value(
                    "CAIRN_COLLECTOR_AGENT_QUEUE_MAX_BYTES", Long.toString(settings.queueBytes())),
                value(
                    "CAIRN_COLLECTOR_AGENT_SAMPLING_PROBABILITY",
                    Double.toString(settings.headRate())),
                fieldRef("CAIRN_POD_NAME", "metadata.name"),
                fieldRef("CAIRN_POD_NAMESPACE", "metadata.namespace"),
                fieldRef("CAIRN_NODE_NAME", "spec.nodeName"))
            .addNewPort()
            .withName("otlp-grpc")
            .withContainerPort(ServicePorts.OTLP_GRPC)
            .endPort()
            .addNewPort()
            .withName("otlp-http")
            .withContainerPort(ServicePorts.OTLP_HTTP)
            .endPort()
            .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withRunAsNonRoot(true)
            .withNewCapabilities()
            .withDrop("ALL")
            .endCapabilities()
            .endSecurityContext();
    if (settings.resources() != null) {
      agent.withResources(settings.resources());
    }
    return agent.build();
  }

  /**
   * The workload's name: {@code app.kubernetes.io/name}, else {@code app}, else the owning
   * ReplicaSet's Deployment, StatefulSet, DaemonSet or Job, else the pod's own name.
   */
  static String serviceName(Pod pod) {
    for (String key : List.of("app.kubernetes.io/name", "app")) {
      String value = label(pod, key);
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
    if (owners != null && !owners.isEmpty()) {
      OwnerReference owner = owners.get(0);
      return "ReplicaSet".equals(owner.getKind())
          ? REPLICA_SET_SUFFIX.matcher(owner.getName()).replaceFirst("")
          : owner.getName();
    }
    if (pod.getMetadata().getName() != null) {
      return pod.getMetadata().getName();
    }
    String generated = pod.getMetadata().getGenerateName();
    return generated == null ? "unknown" : generated.replaceAll("-+$", "");
  }

  private static String label(Pod pod, String key) {
    var labels = pod.getMetadata() == null ? null : pod.getMetadata().getLabels();
    String value = labels == null ? null : labels.get(key);
    if (value == null && pod.getMetadata() != null && pod.getMetadata().getAnnotations() != null) {
      value = pod.getMetadata().getAnnotations().get(key);
    }
    return value;
  }

  private static void setIfAbsent(List<EnvVar> env, EnvVar variable) {
    if (env.stream().noneMatch(e -> e.getName().equals(variable.getName()))) {
      env.add(variable);
    }
  }

  private static EnvVar value(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar fieldRef(String name, String path) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath(path)
        .endFieldRef()
        .endValueFrom()
        .build();
  }
}
