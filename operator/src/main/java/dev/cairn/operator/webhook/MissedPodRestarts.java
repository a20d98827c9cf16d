package dev.cairn.operator.webhook;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Which workloads to restart so that their missed pods come back with the agent (opt-in, {@code
 * spec.agent.restartMissedPods}): the Deployments, StatefulSets and DaemonSets that own them, a few
 * per pass, and each at most once per {@link #MIN_INTERVAL}, so that a webhook still down cannot
 * make the operator restart a workload over and over. Pods no controller would recreate (bare pods,
 * Jobs) are only listed.
 */
public final class MissedPodRestarts {
  /** On a restarted workload's pod template: when the operator restarted it. */
  public static final String RESTARTED_AT = "cairn.dev/restarted-for-agent-at";

  public static final Duration MIN_INTERVAL = Duration.ofMinutes(10);
  public static final int MAX_PER_PASS = 5;

  private static final Set<String> RESTARTABLE = Set.of("Deployment", "StatefulSet", "DaemonSet");

  private MissedPodRestarts() {}

  /** A workload a pod belongs to. */
  public record Workload(String kind, String namespace, String name) {}

  /**
   * @param controllerOf the workload controlling a pod's owner ({@code ReplicaSet} → its
   *     Deployment), or the owner itself
   */
  public static List<Workload> candidates(
      List<Pod> missed, Function<Workload, Optional<Workload>> controllerOf) {
    Set<Workload> workloads = new LinkedHashSet<>();
    for (Pod pod : missed) {
      List<OwnerReference> owners = pod.getMetadata().getOwnerReferences();
      if (owners == null) {
        continue;
      }
      owners.stream()
          .filter(o -> Boolean.TRUE.equals(o.getController()))
          .findFirst()
          .map(o -> new Workload(o.getKind(), pod.getMetadata().getNamespace(), o.getName()))
          .flatMap(controllerOf)
          .filter(w -> RESTARTABLE.contains(w.kind()))
          .ifPresent(workloads::add);
    }
    return workloads.stream().limit(MAX_PER_PASS).toList();
  }

  /** Whether a workload whose pod template has these annotations may be restarted now. */
  public static boolean due(Map<String, String> templateAnnotations, Instant now) {
    String last = templateAnnotations == null ? null : templateAnnotations.get(RESTARTED_AT);
    if (last == null) {
      return true;
    }
    try {
      return Instant.parse(last).plus(MIN_INTERVAL).isBefore(now);
    } catch (DateTimeParseException e) {
      return true;
    }
  }
}
