package dev.cairn.operator.reconciler;

import dev.cairn.operator.webhook.MissedPodRestarts;
import dev.cairn.operator.webhook.MissedPodRestarts.Workload;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restarts the workloads {@link MissedPodRestarts} picks, as {@code kubectl rollout restart} does:
 * a pod-template annotation, so the workload's own rolling update replaces its pods, which the
 * webhook then injects. A workload that cannot be read or changed is logged and skipped.
 */
final class WorkloadRestarter {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadRestarter.class);

  private WorkloadRestarter() {}

  /** Returns the workloads restarted. */
  static List<Workload> restart(KubernetesClient client, List<Pod> missed, Instant now) {
    return MissedPodRestarts.candidates(missed, w -> controllerOf(client, w)).stream()
        .filter(w -> restart(client, w, now))
        .toList();
  }

  private static boolean restart(KubernetesClient client, Workload workload, Instant now) {
    try {
      return switch (workload.kind()) {
        case "Deployment" ->
            restart(client, Deployment.class, workload, d -> d.getSpec().getTemplate(), now);
        case "StatefulSet" ->
            restart(client, StatefulSet.class, workload, s -> s.getSpec().getTemplate(), now);
        case "DaemonSet" ->
            restart(client, DaemonSet.class, workload, d -> d.getSpec().getTemplate(), now);
        default -> false;
      };
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not restart {} {}/{}: {}",
          workload.kind(),
          workload.namespace(),
          workload.name(),
          e.getMessage());
      return false;
    }
  }

  private static <T extends HasMetadata> boolean restart(
      KubernetesClient client,
      Class<T> kind,
      Workload workload,
      Function<T, PodTemplateSpec> template,
      Instant now) {
    var resource =
        client.resources(kind).inNamespace(workload.namespace()).withName(workload.name());
    T current = resource.get();
    if (current == null || !MissedPodRestarts.due(annotations(template.apply(current)), now)) {
      return false;
    }
    resource.edit(
        w -> {
          PodTemplateSpec spec = template.apply(w);
          if (spec.getMetadata().getAnnotations() == null) {
            spec.getMetadata().setAnnotations(new HashMap<>());
          }
          spec.getMetadata().getAnnotations().put(MissedPodRestarts.RESTARTED_AT, now.toString());
          return w;
        });
    LOG.info(
        "restarted {} {}/{}: opted-in pods without the agent",
        workload.kind(),
        workload.namespace(),
        workload.name());
    return true;
  }

  private static java.util.Map<String, String> annotations(PodTemplateSpec template) {
    return template.getMetadata() == null ? null : template.getMetadata().getAnnotations();
  }

  /** A ReplicaSet's Deployment; any other owner is the workload itself. */
  private static Optional<Workload> controllerOf(KubernetesClient client, Workload owner) {
    if (!"ReplicaSet".equals(owner.kind())) {
      return Optional.of(owner);
    }
    ReplicaSet replicaSet =
        client.apps().replicaSets().inNamespace(owner.namespace()).withName(owner.name()).get();
    if (replicaSet == null || replicaSet.getMetadata().getOwnerReferences() == null) {
      return Optional.empty();
    }
    return replicaSet.getMetadata().getOwnerReferences().stream()
        .filter(o -> Boolean.TRUE.equals(o.getController()))
        .findFirst()
        .map((OwnerReference o) -> new Workload(o.getKind(), owner.namespace(), o.getName()));
  }
}
