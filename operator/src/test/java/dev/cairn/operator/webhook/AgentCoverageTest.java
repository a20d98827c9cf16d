package dev.cairn.operator.webhook;

import static dev.cairn.operator.model.Fixtures.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.operator.api.AgentStatus;
import dev.cairn.operator.api.TracingCluster;
import dev.cairn.operator.model.Fixtures;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentCoverageTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final Map<String, Map<String, String>> NAMESPACES =
      Map.of("shop", Map.of("cairn.dev/inject-agent", "true"), "other", Map.of());

  final TracingCluster prod = Fixtures.twoRegions();

  static Pod pod(String namespace, String name, String labels) throws Exception {
    Pod pod = JSON.convertValue(AgentInjectorTest.pod(labels, ""), Pod.class);
    pod.getMetadata().setNamespace(namespace);
    pod.getMetadata().setName(name);
    return pod;
  }

  @Test
  void opteInPodsWithoutTheAgentAreCountedAndListed() throws Exception {
    Pod injected = pod("shop", "injected", "");
    injected.getMetadata().setAnnotations(Map.of("cairn.dev/agent-injected-by", "prod"));
    Pod finished = pod("shop", "finished", "");
    finished.setStatus(new PodStatusBuilder().withPhase("Succeeded").build());
    List<Pod> pods =
        List.of(
            injected,
            pod("shop", "missed-b", ""),
            pod("other", "missed-a", "cairn.dev/inject-agent: \"true\""),
            pod("shop", "opted-out", "cairn.dev/inject-agent: \"false\""),
            finished);

    AgentStatus status = AgentCoverage.of(prod, pods, NAMESPACES, List.of(prod)).status();

    assertThat(status.injectedPods()).isEqualTo(1);
    assertThat(status.notInjectedPods()).isEqualTo(2);
    assertThat(status.missedPods()).containsExactly("other/missed-a", "shop/missed-b");
  }

  @Test
  void podsOfNamespacesAnotherClusterServesAreNotCounted() throws Exception {
    TracingCluster shopOnly = with(Fixtures.twoRegions(), "spec.agent.namespaces", List.of("shop"));
    shopOnly.getMetadata().setName("a-shop");
    shopOnly.getMetadata().setUid("u-shop");
    List<Pod> pods =
        List.of(pod("shop", "s", ""), pod("other", "o", "cairn.dev/inject-agent: \"true\""));

    // a-shop sorts first, so it serves "shop"; prod serves the rest.
    AgentStatus ofProd = AgentCoverage.of(prod, pods, NAMESPACES, List.of(prod, shopOnly)).status();
    AgentStatus ofShop =
        AgentCoverage.of(shopOnly, pods, NAMESPACES, List.of(prod, shopOnly)).status();

    assertThat(ofProd.missedPods()).containsExactly("other/o");
    assertThat(ofShop.missedPods()).containsExactly("shop/s");
  }

  @Test
  void theListIsBoundedButTheCountIsNot() throws Exception {
    List<Pod> pods = new java.util.ArrayList<>();
    for (int i = 0; i < AgentCoverage.MAX_LISTED + 5; i++) {
      pods.add(pod("shop", String.format("p%03d", i), ""));
    }

    AgentStatus status = AgentCoverage.of(prod, pods, NAMESPACES, List.of(prod)).status();

    assertThat(status.notInjectedPods()).isEqualTo(AgentCoverage.MAX_LISTED + 5);
    assertThat(status.missedPods()).hasSize(AgentCoverage.MAX_LISTED).startsWith("shop/p000");
  }
}
