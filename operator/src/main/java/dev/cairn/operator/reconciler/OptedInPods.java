package dev.cairn.operator.reconciler;

import static dev.cairn.operator.webhook.InjectionLabels.INJECT_AGENT;

import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.webhook.AgentCoverage;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the opted-in pods (those of opted-in namespaces, and pods opted in themselves) for {@link
 * AgentCoverage}. A failed read leaves the last counts in the status; it never fails a reconcile.
 */
final class OptedInPods {
  private static final Logger LOG = LoggerFactory.getLogger(OptedInPods.class);

  private OptedInPods() {}

  static Optional<AgentCoverage.Coverage> coverage(
      KubernetesClient client, TracingCluster cluster) {
    try {
      Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
      List<Pod> pods = new ArrayList<>();
      for (Namespace ns : client.namespaces().withLabel(INJECT_AGENT, "true").list().getItems()) {
        String name = ns.getMetadata().getName();
        namespaceLabels.put(
            name, Objects.requireNonNullElse(ns.getMetadata().getLabels(), Map.of()));
        pods.addAll(client.pods().inNamespace(name).list().getItems());
      }
      for (Pod pod :
          client.pods().inAnyNamespace().withLabel(INJECT_AGENT, "true").list().getItems()) {
        // Those of opted-in namespaces are listed already.
        if (!namespaceLabels.containsKey(pod.getMetadata().getNamespace())) {
          pods.add(pod);
        }
      }
      List<TracingCluster> clusters =
          client.resources(TracingCluster.class).inAnyNamespace().list().getItems();
      return Optional.of(AgentCoverage.of(cluster, pods, namespaceLabels, clusters));
    } catch (KubernetesClientException e) {
      LOG.warn(
          "could not list opted-in pods for {}: {}",
          cluster.getMetadata().getName(),
          e.getMessage());
      return Optional.empty();
    }
  }
}
