package dev.cairn.operator.transport.kafka;

import dev.cairn.operator.topics.DesiredTopic;
import dev.cairn.operator.topics.TopicAdmin;
import dev.cairn.operator.topics.TopicAdminException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * {@link TopicAdmin} over Kafka's Admin API: one client per bootstrap address, kept for the
 * operator's life, every call bounded by {@code timeout}.
 */
public final class KafkaTopicAdmin implements TopicAdmin, AutoCloseable {
  private final Duration timeout;
  private final Map<String, Admin> clients = new ConcurrentHashMap<>();

  public KafkaTopicAdmin(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Map<String, Integer> partitions(String bootstrapServers, Collection<String> names) {
    Map<String, Integer> counts = new HashMap<>();
    var futures = admin(bootstrapServers).describeTopics(names).topicNameValues();
    for (var entry : futures.entrySet()) {
      try {
        counts.put(entry.getKey(), await(entry.getValue()).partitions().size());
      } catch (TopicAdminException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
    }
    return counts;
  }

  @Override
  public void create(String bootstrapServers, List<DesiredTopic> topics) {
    List<NewTopic> newTopics =
        topics.stream()
            .map(
                t ->
                    new NewTopic(t.name(), t.partitions(), t.replicationFactor())
                        .configs(t.configs()))
            .toList();
    for (var future : admin(bootstrapServers).createTopics(newTopics).values().values()) {
      try {
        await(future);
      } catch (TopicAdminException e) {
        // Made meanwhile (another reconcile, or by hand): the next pass sees and grows it.
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
  }

  @Override
  public void grow(String bootstrapServers, Map<String, Integer> partitions) {
    Map<String, NewPartitions> increases = new HashMap<>();
    partitions.forEach((name, count) -> increases.put(name, NewPartitions.increaseTo(count)));
    await(admin(bootstrapServers).createPartitions(increases).all());
  }

  private Admin admin(String bootstrapServers) {
    try {
      return clients.computeIfAbsent(bootstrapServers, this::connect);
    } catch (KafkaException e) {
      // e.g. no resolvable bootstrap address: the spec, or DNS, must change first.
      throw new TopicAdminException(String.valueOf(e.getMessage()), e);
    }
  }

  private Admin connect(String bootstrapServers) {
    int timeoutMs = (int) timeout.toMillis();
    Map<String, Object> props = new HashMap<>();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "cairn-operator");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs);
    return Admin.create(props);
  }

  private <T> T await(KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new TopicAdminException(String.valueOf(e.getCause().getMessage()), e.getCause());
    } catch (TimeoutException e) {
      throw new TopicAdminException("no answer within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicAdminException("interrupted", e);
    }
  }

  @Override
  public void close() {
    clients.values().forEach(admin -> admin.close(Duration.ofSeconds(5)));
    clients.clear();
  }
}
