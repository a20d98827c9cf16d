package dev.cairn.operator.topics;

import dev.cairn.operator.api.TopicStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings the topics of every Kafka cluster a spec names to the spec: each cluster on its own, so
 * one unreachable region's Kafka does not hold the other regions' topics back.
 */
public final class TopicReconciler {
  private final TopicAdmin admin;

  public TopicReconciler(TopicAdmin admin) {
    this.admin = admin;
  }

  public TopicOutcome reconcile(List<DesiredTopic> desired) {
    Map<String, List<DesiredTopic>> byCluster = new LinkedHashMap<>();
    for (DesiredTopic topic : desired) {
      byCluster.computeIfAbsent(topic.bootstrapServers(), k -> new ArrayList<>()).add(topic);
    }
    List<TopicStatus> statuses = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    byCluster.forEach(
        (bootstrap, topics) -> {
          try {
            Map<String, Integer> existing =
                admin.partitions(bootstrap, topics.stream().map(DesiredTopic::name).toList());
            TopicPlan plan = TopicPlan.of(topics, existing);
            if (!plan.create().isEmpty()) {
              admin.create(bootstrap, plan.create());
            }
            if (!plan.grow().isEmpty()) {
              admin.grow(bootstrap, plan.grow());
            }
            statuses.addAll(plan.statuses());
          } catch (TopicAdminException e) {
            failures.add("Kafka at " + bootstrap + ": " + e.getMessage());
          }
        });
    return new TopicOutcome(List.copyOf(statuses), List.copyOf(failures));
  }
}
