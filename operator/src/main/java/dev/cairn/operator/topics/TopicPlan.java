package dev.cairn.operator.topics;

import dev.cairn.operator.api.TopicStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What to do on one Kafka cluster so that its topics match the spec: create the missing, grow those
 * with fewer partitions, and never shrink one (Kafka cannot; a topic with more partitions than the
 * spec asks keeps them, and its status says so).
 */
public record TopicPlan(
    List<DesiredTopic> create, Map<String, Integer> grow, List<TopicStatus> statuses) {

  public static TopicPlan of(List<DesiredTopic> desired, Map<String, Integer> existing) {
    List<DesiredTopic> create = new ArrayList<>();
    Map<String, Integer> grow = new TreeMap<>();
    List<TopicStatus> statuses = new ArrayList<>();
    for (DesiredTopic topic : desired) {
      Integer current = existing.get(topic.name());
      if (current == null) {
        create.add(topic);
        statuses.add(new TopicStatus(topic.name(), topic.partitions(), null));
      } else if (current < topic.partitions()) {
        grow.put(topic.name(), topic.partitions());
        statuses.add(new TopicStatus(topic.name(), topic.partitions(), null));
      } else if (current > topic.partitions()) {
        statuses.add(
            new TopicStatus(
                topic.name(),
                current,
                "has "
                    + current
                    + " partitions, more than the spec's "
                    + topic.partitions()
                    + ": topics are never shrunk"));
      } else {
        statuses.add(new TopicStatus(topic.name(), current, null));
      }
    }
    return new TopicPlan(List.copyOf(create), Map.copyOf(grow), List.copyOf(statuses));
  }
}
