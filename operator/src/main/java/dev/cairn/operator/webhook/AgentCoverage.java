package dev.cairn.operator.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.operator.api.AgentStatus;
import dev.cairn.operator.api.TracingCluster;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which opted-in pods a cluster's agent serves, and which of them lack it: a pod the webhook would
 * patch today was admitted without it (webhook down, operator not yet installed). The webhook's
 * {@code failurePolicy: Ignore} keeps pods starting; this keeps the misses visible.
 */
public final class AgentCoverage {
  /** Names listed at most; the count covers all. */
  public static final int MAX_LISTED = 20;

  private static final ObjectMapper JSON = new ObjectMapper();

  private AgentCoverage() {}

  /**
   * The cluster whose agent the webhook injects in the namespace: the first (by namespace, then
   * name) that serves it.
   */
  public static Optional<TracingCluster> servingCluster(
      List<TracingCluster> clusters, String namespace) {
    return clusters.stream()
        .filter(c -> c.getSpec() != null && c.getSpec().regions() != null)
        .filter(c -> !c.getSpec().regions().isEmpty())
        .sorted(
            Comparator.comparing((TracingCluster c) -> c.getMetadata().getNamespace())
                .thenComparing(c -> c.getMetadata().getName()))
        .filter(c -> AgentSettings.of(c).serves(namespace))
        .findFirst();
  }

  /**
   * @param pods candidate pods (opted in by label, or in opted-in namespaces), of any cluster
   * @param namespaceLabels labels of the pods' namespaces
   * @param clusters every TracingCluster, to tell which one serves each pod's namespace
   */
  public static Coverage of(
      TracingCluster cluster,
      List<Pod> pods,
      Map<String, Map<String, String>> namespaceLabels,
      List<TracingCluster> clusters) {
    AgentSettings settings = AgentSettings.of(cluster);
    int injected = 0;
    List<Pod> missed = new ArrayList<>();
    for (Pod pod : pods) {
      String namespace = pod.getMetadata().getNamespace();
      boolean ours =
          servingCluster(clusters, namespace)
              .map(
                  c ->
                      c.getMetadata().getUid() != null
                          ? c.getMetadata().getUid().equals(cluster.getMetadata().getUid())
                          : c.getMetadata().getName().equals(cluster.getMetadata().getName()))
              .orElse(false);
      if (!ours || finished(pod)) {
        continue;
      }
      Injection decision =
          AgentInjector.decide(
              JSON.valueToTree(pod),
              namespaceLabels.getOrDefault(namespace, Map.of()),
              Optional.of(settings),
              false);
      if (decision.reason().equals(Injection.ALREADY_INJECTED)) {
        injected++;
      } else if (decision.reason().equals(Injection.INJECTED)) {
        missed.add(pod);
      }
    }
    missed.sort(Comparator.comparing(AgentCoverage::name));
    return new Coverage(injected, List.copyOf(missed));
  }

  /** The opted-in pods with the agent (a count), and those without it, sorted by name. */
  public record Coverage(int injected, List<Pod> missed) {
    public AgentStatus status() {
      return new AgentStatus(
          injected,
          missed.size(),
          missed.stream().limit(MAX_LISTED).map(AgentCoverage::name).toList());
    }
  }

  static String name(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  /** A pod that has ended will not run again: nothing to inject. */
  private static boolean finished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
