package dev.cairn.storage.transport.kafka;

import dev.cairn.storage.StoreStatus;
import dev.cairn.store.MetricsWriter;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Seeks newly assigned partitions of the metrics topic to the offsets the store holds (the next
 * record to add), so that a restarted or rebalanced consumer neither re-reads what was added nor
 * skips what was not. It waits (bounded) for storage-svc's migrations, which create the offsets
 * table. Without an answer from the store it leaves the position alone: the consumer then reads
 * from the earliest record, and the store skips every record it added before, so the only cost is
 * reading.
 */
@ApplicationScoped
@Identifier(SpanMetricsOffsets.NAME)
public class SpanMetricsOffsets implements KafkaConsumerRebalanceListener {

  static final String NAME = "cairn-span-metrics-offsets";

  private static final Logger LOG = Logger.getLogger(SpanMetricsOffsets.class);
  private static final long MIGRATION_WAIT_MILLIS = 60_000;

  private final MetricsWriter writer;
  private final StoreStatus status;

  SpanMetricsOffsets(MetricsWriter writer, StoreStatus status) {
    this.writer = writer;
    this.status = status;
  }

  @Override
  public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
    if (partitions.isEmpty() || !awaitMigrated()) {
      return;
    }
    Map<String, Map<Integer, Long>> byTopic = new HashMap<>();
    try {
      for (TopicPartition partition : partitions) {
        Long next =
            byTopic
                .computeIfAbsent(partition.topic(), writer::nextOffsets)
                .get(partition.partition());
        if (next != null) {
          consumer.seek(partition, next);
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("could not read the stored metrics offsets; reading from the earliest record", e);
    }
  }

  private boolean awaitMigrated() {
    long deadline = System.currentTimeMillis() + MIGRATION_WAIT_MILLIS;
    while (!status.isMigrated()) {
      if (System.currentTimeMillis() > deadline) {
        LOG.warn("schema not migrated yet; metrics partitions read from the earliest record");
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
