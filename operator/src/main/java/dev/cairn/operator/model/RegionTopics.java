package dev.cairn.operator.model;

import dev.cairn.model.wire.ConsumerGroups;
import dev.cairn.model.wire.TopicNames;
import java.util.List;

/**
 * A region's topics and consumer groups: the wire contract's names behind {@code
 * <topicPrefix><region>.}, so that regions sharing a Kafka cluster never share a topic or a group
 * (a group spanning regions would rebalance all of them together).
 */
public record RegionTopics(
    String ingested,
    String sampled,
    String metrics,
    String dead,
    String samplerGroup,
    String storageGroup) {

  public static RegionTopics of(String topicPrefix, String region) {
    String prefix = topicPrefix + region + ".";
    return new RegionTopics(
        prefix + TopicNames.SPANS_INGESTED,
        prefix + TopicNames.SPANS_SAMPLED,
        prefix + TopicNames.METRICS,
        prefix + TopicNames.SPANS_DEAD,
        prefix + ConsumerGroups.SAMPLER,
        prefix + ConsumerGroups.STORAGE);
  }

  public List<String> topics() {
    return List.of(ingested, sampled, metrics, dead);
  }
}
