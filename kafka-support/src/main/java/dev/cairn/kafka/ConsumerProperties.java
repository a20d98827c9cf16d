package dev.cairn.kafka;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Settings of the services' {@code byte[]} consumers, which commit offsets themselves. */
public final class ConsumerProperties {

  /** How long a silent consumer keeps its partitions. */
  public static final int SESSION_TIMEOUT_MS = 10_000;

  private ConsumerProperties() {}

  /**
   * A consumer for an at-least-once loop: auto-commit off (the loop commits a batch only once it is
   * handled downstream), a new group starts from the oldest record (a fresh deployment never skips
   * spans that were acknowledged upstream), only committed transactional records are read (the
   * sampler publishes in transactions: records of an aborted one, such as those of a sampler killed
   * mid-transaction, are never seen), keys and values as {@code byte[]}. Callers add their own
   * tuning, such as {@code max.poll.records}.
   */
  public static Properties atLeastOnce(String bootstrapServers, String groupId, String clientId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // A replica killed without leaving the group holds its partitions until the session times
    // out, and nothing moves through the stage meanwhile (measured by the fault suite: ~45 s with
    // Kafka's default). Heartbeats come from the client's own thread, so a long write does not
    // count against this.
    props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, String.valueOf(SESSION_TIMEOUT_MS));
    props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, String.valueOf(SESSION_TIMEOUT_MS / 3));
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }
}
