package dev.cairn.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.operator.webhook.MissedPodRestarts.Workload;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MissedPodRestartsTest {
  static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  static Pod ownedBy(String name, String kind, String owner) {
    PodBuilder pod =
        new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").endMetadata();
    if (kind != null) {
      pod.editMetadata()
          .withOwnerReferences(
              new OwnerReferenceBuilder()
                  .withKind(kind)
                  .withName(owner)
                  .withController(true)
                  .build())
          .endMetadata();
    }
    return pod.build();
  }

  /** ReplicaSets "<deployment>-<hash>" belong to their Deployment. */
  static Optional<Workload> controllerOf(Workload owner) {
    return owner.kind().equals("ReplicaSet")
        ? Optional.of(
            new Workload(
                "Deployment", owner.namespace(), owner.name().replaceFirst("-[a-z0-9]+$", "")))
        : Optional.of(owner);
  }

  @Test
  void theControllingWorkloadsOnceEachAndOnlyThoseThatRecreatePods() {
    List<Pod> missed =
        List.of(
            ownedBy("checkout-abc12-x", "ReplicaSet", "checkout-abc12"),
            ownedBy("checkout-abc12-y", "ReplicaSet", "checkout-abc12"),
            ownedBy("db-0", "StatefulSet", "db"),
            ownedBy("node-agent-z", "DaemonSet", "node-agent"),
            ownedBy("migrate-q", "Job", "migrate"),
            ownedBy("debug", null, null));

    assertThat(MissedPodRestarts.candidates(missed, MissedPodRestartsTest::controllerOf))
        .containsExactly(
            new Workload("Deployment", "shop", "checkout"),
            new Workload("StatefulSet", "shop", "db"),
            new Workload("DaemonSet", "shop", "node-agent"));
  }

  @Test
  void aFewWorkloadsPerPass() {
    List<Pod> missed = new ArrayList<>();
    for (int i = 0; i < MissedPodRestarts.MAX_PER_PASS + 3; i++) {
      missed.add(ownedBy("p" + i, "StatefulSet", "s" + i));
    }

    assertThat(MissedPodRestarts.candidates(missed, MissedPodRestartsTest::controllerOf))
        .hasSize(MissedPodRestarts.MAX_PER_PASS);
  }

  @Test
  void aWorkloadIsRestartedAtMostOncePerInterval() {
    String recent = NOW.minus(MissedPodRestarts.MIN_INTERVAL).plusSeconds(1).toString();
    String old = NOW.minus(MissedPodRestarts.MIN_INTERVAL).minusSeconds(1).toString();

    assertThat(MissedPodRestarts.due(null, NOW)).isTrue();
    assertThat(MissedPodRestarts.due(Map.of("other", "x"), NOW)).isTrue();
    assertThat(MissedPodRestarts.due(Map.of(MissedPodRestarts.RESTARTED_AT, recent), NOW))
        .isFalse();
    assertThat(MissedPodRestarts.due(Map.of(MissedPodRestarts.RESTARTED_AT, old), NOW)).isTrue();
  }
}
