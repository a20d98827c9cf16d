package dev.cairn.operator.model;

import static dev.cairn.operator.model.Fixtures.twoRegions;
import static dev.cairn.operator.model.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.wire.ServicePorts;
import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.topics.DesiredTopic;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ClusterModelTest {

  @Test
  void twoRegionsGetEveryComponentEach() {
    DesiredState state = ClusterModel.desired(twoRegions());

    Set<String> components = Set.of("collector", "sampler", "storage", "query");
    for (String region : List.of("eu-west", "us-east")) {
      for (String component : components) {
        String name = "prod-" + region + "-" + component;
        assertThat(names(state.deployments())).contains(name);
        assertThat(names(state.disruptionBudgets())).contains(name);
        assertThat(names(state.configMaps())).contains(name + "-config");
      }
      assertThat(names(state.services()))
          .contains(
              "prod-" + region + "-collector",
              "prod-" + region + "-collector-headless",
              "prod-" + region + "-query");
    }
    assertThat(state.deployments()).hasSize(8);
    assertThat(state.services()).hasSize(6);
    assertThat(state.configMaps()).hasSize(8);
    // Only eu-west autoscales its gateways.
    assertThat(names(state.autoscalers())).containsExactly("prod-eu-west-collector");
    Stream.of(state.deployments(), state.services(), state.configMaps())
        .flatMap(List::stream)
        .forEach(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo("tracing"));
  }

  @Test
  void regionsRunOnTheirNodesWithTheirOwnLabels() {
    Deployment sampler = deployment(ClusterModel.desired(twoRegions()), "prod-us-east-sampler");

    var pod = sampler.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("topology.kubernetes.io/region", "us-east-1");
    assertThat(sampler.getSpec().getSelector().getMatchLabels())
        .containsEntry(Labels.REGION, "us-east")
        .containsEntry(Labels.COMPONENT, "sampler")
        .containsEntry(Labels.INSTANCE, "prod");
    assertThat(sampler.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(sampler.getSpec().getSelector().getMatchLabels());
    assertThat(pod.getTopologySpreadConstraints().get(0).getTopologyKey())
        .isEqualTo("topology.kubernetes.io/zone");
  }

  @Test
  void replicasComeFromTheSpecOrDefaultsAndAutoscaledGatewaysHaveNone() {
    DesiredState state = ClusterModel.desired(twoRegions());

    assertThat(deployment(state, "prod-eu-west-collector").getSpec().getReplicas()).isNull();
    assertThat(deployment(state, "prod-us-east-collector").getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment(state, "prod-eu-west-sampler").getSpec().getReplicas()).isEqualTo(3);
    assertThat(deployment(state, "prod-us-east-sampler").getSpec().getReplicas()).isEqualTo(2);
    assertThat(deployment(state, "prod-us-east-query").getSpec().getReplicas()).isEqualTo(1);

    var hpa = state.autoscalers().get(0).getSpec();
    assertThat(hpa.getScaleTargetRef().getName()).isEqualTo("prod-eu-west-collector");
    assertThat(hpa.getMinReplicas()).isEqualTo(2);
    assertThat(hpa.getMaxReplicas()).isEqualTo(8);
    assertThat(hpa.getMetrics().get(0).getResource().getTarget().getAverageUtilization())
        .isEqualTo(70);
  }

  @Test
  void containersGetImagePortsResourcesAndTheirConfig() {
    DesiredState state = ClusterModel.desired(twoRegions());
    Deployment gateway = deployment(state, "prod-us-east-collector");
    Container main = gateway.getSpec().getTemplate().getSpec().getContainers().get(0);

    assertThat(main.getImage()).isEqualTo("cairn/collector-svc:1.2.3");
    assertThat(main.getImagePullPolicy()).isEqualTo("Always");
    assertThat(main.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly(
            "http:" + ServicePorts.OTLP_HTTP,
            "otlp-grpc:" + ServicePorts.OTLP_GRPC,
            "zipkin:" + ServicePorts.ZIPKIN);
    assertThat(main.getResources().getRequests()).containsEntry("cpu", new Quantity("500m"));
    assertThat(main.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(main.getVolumeMounts())
        .anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(ComponentConfig.MOUNT_PATH));
    assertThat(gateway.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getConfigMap() != null)
        .extracting(v -> v.getConfigMap().getName())
        .containsExactly("prod-us-east-collector-config");
    assertThat(env(main))
        .containsEntry("QUARKUS_CONFIG_LOCATIONS", "/etc/cairn/application.properties");
  }

  @Test
  void onlyStorageAndQueryGetTheDatabaseSecret() {
    DesiredState state = ClusterModel.desired(twoRegions());
    for (Deployment d : state.deployments()) {
      Container main = d.getSpec().getTemplate().getSpec().getContainers().get(0);
      List<String> secretRefs =
          main.getEnv().stream()
              .filter(e -> e.getValueFrom() != null)
              .map(
                  e ->
                      e.getValueFrom().getSecretKeyRef().getName()
                          + "/"
                          + e.getValueFrom().getSecretKeyRef().getKey())
              .toList();
      if (main.getName().equals("storage") || main.getName().equals("query")) {
        assertThat(secretRefs)
            .containsExactlyInAnyOrder(
                "cairn-db/host",
                "cairn-db/port",
                "cairn-db/dbname",
                "cairn-db/user",
                "cairn-db/password");
      } else {
        assertThat(secretRefs).isEmpty();
      }
    }
  }

  @Test
  void configNamesEachRegionsTopicsGroupsAndKafka() {
    DesiredState state = ClusterModel.desired(twoRegions());

    Map<String, String> euSampler = properties(state, "prod-eu-west-sampler-config");
    assertThat(euSampler)
        .containsEntry("cairn.sampler.kafka.bootstrap-servers", "kafka-eu.example:9092")
        .containsEntry("cairn.sampler.ingested-topic", "eu-west.cairn.spans.ingested")
        .containsEntry("cairn.sampler.sampled-topic", "eu-west.cairn.spans.sampled")
        .containsEntry("cairn.sampler.group-id", "eu-west.cairn-sampler")
        .containsEntry("cairn.sampler.base-rate", "0.01")
        .containsEntry("quarkus.http.port", Integer.toString(ServicePorts.SAMPLER_HTTP));

    Map<String, String> usGateway = properties(state, "prod-us-east-collector-config");
    assertThat(usGateway)
        .containsEntry("cairn.collector.kafka.bootstrap-servers", "kafka-us.example:9092")
        .containsEntry("cairn.collector.kafka.topic", "us-east.cairn.spans.ingested")
        .containsEntry("cairn.region", "us-east")
        .containsEntry("quarkus.grpc.server.port", Integer.toString(ServicePorts.OTLP_GRPC));

    Map<String, String> usStorage = properties(state, "prod-us-east-storage-config");
    assertThat(usStorage)
        .containsEntry("cairn.storage.kafka.topic", "us-east.cairn.spans.sampled")
        .containsEntry("cairn.storage.kafka.dead-letter-topic", "us-east.cairn.spans.dead")
        .containsEntry("cairn.storage.kafka.group-id", "us-east.cairn-storage")
        .containsEntry("cairn.storage.metrics.topic", "us-east.cairn.metrics");

    assertThat(
            configMap(state, "prod-eu-west-sampler-config").getData().get(ComponentConfig.POLICIES))
        .as("in the sampler's own format")
        .contains("\"name\" : \"slow\"", "\"type\" : \"latency\"", "\"threshold\" : \"2000ms\"");
  }

  @Test
  void topicsPerRegionOnTheRegionsKafkaWithTheSpecsShape() {
    TracingCluster cluster = with(twoRegions(), "spec.kafka.topicPrefix", "run42.");
    List<DesiredTopic> topics = ClusterModel.desired(cluster).topics();

    assertThat(topics)
        .extracting(t -> t.bootstrapServers() + " " + t.name())
        .containsExactlyInAnyOrder(
            "kafka-eu.example:9092 run42.eu-west.cairn.spans.ingested",
            "kafka-eu.example:9092 run42.eu-west.cairn.spans.sampled",
            "kafka-eu.example:9092 run42.eu-west.cairn.metrics",
            "kafka-eu.example:9092 run42.eu-west.cairn.spans.dead",
            "kafka-us.example:9092 run42.us-east.cairn.spans.ingested",
            "kafka-us.example:9092 run42.us-east.cairn.spans.sampled",
            "kafka-us.example:9092 run42.us-east.cairn.metrics",
            "kafka-us.example:9092 run42.us-east.cairn.spans.dead");
    assertThat(topics)
        .allSatisfy(
            t -> {
              assertThat(t.partitions()).isEqualTo(12);
              assertThat(t.replicationFactor()).isEqualTo((short) 3);
              assertThat(t.configs())
                  .containsEntry("min.insync.replicas", "2")
                  .containsEntry("max.message.bytes", Integer.toString(1024 * 1024 + 64 * 1024));
            });
  }

  @Test
  void aConfigChangeRollsExactlyTheDeploymentsThatReadIt() {
    TracingCluster before = twoRegions();

    assertThat(rolled(before, with(before, "spec.sampling.baseRate", 0.5)))
        .containsExactlyInAnyOrder("prod-eu-west-sampler", "prod-us-east-sampler");
    // Storage's retention jobs read the tiers; the query's search window follows the longest.
    assertThat(rolled(before, with(before, "spec.retention.extendedDays", 60)))
        .containsExactlyInAnyOrder(
            "prod-eu-west-storage",
            "prod-us-east-storage",
            "prod-eu-west-query",
            "prod-us-east-query");
    assertThat(rolled(before, with(before, "spec.retention.standardDays", 3)))
        .containsExactlyInAnyOrder("prod-eu-west-storage", "prod-us-east-storage");
    // us-east has a Kafka of its own: only eu-west's Kafka users roll.
    assertThat(
            rolled(before, with(before, "spec.kafka.bootstrapServers", "kafka-eu-2.example:9092")))
        .containsExactlyInAnyOrder(
            "prod-eu-west-collector", "prod-eu-west-sampler", "prod-eu-west-storage");
    // The sampler reloads its policy file: a policy change rolls nothing, but reaches its
    // ConfigMap.
    TracingCluster newPolicy = with(before, "spec.sampling.policies.1.thresholdMs", 500);
    assertThat(rolled(before, newPolicy)).isEmpty();
    assertThat(
            configMap(ClusterModel.desired(newPolicy), "prod-eu-west-sampler-config")
                .getData()
                .get(ComponentConfig.POLICIES))
        .contains("\"threshold\" : \"500ms\"");
    // Nothing changed: nothing rolls.
    assertThat(rolled(before, twoRegions())).isEmpty();
  }

  @Test
  void everyObjectIsControlledByTheCluster() {
    DesiredState state = ClusterModel.desired(twoRegions());
    Stream.of(
            state.configMaps(),
            state.deployments(),
            state.services(),
            state.autoscalers(),
            state.disruptionBudgets())
        .flatMap(List::stream)
        .forEach(
            o -> {
              assertThat(o.getMetadata().getOwnerReferences()).hasSize(1);
              var owner = o.getMetadata().getOwnerReferences().get(0);
              assertThat(owner.getKind()).isEqualTo("TracingCluster");
              assertThat(owner.getApiVersion()).isEqualTo("cairn.dev/v1alpha1");
              assertThat(owner.getName()).isEqualTo("prod");
              assertThat(owner.getUid()).isEqualTo("5b1e3a5c-0000-4000-8000-000000000001");
              assertThat(owner.getController()).isTrue();
              assertThat(o.getMetadata().getLabels())
                  .containsEntry(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE);
            });
  }

  @Test
  void theGatewaysHeadlessServiceSelectsTheGatewayPods() {
    DesiredState state = ClusterModel.desired(twoRegions());
    Service headless = service(state, "prod-eu-west-collector-headless");
    Service query = service(state, "prod-eu-west-query");

    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(headless.getSpec().getSelector())
        .isEqualTo(
            deployment(state, "prod-eu-west-collector").getSpec().getSelector().getMatchLabels());
    assertThat(headless.getSpec().getPorts())
        .extracting(p -> p.getPort())
        .contains(ServicePorts.OTLP_GRPC);
    assertThat(query.getSpec().getClusterIP()).isNull();
    assertThat(query.getSpec().getPorts())
        .extracting(p -> p.getPort())
        .containsExactly(ServicePorts.QUERY_HTTP);
  }

  @Test
  void theSameSpecGivesEqualObjects() {
    assertThat(ClusterModel.desired(twoRegions())).isEqualTo(ClusterModel.desired(twoRegions()));
  }

  @Test
  void aBrokenSpecIsRefusedWithEveryProblem() {
    TracingCluster broken =
        with(
            with(twoRegions(), "spec.regions.1.name", "eu-west"),
            "spec.sampling.policies.1.thresholdMs",
            null);

    assertThatThrownBy(() -> ClusterModel.desired(broken))
        .isInstanceOf(InvalidSpecException.class)
        .satisfies(
            e ->
                assertThat(((InvalidSpecException) e).problems())
                    .containsExactly(
                        "spec.regions[1].name eu-west is used twice",
                        "spec.sampling.policies[1] (latency) needs thresholdMs"));
  }

  private static Set<String> rolled(TracingCluster before, TracingCluster after) {
    Map<String, String> hashesBefore =
        Fixtures.configHashes(ClusterModel.desired(before).deployments());
    Map<String, String> hashesAfter =
        Fixtures.configHashes(ClusterModel.desired(after).deployments());
    return hashesBefore.keySet().stream()
        .filter(name -> !hashesBefore.get(name).equals(hashesAfter.get(name)))
        .collect(Collectors.toSet());
  }

  static List<String> names(List<? extends HasMetadata> objects) {
    return objects.stream().map(o -> o.getMetadata().getName()).toList();
  }

  private static <T extends HasMetadata> T named(List<T> objects, String name) {
    return objects.stream()
        .filter(o -> o.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + names(objects)));
  }

  private static Deployment deployment(DesiredState state, String name) {
    return named(state.deployments(), name);
  }

  private static Service service(DesiredState state, String name) {
    return named(state.services(), name);
  }

  private static ConfigMap configMap(DesiredState state, String name) {
    return named(state.configMaps(), name);
  }

  private static Map<String, String> properties(DesiredState state, String configMap) {
    return configMap(state, configMap)
        .getData()
        .get(ComponentConfig.PROPERTIES)
        .lines()
        .filter(l -> !l.startsWith("#"))
        .map(l -> l.split("=", 2))
        .collect(Collectors.toMap(kv -> kv[0], kv -> kv[1]));
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, Function.identity()))
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().getValue()));
  }
}
