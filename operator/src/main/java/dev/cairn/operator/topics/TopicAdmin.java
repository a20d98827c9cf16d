package dev.cairn.operator.topics;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The Kafka operations the operator needs, on the cluster at a bootstrap address. Every call ends
 * within the adapter's timeout; a failure is a {@link TopicAdminException} with the cause.
 */
public interface TopicAdmin {

  /** Partition counts of those of {@code names} that exist. */
  Map<String, Integer> partitions(String bootstrapServers, Collection<String> names);

  /** Creates the topics; one that meanwhile exists is not an error. */
  void create(String bootstrapServers, List<DesiredTopic> topics);

  /** Raises topics to the given partition counts. */
  void grow(String bootstrapServers, Map<String, Integer> partitions);
}
