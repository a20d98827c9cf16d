package dev.cairn.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.operator.api.TopicStatus;
import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.api.TracingClusterStatus;
import dev.cairn.operator.model.ClusterModel;
import dev.cairn.operator.model.DesiredState;
import dev.cairn.operator.model.Fixtures;
import dev.cairn.operator.model.Labels;
import dev.cairn.operator.topics.TopicOutcome;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusModelTest {
  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final Instant T1 = Instant.parse("2026-12-01T10:05:00Z");
  static final TopicOutcome TOPICS_OK =
      new TopicOutcome(List.of(new TopicStatus("t", 6, null)), List.of());
  static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  final TracingCluster cluster = Fixtures.twoRegions();
  final DesiredState desired = ClusterModel.desired(cluster);

  @Test
  void readyWhenEveryComponentRolledOut() {
    TracingClusterStatus status =
        StatusModel.observed(
            cluster, desired, rolledOut(desired.deployments()), TOPICS_OK, null, T0);

    assertThat(conditions(status))
        .containsExactly(
            "Ready=True AllComponentsReady",
            "Progressing=False Stable",
            "Degraded=False AsExpected");
    assertThat(status.readyRegions()).isEqualTo("2/2");
    assertThat(status.regionNames()).isEqualTo("eu-west,us-east");
    assertThat(status.observedGeneration()).isEqualTo(1L);
    assertThat(status.conditions())
        .allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(1L));
  }

  @Test
  void aComponentShortOfReplicasOrOnAnOldConfigIsNotReady() {
    List<Deployment> observed = rolledOut(desired.deployments());
    observed.stream()
        .filter(d -> d.getMetadata().getName().equals("prod-eu-west-sampler"))
        .forEach(d -> d.getStatus().setReadyReplicas(2));
    observed.stream()
        .filter(d -> d.getMetadata().getName().equals("prod-us-east-storage"))
        .forEach(
            d ->
                d.getSpec()
                    .getTemplate()
                    .getMetadata()
                    .getAnnotations()
                    .put(Labels.CONFIG_HASH, "old"));

    TracingClusterStatus status =
        StatusModel.observed(cluster, desired, observed, TOPICS_OK, null, T0);

    assertThat(conditions(status))
        .containsExactly(
            "Ready=False ComponentsNotReady",
            "Progressing=True RollingOut",
            "Degraded=False AsExpected");
    assertThat(StatusModel.condition(status, "Ready").orElseThrow().getMessage())
        .isEqualTo("eu-west/sampler 2/3 ready, us-east/storage 2/2 ready, updating");
    assertThat(status.readyRegions()).isEqualTo("0/2");
  }

  @Test
  void aDeploymentTheControllerHasNotSeenYetIsNotReady() {
    List<Deployment> observed = rolledOut(desired.deployments());
    observed.forEach(d -> d.getMetadata().setGeneration(2L));

    TracingClusterStatus status =
        StatusModel.observed(cluster, desired, observed, TOPICS_OK, null, T0);

    assertThat(status.readyRegions()).isEqualTo("0/2");
  }

  @Test
  void kafkaFailureDegradesAndKeepsTheLastKnownTopics() {
    TracingCluster seen =
        withStatus(
            cluster,
            StatusModel.observed(
                cluster, desired, rolledOut(desired.deployments()), TOPICS_OK, null, T0));

    TracingClusterStatus status =
        StatusModel.observed(
            seen,
            desired,
            rolledOut(desired.deployments()),
            new TopicOutcome(List.of(), List.of("Kafka at k: no answer within 2s")),
            null,
            T1);

    assertThat(conditions(status))
        .containsExactly(
            "Ready=False KafkaUnavailable",
            "Progressing=False Stable",
            "Degraded=True KafkaUnavailable");
    assertThat(status.topics()).extracting(TopicStatus::name).containsExactly("t");
  }

  @Test
  void aTransitionTimeMovesOnlyWhenTheStatusChanges() {
    TracingClusterStatus first =
        StatusModel.observed(
            cluster, desired, rolledOut(desired.deployments()), TOPICS_OK, null, T0);
    TracingClusterStatus again =
        StatusModel.observed(
            withStatus(cluster, first),
            desired,
            rolledOut(desired.deployments()),
            TOPICS_OK,
            null,
            T1);
    TracingClusterStatus broken =
        StatusModel.failed(
            withStatus(cluster, again), StatusModel.INVALID_SPEC, "spec.x is wrong", T1);

    assertThat(StatusModel.condition(again, "Ready").orElseThrow().getLastTransitionTime())
        .isEqualTo("2026-12-01T10:00:00Z");
    Condition degraded = StatusModel.condition(broken, "Degraded").orElseThrow();
    assertThat(degraded.getLastTransitionTime()).isEqualTo("2026-12-01T10:05:00Z");
    assertThat(degraded.getMessage()).isEqualTo("spec.x is wrong");
    assertThat(conditions(broken))
        .containsExactly(
            "Ready=False InvalidSpec",
            "Progressing=False InvalidSpec",
            "Degraded=True InvalidSpec");
    // What was last observed of the regions stays visible.
    assertThat(broken.readyRegions()).isEqualTo("2/2");
  }

  /** The desired Deployments as their controller reports them once every replica is up. */
  static List<Deployment> rolledOut(List<Deployment> desired) {
    return desired.stream()
        .map(SERIALIZATION::clone)
        .peek(
            d -> {
              int replicas = d.getSpec().getReplicas() == null ? 2 : d.getSpec().getReplicas();
              d.getSpec().setReplicas(replicas);
              d.getMetadata().setGeneration(1L);
              d.setStatus(
                  new DeploymentStatusBuilder()
                      .withObservedGeneration(1L)
                      .withReplicas(replicas)
                      .withReadyReplicas(replicas)
                      .withUpdatedReplicas(replicas)
                      .build());
            })
        .toList();
  }

  static TracingCluster withStatus(TracingCluster cluster, TracingClusterStatus status) {
    TracingCluster copy = SERIALIZATION.clone(cluster);
    copy.setStatus(status);
    return copy;
  }

  static List<String> conditions(TracingClusterStatus status) {
    return status.conditions().stream()
        .map(c -> c.getType() + "=" + c.getStatus() + " " + c.getReason())
        .toList();
  }
}
