package dev.cairn.kafka;

import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The one configuration of the services' {@code byte[]} producers. */
public final class ProducerProperties {

  /** Room for a record's key, headers and batch framing on top of its value. */
  public static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

  private ProducerProperties() {}

  /**
   * How long a send may take, and how large a record may be.
   *
   * @param deliveryTimeout upper bound from send to acknowledgement, retries included
   * @param maxBlock longest a send may wait for metadata or buffer space
   * @param maxRecordBytes largest record value a service produces; {@code max.request.size} is this
   *     plus {@link #RECORD_OVERHEAD_BYTES}, and the topics' {@code max.message.bytes} must be at
   *     least that (scripts/infra.sh creates them so)
   */
  public record Bounds(
      Duration deliveryTimeout,
      Duration maxBlock,
      int lingerMs,
      String compressionType,
      int maxRecordBytes) {

    public int maxRequestBytes() {
      return maxRecordBytes + RECORD_OVERHEAD_BYTES;
    }
  }

  /**
   * A producer whose acknowledgement means durable: idempotent with {@code acks=all}, so retries
   * neither lose, duplicate nor reorder records (ARCHITECTURE.md invariant 3), and every send ends
   * within {@code maxBlock + deliveryTimeout}.
   */
  public static Properties reliable(String bootstrapServers, String clientId, Bounds bounds) {
    int deliveryMs = (int) bounds.deliveryTimeout().toMillis();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, bounds.compressionType());
    props.put(ProducerConfig.LINGER_MS_CONFIG, bounds.lingerMs());
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, bounds.maxRequestBytes());
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) bounds.maxBlock().toMillis());
    // delivery.timeout.ms must cover linger plus one request timeout.
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryMs);
    props.put(
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        Math.max(1000, deliveryMs - bounds.lingerMs() - 1000));
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    return props;
  }

  /**
   * A {@link #reliable} producer that writes in transactions: its records, and the consumer offsets
   * it sends along, become visible to {@code read_committed} consumers together or not at all.
   *
   * @param transactionalId unique among the producers alive at the same time; a producer that
   *     starts with the id of another fences it (the other's open transaction is aborted)
   * @param transactionTimeout how long the broker lets a transaction stay open before aborting it:
   *     the longest a crashed producer holds back {@code read_committed} consumers of the
   *     partitions it wrote to
   */
  public static Properties transactional(
      String bootstrapServers,
      String clientId,
      Bounds bounds,
      String transactionalId,
      Duration transactionTimeout) {
    Properties props = reliable(bootstrapServers, clientId, bounds);
    props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    props.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) transactionTimeout.toMillis());
    return props;
  }
}
