package dev.cairn.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.cairn.operator.model.Fixtures;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The webhook's decisions and patches, on pods as the API server sends them. */
public class AgentInjectorTest {
  static final YAMLMapper YAML = new YAMLMapper();
  static final ObjectMapper JSON = new ObjectMapper();
  static final Optional<AgentSettings> SETTINGS =
      Optional.of(AgentSettings.of(Fixtures.twoRegions()));
  static final Map<String, String> PLAIN_NAMESPACE = Map.of();
  static final Map<String, String> OPTED_IN_NAMESPACE = Map.of("cairn.dev/inject-agent", "true");

  public static JsonNode pod(String labels, String env) throws Exception {
    return YAML.readTree(
        """
        apiVersion: v1
        kind: Pod
        metadata:
          generateName: checkout-7d9f8b6c5d-
          namespace: shop
          labels: {%s}
          ownerReferences:
            - {apiVersion: apps/v1, kind: ReplicaSet, name: checkout-7d9f8b6c5d, uid: u1, controller: true}
        spec:
          containers:
            - name: app
              image: shop/checkout:1
              env: [%s]
              resources: {}
            - name: cache
              image: redis:7
        """
            .formatted(labels, env));
  }

  @Test
  void aLabelledPodGetsTheAgentAsANativeSidecarAndTheSdkVariables() throws Exception {
    JsonNode pod = pod("cairn.dev/inject-agent: \"true\"", "");

    Pod injected = apply(pod, AgentInjector.decide(pod, PLAIN_NAMESPACE, SETTINGS, true));

    Container agent = injected.getSpec().getInitContainers().get(0);
    assertThat(agent.getName()).isEqualTo("cairn-agent");
    assertThat(agent.getRestartPolicy()).isEqualTo("Always");
    assertThat(agent.getImage()).isEqualTo("cairn/collector-svc:1.2.3");
    assertThat(env(agent))
        .containsEntry("CAIRN_COLLECTOR_ROLE", "agent")
        .containsEntry(
            "CAIRN_COLLECTOR_AGENT_GATEWAYS", "prod-eu-west-collector-headless.tracing.svc:4317")
        .containsEntry("CAIRN_COLLECTOR_AGENT_SAMPLING_PROBABILITY", "0.1");
    assertThat(injected.getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("app", "cache");
    for (Container app : injected.getSpec().getContainers()) {
      assertThat(env(app))
          .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317")
          .containsEntry("OTEL_PROPAGATORS", "tracecontext,baggage")
          .containsEntry("OTEL_SERVICE_NAME", "checkout")
          // The agent takes traces only: the SDK's metrics and logs exporters are off.
          .containsEntry("OTEL_METRICS_EXPORTER", "none")
          .containsEntry("OTEL_LOGS_EXPORTER", "none")
          .containsEntry(
              "OTEL_RESOURCE_ATTRIBUTES",
              "k8s.pod.name=$(CAIRN_POD_NAME),k8s.namespace.name=$(CAIRN_POD_NAMESPACE),k8s.node.name=$(CAIRN_NODE_NAME)");
      // $(VAR) sees only variables defined before it.
      List<String> names = app.getEnv().stream().map(EnvVar::getName).toList();
      assertThat(names.indexOf("CAIRN_POD_NAME"))
          .isLessThan(names.indexOf("OTEL_RESOURCE_ATTRIBUTES"));
      assertThat(
              app.getEnv().stream()
                  .filter(e -> e.getName().equals("CAIRN_NODE_NAME"))
                  .findFirst()
                  .orElseThrow()
                  .getValueFrom()
                  .getFieldRef()
                  .getFieldPath())
          .isEqualTo("spec.nodeName");
    }
    assertThat(injected.getMetadata().getAnnotations())
        .containsEntry("cairn.dev/agent-injected-by", "prod");
  }

  @Test
  void aPodInALabelledNamespaceIsInjected() throws Exception {
    JsonNode pod = pod("", "");

    Injection injection = AgentInjector.decide(pod, OPTED_IN_NAMESPACE, SETTINGS, true);

    assertThat(injection.reason()).isEqualTo(Injection.INJECTED);
    assertThat(apply(pod, injection).getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("cairn-agent");
  }

  @Test
  void aPodThatOptsOutIsLeftAloneEvenInALabelledNamespace() throws Exception {
    Injection injection =
        AgentInjector.decide(
            pod("cairn.dev/inject-agent: \"false\"", ""), OPTED_IN_NAMESPACE, SETTINGS, true);

    assertThat(injection.patch()).isEmpty();
    assertThat(injection.reason()).isEqualTo(Injection.OPTED_OUT);
  }

  @Test
  void aPodNobodyOptedInIsLeftAlone() throws Exception {
    Injection injection =
        AgentInjector.decide(pod("app: checkout", ""), PLAIN_NAMESPACE, SETTINGS, true);

    assertThat(injection.patch()).isEmpty();
    assertThat(injection.reason()).isEqualTo(Injection.NOT_OPTED_IN);
  }

  @Test
  void injectingTwiceChangesNothing() throws Exception {
    JsonNode pod = pod("cairn.dev/inject-agent: \"true\"", "");
    JsonNode once =
        JsonPatch.apply(
            AgentInjector.decide(pod, PLAIN_NAMESPACE, SETTINGS, true).patch().orElseThrow(), pod);

    Injection again = AgentInjector.decide(once, OPTED_IN_NAMESPACE, SETTINGS, true);

    assertThat(again.patch()).isEmpty();
    assertThat(again.reason()).isEqualTo(Injection.ALREADY_INJECTED);
    // A pod whose manifest already has the agent container (no annotation) is not injected either.
    JsonNode byHand = pod("cairn.dev/inject-agent: \"true\"", "");
    ((com.fasterxml.jackson.databind.node.ArrayNode) byHand.at("/spec/containers"))
        .addObject()
        .put("name", "cairn-agent")
        .put("image", "cairn/collector-svc:1.2.3");
    assertThat(AgentInjector.decide(byHand, PLAIN_NAMESPACE, SETTINGS, true).reason())
        .isEqualTo(Injection.ALREADY_INJECTED);
  }

  @Test
  void thePodsOwnOtelVariablesAreKept() throws Exception {
    JsonNode pod =
        pod(
            "cairn.dev/inject-agent: \"true\"",
            "{name: OTEL_SERVICE_NAME, value: checkout-eu}, {name: OTEL_PROPAGATORS, value: b3}, "
                + "{name: OTEL_RESOURCE_ATTRIBUTES, value: team=shop}, "
                + "{name: OTEL_METRICS_EXPORTER, value: prometheus}, "
                + "{name: OTEL_LOGS_EXPORTER, valueFrom: {configMapKeyRef: {name: otel, key: logs}}}");

    Pod injected = apply(pod, AgentInjector.decide(pod, PLAIN_NAMESPACE, SETTINGS, true));

    Map<String, String> app = env(injected.getSpec().getContainers().get(0));
    assertThat(app)
        .containsEntry("OTEL_SERVICE_NAME", "checkout-eu")
        .containsEntry("OTEL_PROPAGATORS", "b3")
        .containsEntry("OTEL_RESOURCE_ATTRIBUTES", "team=shop")
        .containsEntry("OTEL_METRICS_EXPORTER", "prometheus")
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://localhost:4317");
    assertThat(injected.getSpec().getContainers().get(0).getEnv())
        .filteredOn(e -> e.getName().equals("OTEL_SERVICE_NAME"))
        .hasSize(1);
    // A value from a ConfigMap is the pod's own setting too: kept, not joined by a literal one.
    assertThat(injected.getSpec().getContainers().get(0).getEnv())
        .filteredOn(e -> e.getName().equals("OTEL_LOGS_EXPORTER"))
        .singleElement()
        .satisfies(
            e -> assertThat(e.getValueFrom().getConfigMapKeyRef().getKey()).isEqualTo("logs"));
    // The other container had none of its own: it gets the defaults.
    assertThat(env(injected.getSpec().getContainers().get(1)))
        .containsEntry("OTEL_SERVICE_NAME", "checkout");
  }

  @Test
  void javaPodsGetTheJavaAgentAndKeepTheirJavaToolOptions() throws Exception {
    JsonNode pod =
        pod(
            "cairn.dev/inject-agent: \"true\", cairn.dev/instrument: java",
            "{name: JAVA_TOOL_OPTIONS, value: \"-Xmx512m -XX:+UseZGC\"}");

    Pod injected = apply(pod, AgentInjector.decide(pod, PLAIN_NAMESPACE, SETTINGS, true));

    assertThat(env(injected.getSpec().getContainers().get(0)))
        .containsEntry(
            "JAVA_TOOL_OPTIONS",
            "-Xmx512m -XX:+UseZGC -javaagent:/otel-javaagent/opentelemetry-javaagent.jar");
    assertThat(env(injected.getSpec().getContainers().get(1)))
        .containsEntry(
            "JAVA_TOOL_OPTIONS", "-javaagent:/otel-javaagent/opentelemetry-javaagent.jar");
    assertThat(injected.getSpec().getInitContainers())
        .extracting(Container::getName)
        .containsExactly("cairn-agent", "cairn-otel-javaagent");
    Container copy = injected.getSpec().getInitContainers().get(1);
    assertThat(copy.getCommand())
        .containsExactly("cp", "/javaagent.jar", "/otel-javaagent/opentelemetry-javaagent.jar");
    assertThat(injected.getSpec().getVolumes())
        .extracting(v -> v.getName())
        .containsExactly("cairn-otel-javaagent");
    assertThat(injected.getSpec().getContainers())
        .allSatisfy(
            c ->
                assertThat(c.getVolumeMounts())
                    .extracting(m -> m.getMountPath())
                    .contains("/otel-javaagent"));
  }

  @Test
  void withoutNativeSidecarsTheAgentIsAnOrdinaryContainer() throws Exception {
    JsonNode pod = pod("cairn.dev/inject-agent: \"true\"", "");

    Pod injected = apply(pod, AgentInjector.decide(pod, PLAIN_NAMESPACE, SETTINGS, false));

    assertThat(injected.getSpec().getInitContainers()).isEmpty();
    assertThat(injected.getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("app", "cache", "cairn-agent");
    assertThat(injected.getSpec().getContainers().get(2).getRestartPolicy()).isNull();
  }

  @Test
  void withoutAServingClusterNothingIsInjectedAndTheReasonSaysSo() throws Exception {
    Injection injection =
        AgentInjector.decide(
            pod("cairn.dev/inject-agent: \"true\"", ""), PLAIN_NAMESPACE, Optional.empty(), true);

    assertThat(injection.patch()).isEmpty();
    assertThat(injection.reason()).isEqualTo(Injection.NO_CLUSTER);
  }

  @Test
  void theServiceNameComesFromTheWorkload() throws Exception {
    Pod fromReplicaSet = JSON.convertValue(pod("", ""), Pod.class);
    Pod labelled = JSON.convertValue(pod("app.kubernetes.io/name: cart", ""), Pod.class);
    Pod bare = JSON.convertValue(pod("", ""), Pod.class);
    bare.getMetadata().setOwnerReferences(null);

    assertThat(AgentInjector.serviceName(fromReplicaSet)).isEqualTo("checkout");
    assertThat(AgentInjector.serviceName(labelled)).isEqualTo("cart");
    assertThat(AgentInjector.serviceName(bare)).isEqualTo("checkout-7d9f8b6c5d");
  }

  /** Applies the patch to the pod as received: it must apply cleanly. */
  static Pod apply(JsonNode pod, Injection injection) {
    assertThat(injection.reason()).isEqualTo(Injection.INJECTED);
    JsonNode patched = JsonPatch.apply(injection.patch().orElseThrow(), pod);
    // Nothing the patch does not mean to touch changes: the app's own fields are all still there.
    assertThat(patched.at("/spec/containers/0/image").asText())
        .isEqualTo(pod.at("/spec/containers/0/image").asText());
    assertThat(patched.at("/metadata/ownerReferences"))
        .isEqualTo(pod.at("/metadata/ownerReferences"));
    return JSON.convertValue(patched, Pod.class);
  }

  static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }
}
