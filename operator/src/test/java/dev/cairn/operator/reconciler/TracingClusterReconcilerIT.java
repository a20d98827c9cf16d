package dev.cairn.operator.reconciler;

import static dev.cairn.operator.model.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.api.TracingClusterStatus;
import dev.cairn.operator.model.Fixtures;
import dev.cairn.operator.model.Labels;
import dev.cairn.operator.status.StatusModel;
import dev.cairn.operator.webhook.MissedPodRestarts;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator running in Quarkus against the fabric8 mock API server (CRUD mode: no controllers,
 * no garbage collector, no server-side apply) and the real Kafka at {@code CAIRN_KAFKA_BOOTSTRAP}.
 * Each test has a namespace and a topic prefix of its own.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true, setup = TracingClusterReconcilerIT.LoadCrd.class)
public class TracingClusterReconcilerIT {
  static final String KAFKA =
      System.getenv().getOrDefault("CAIRN_KAFKA_BOOTSTRAP", "127.0.0.1:9092");
  static final String RUN = "op-it-" + UUID.randomUUID().toString().substring(0, 8);
  static final Duration WAIT = Duration.ofSeconds(30);

  /** The CRD is in the mock server before the operator's informers start. */
  public static final class LoadCrd implements Consumer<KubernetesServer> {
    @Override
    public void accept(KubernetesServer server) {
      server
          .getClient()
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .load(
              LoadCrd.class.getResourceAsStream(
                  "/META-INF/fabric8/tracingclusters.cairn.dev-v1.yml"))
          .create();
    }
  }

  @Inject KubernetesClient client;
  @Inject MeterRegistry registry;

  static Admin kafka;
  static final List<String> topicsMade = new ArrayList<>();

  @BeforeAll
  static void connectKafka() {
    kafka = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA));
  }

  /** A finished test's cluster stops being reconciled (the mock has no GC: its objects stay). */
  @AfterEach
  void deleteClusters() {
    client.resources(TracingCluster.class).inAnyNamespace().delete();
  }

  @AfterAll
  static void dropTopics() throws Exception {
    Set<String> ours =
        kafka.listTopics().names().get(10, TimeUnit.SECONDS).stream()
            .filter(t -> t.startsWith(RUN))
            .collect(Collectors.toSet());
    kafka.deleteTopics(ours).all().get(30, TimeUnit.SECONDS);
    kafka.close();
  }

  @Test
  void twoRegionsGetTheirObjectsTopicsAndStatus() throws Exception {
    String ns = namespace("create");
    TracingCluster cluster = create(ns, cluster(ns, "create"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(names(ns, Deployment.class)).hasSize(8);
              assertThat(names(ns, ConfigMap.class)).hasSize(8);
              assertThat(names(ns, Service.class)).hasSize(6);
              assertThat(names(ns, PodDisruptionBudget.class)).hasSize(8);
              assertThat(names(ns, HorizontalPodAutoscaler.class))
                  .containsExactly("prod-eu-west-collector");
            });
    assertThat(names(ns, Deployment.class))
        .containsExactlyInAnyOrder(
            "prod-eu-west-collector",
            "prod-eu-west-sampler",
            "prod-eu-west-storage",
            "prod-eu-west-query",
            "prod-us-east-collector",
            "prod-us-east-sampler",
            "prod-us-east-storage",
            "prod-us-east-query");

    // No garbage collector here: what deletes the objects with the cluster is their owner
    // reference.
    String uid = current(ns).getMetadata().getUid();
    for (Class<? extends HasMetadata> kind :
        List.of(
            Deployment.class,
            ConfigMap.class,
            Service.class,
            PodDisruptionBudget.class,
            HorizontalPodAutoscaler.class)) {
      for (HasMetadata o : client.resources(kind).inNamespace(ns).list().getItems()) {
        assertThat(o.getMetadata().getOwnerReferences())
            .as(o.getKind() + " " + o.getMetadata().getName())
            .singleElement()
            .satisfies(
                r -> {
                  assertThat(r.getUid()).isEqualTo(uid);
                  assertThat(r.getKind()).isEqualTo("TracingCluster");
                  assertThat(r.getController()).isTrue();
                });
      }
    }

    String prefix = prefix("create");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(partitions(prefix))
                    .containsOnlyKeys(
                        prefix + "eu-west.cairn.spans.ingested",
                            prefix + "eu-west.cairn.spans.sampled",
                        prefix + "eu-west.cairn.metrics", prefix + "eu-west.cairn.spans.dead",
                        prefix + "us-east.cairn.spans.ingested",
                            prefix + "us-east.cairn.spans.sampled",
                        prefix + "us-east.cairn.metrics", prefix + "us-east.cairn.spans.dead")
                    .allSatisfy((t, n) -> assertThat(n).isEqualTo(2)));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              TracingClusterStatus status = status(ns);
              assertThat(status).isNotNull();
              assertThat(status.observedGeneration())
                  .isEqualTo(current(ns).getMetadata().getGeneration());
              assertThat(condition(status, "Ready"))
                  .extracting(Condition::getStatus, Condition::getReason)
                  .containsExactly("False", StatusModel.NOT_READY);
              assertThat(condition(status, "Progressing").getStatus()).isEqualTo("True");
              assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
              assertThat(status.regionNames()).isEqualTo("eu-west,us-east");
              assertThat(status.readyRegions()).isEqualTo("0/2");
              assertThat(status.topics()).hasSize(8);
            });
    assertThat(cluster).isNotNull();
  }

  @Test
  void conditionsFollowComponentReadiness() {
    String ns = namespace("ready");
    create(ns, cluster(ns, "ready"));
    await().atMost(WAIT).until(() -> names(ns, Deployment.class).size() == 8);

    // Everything but us-east's query is ready: one region of two.
    for (Deployment d : client.apps().deployments().inNamespace(ns).list().getItems()) {
      if (!d.getMetadata().getName().equals("prod-us-east-query")) {
        markReady(ns, d.getMetadata().getName());
      }
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              TracingClusterStatus status = status(ns);
              assertThat(status.readyRegions()).isEqualTo("1/2");
              assertThat(condition(status, "Ready").getMessage())
                  .isEqualTo("us-east/query 0/1 ready");
              assertThat(condition(status, "Progressing").getStatus()).isEqualTo("True");
            });

    markReady(ns, "prod-us-east-query");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              TracingClusterStatus status = status(ns);
              assertThat(status.readyRegions()).isEqualTo("2/2");
              assertThat(condition(status, "Ready"))
                  .extracting(Condition::getStatus, Condition::getReason)
                  .containsExactly("True", StatusModel.ALL_READY);
              assertThat(condition(status, "Progressing").getStatus()).isEqualTo("False");
              assertThat(condition(status, "Degraded").getStatus()).isEqualTo("False");
              assertThat(status.regions()).allSatisfy(r -> assertThat(r.ready()).isTrue());
            });
  }

  @Test
  void aSpecChangeUpdatesAndRollsWhatItMust() throws Exception {
    String ns = namespace("change");
    create(ns, cluster(ns, "change"));
    await().atMost(WAIT).until(() -> names(ns, Deployment.class).size() == 8);
    Map<String, String> before = configHashes(ns);

    TracingCluster changed = with(current(ns), "spec.sampling.baseRate", 0.5);
    changed = with(changed, "spec.kafka.partitions", 4);
    update(changed);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(configMapText(ns, "prod-eu-west-sampler-config"))
                    .contains("cairn.sampler.base-rate=0.5"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              Map<String, String> after = configHashes(ns);
              Set<String> rolled =
                  before.keySet().stream()
                      .filter(n -> !before.get(n).equals(after.get(n)))
                      .collect(Collectors.toSet());
              assertThat(rolled)
                  .containsExactlyInAnyOrder("prod-eu-west-sampler", "prod-us-east-sampler");
            });
    String prefix = prefix("change");
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(partitions(prefix))
                    .hasSize(8)
                    .allSatisfy((t, n) -> assertThat(n).isEqualTo(4)));

    // Fewer partitions: Kafka cannot shrink a topic, and the status says so.
    update(with(current(ns), "spec.kafka.partitions", 3));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(status(ns).topics())
                    .allSatisfy(t -> assertThat(t.message()).contains("never shrunk")));
    assertThat(partitions(prefix)).allSatisfy((t, n) -> assertThat(n).isEqualTo(4));

    // A region removed: its objects go, the other region's stay.
    update(with(current(ns), "spec.regions", List.of(current(ns).getSpec().regions().get(0))));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(names(ns, Deployment.class))
                  .hasSize(4)
                  .allMatch(n -> n.startsWith("prod-eu-west-"));
              assertThat(names(ns, Service.class))
                  .hasSize(3)
                  .allMatch(n -> n.startsWith("prod-eu-west-"));
              assertThat(names(ns, ConfigMap.class)).allMatch(n -> !n.startsWith("prod-us-east-"));
              assertThat(names(ns, PodDisruptionBudget.class)).hasSize(4);
            });
  }

  @Test
  void driftIsCorrected() {
    String ns = namespace("drift");
    create(ns, cluster(ns, "drift"));
    await().atMost(WAIT).until(() -> names(ns, Deployment.class).size() == 8);

    client.apps().deployments().inNamespace(ns).withName("prod-us-east-storage").delete();
    client
        .configMaps()
        .inNamespace(ns)
        .withName("prod-eu-west-collector-config")
        .edit(
            cm -> {
              cm.getData().put("application.properties", "edited by hand");
              return cm;
            });

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(names(ns, Deployment.class)).contains("prod-us-east-storage");
              assertThat(configMapText(ns, "prod-eu-west-collector-config"))
                  .contains("cairn.collector.kafka.topic=");
            });
  }

  @Test
  void aBrokenSpecIsDegradedWithItsReasonAndFixingItRecovers() {
    String ns = namespace("broken");
    // The mock server does not run the CRD's validation, as an API server without CEL would not.
    TracingCluster broken =
        with(
            cluster(ns, "broken"),
            "spec.sampling.policies.0",
            Map.of(
                "name",
                "bad",
                "type",
                "attribute",
                "attribute",
                Map.of("key", "http.route", "regex", "(unclosed")));
    create(ns, broken);

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertDegraded(
                  ns,
                  StatusModel.INVALID_SPEC,
                  "spec.sampling.policies[0].attribute.regex does not compile");
              assertThat(condition(status(ns), "Ready").getStatus()).isEqualTo("False");
            });
    assertThat(names(ns, Deployment.class)).isEmpty();
    assertThat(
            registry.counter("cairn_operator_reconciles_total", "outcome", "invalid_spec").count())
        .isPositive();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(client.v1().events().inNamespace(ns).list().getItems())
                    .anySatisfy(
                        e -> assertThat(e.getReason()).isEqualTo(StatusModel.INVALID_SPEC)));

    update(with(current(ns), "spec.sampling.policies.0.attribute.regex", "^/api/.*"));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(condition(status(ns), "Degraded").getStatus()).isEqualTo("False");
              assertThat(names(ns, Deployment.class)).hasSize(8);
            });
  }

  @Test
  void anUnreachableKafkaIsDegradedButTheOtherRegionGoesOn() throws Exception {
    String ns = namespace("nokafka");
    // Nothing listens on port 1: the Admin calls time out (cairn.operator.kafka-timeout, 2 s in
    // tests).
    create(ns, with(cluster(ns, "nokafka"), "spec.regions.1.kafkaBootstrapServers", "127.0.0.1:1"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertDegraded(ns, StatusModel.KAFKA_UNAVAILABLE, "127.0.0.1:1");
            });
    assertThat(names(ns, Deployment.class)).hasSize(8);
    assertThat(partitions(prefix("nokafka")))
        .hasSize(4)
        .allSatisfy((t, n) -> assertThat(t).contains("eu-west"));
  }

  @Test
  void podsOptedInWithoutTheAgentAreListedInTheStatus() {
    String ns = namespace("missed");
    String apps = optedInNamespace("apps");
    // Made while no webhook ran: one without the agent, one that has it.
    client.pods().inNamespace(apps).resource(pod("checkout", "shop/checkout:1").build()).create();
    client
        .pods()
        .inNamespace(apps)
        .resource(
            pod("cart", "shop/cart:1")
                .editMetadata()
                .addToAnnotations("cairn.dev/agent-injected-by", "prod")
                .endMetadata()
                .build())
        .create();
    create(ns, with(cluster(ns, "missed"), "spec.agent.namespaces", List.of(apps)));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              var agent = status(ns).agent();
              assertThat(agent).isNotNull();
              assertThat(agent.injectedPods()).isEqualTo(1);
              assertThat(agent.notInjectedPods()).isEqualTo(1);
              assertThat(agent.missedPods()).containsExactly(apps + "/checkout");
            });
  }

  @Test
  void anOptedInClusterRestartsTheWorkloadsOfMissedPods() {
    String ns = namespace("restart");
    String apps = optedInNamespace("apps2");
    Deployment checkout =
        client
            .apps()
            .deployments()
            .inNamespace(apps)
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName("checkout")
                    .endMetadata()
                    .withNewSpec()
                    .withNewSelector()
                    .addToMatchLabels("app", "checkout")
                    .endSelector()
                    .withNewTemplate()
                    .withNewMetadata()
                    .addToLabels("app", "checkout")
                    .endMetadata()
                    .withNewSpec()
                    .addNewContainer()
                    .withName("app")
                    .withImage("shop/checkout:1")
                    .endContainer()
                    .endSpec()
                    .endTemplate()
                    .endSpec()
                    .build())
            .create();
    var replicaSet =
        client
            .apps()
            .replicaSets()
            .inNamespace(apps)
            .resource(
                new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName("checkout-5d8f7")
                    .addNewOwnerReference()
                    .withApiVersion("apps/v1")
                    .withKind("Deployment")
                    .withName("checkout")
                    .withUid(checkout.getMetadata().getUid())
                    .withController(true)
                    .endOwnerReference()
                    .endMetadata()
                    .build())
            .create();
    client
        .pods()
        .inNamespace(apps)
        .resource(
            pod("checkout-5d8f7-q2x", "shop/checkout:1")
                .editMetadata()
                .addNewOwnerReference()
                .withApiVersion("apps/v1")
                .withKind("ReplicaSet")
                .withName("checkout-5d8f7")
                .withUid(replicaSet.getMetadata().getUid())
                .withController(true)
                .endOwnerReference()
                .endMetadata()
                .build())
        .create();

    TracingCluster cluster = with(cluster(ns, "restart"), "spec.agent.namespaces", List.of(apps));
    create(ns, with(cluster, "spec.agent.restartMissedPods", true));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        client
                            .apps()
                            .deployments()
                            .inNamespace(apps)
                            .withName("checkout")
                            .get()
                            .getSpec()
                            .getTemplate()
                            .getMetadata()
                            .getAnnotations())
                    .containsKey(MissedPodRestarts.RESTARTED_AT));
  }

  // --- helpers ---

  /** A namespace of the run's own, labelled so that its pods get the agent. */
  private String optedInNamespace(String name) {
    String ns = name + "-" + RUN.substring(6);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .addToLabels("cairn.dev/inject-agent", "true")
                .endMetadata()
                .build())
        .create();
    return ns;
  }

  private static PodBuilder pod(String name, String image) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withNewSpec()
        .addNewContainer()
        .withName("app")
        .withImage(image)
        .endContainer()
        .endSpec();
  }

  private String namespace(String test) {
    String ns = test + "-" + RUN.substring(6);
    client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
        .create();
    return ns;
  }

  private static String prefix(String test) {
    return RUN + "-" + test + ".";
  }

  /** The two-region fixture, on the test's Kafka and topic prefix, in a namespace of its own. */
  private static TracingCluster cluster(String ns, String test) {
    TracingCluster c = Fixtures.twoRegions();
    c.getMetadata().setNamespace(ns);
    c.getMetadata().setUid(null);
    c.getMetadata().setGeneration(null);
    c = with(c, "spec.kafka.bootstrapServers", KAFKA);
    c = with(c, "spec.regions.1.kafkaBootstrapServers", null);
    c = with(c, "spec.kafka.topicPrefix", prefix(test));
    c = with(c, "spec.kafka.partitions", 2);
    c = with(c, "spec.kafka.replicationFactor", 1);
    return with(c, "spec.kafka.minInSyncReplicas", 1);
  }

  private TracingCluster create(String ns, TracingCluster cluster) {
    return client.resources(TracingCluster.class).inNamespace(ns).resource(cluster).create();
  }

  private void update(TracingCluster cluster) {
    client
        .resources(TracingCluster.class)
        .inNamespace(cluster.getMetadata().getNamespace())
        .withName(cluster.getMetadata().getName())
        .edit(
            c -> {
              c.setSpec(cluster.getSpec());
              return c;
            });
  }

  /** The status, failing (and so retried by await) while there is none yet. */
  private TracingClusterStatus status(String ns) {
    TracingClusterStatus status = current(ns).getStatus();
    assertThat(status).as("status of %s", ns).isNotNull();
    return status;
  }

  private TracingCluster current(String ns) {
    return client.resources(TracingCluster.class).inNamespace(ns).withName("prod").get();
  }

  private List<String> names(String ns, Class<? extends HasMetadata> kind) {
    return client
        .resources(kind)
        .inNamespace(ns)
        .withLabel(Labels.MANAGED_BY, Labels.MANAGED_BY_VALUE)
        .list()
        .getItems()
        .stream()
        .map(o -> o.getMetadata().getName())
        .toList();
  }

  private String configMapText(String ns, String name) {
    return client
        .configMaps()
        .inNamespace(ns)
        .withName(name)
        .get()
        .getData()
        .get("application.properties");
  }

  private Map<String, String> configHashes(String ns) {
    return Fixtures.configHashes(client.apps().deployments().inNamespace(ns).list().getItems());
  }

  /** What the Deployment controller would report once every pod is up. */
  private void markReady(String ns, String name) {
    client
        .apps()
        .deployments()
        .inNamespace(ns)
        .withName(name)
        .editStatus(
            d -> {
              int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
              d.setStatus(
                  new DeploymentStatusBuilder()
                      .withObservedGeneration(d.getMetadata().getGeneration())
                      .withReplicas(replicas)
                      .withReadyReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .withAvailableReplicas(replicas)
                      .build());
              return d;
            });
  }

  private void assertDegraded(String ns, String reason, String messagePart) {
    Condition degraded = condition(status(ns), "Degraded");
    assertThat(degraded.getStatus()).isEqualTo("True");
    assertThat(degraded.getReason()).isEqualTo(reason);
    assertThat(degraded.getMessage()).contains(messagePart);
  }

  private static Condition condition(TracingClusterStatus status, String type) {
    return StatusModel.condition(status, type)
        .orElseThrow(() -> new AssertionError("no " + type + " in " + status));
  }

  private static Map<String, Integer> partitions(String prefix) throws Exception {
    Set<String> names =
        kafka.listTopics().names().get(10, TimeUnit.SECONDS).stream()
            .filter(t -> t.startsWith(prefix))
            .collect(Collectors.toSet());
    return kafka.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().partitions().size()));
  }
}
