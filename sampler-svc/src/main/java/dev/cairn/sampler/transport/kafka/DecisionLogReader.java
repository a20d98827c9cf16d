package dev.cairn.sampler.transport.kafka;

import dev.cairn.sampler.ledger.DecisionLogRecord;
import dev.cairn.sampler.ledger.LogEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.jboss.logging.Logger;

/**
 * Reads the decision log ({@link DecisionLogRecord}) when partitions are assigned: the committed
 * entries of one log partition from a given offset to its end. Owns a consumer of its own
 * (assigned, no group, {@code read_committed}: entries of aborted transactions were never
 * decisions).
 */
final class DecisionLogReader implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(DecisionLogReader.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Consumer<byte[], byte[]> consumer;
  private final String topic;
  private final Duration timeout;

  DecisionLogReader(Consumer<byte[], byte[]> consumer, String topic, Duration timeout) {
    this.consumer = consumer;
    this.topic = topic;
    this.timeout = timeout;
  }

  /** The offset past the last committed entry of each log partition. */
  Map<TopicPartition, Long> ends(Set<TopicPartition> partitions) {
    // Assigned first: a read_committed consumer keeps the stable offsets of its own partitions.
    consumer.assign(partitions);
    return consumer.endOffsets(partitions, timeout);
  }

  /** Committed entries of the log partition from {@code from} on, in order. */
  List<LogEntry> read(int logPartition, long from) {
    TopicPartition partition = new TopicPartition(topic, logPartition);
    consumer.assign(Set.of(partition)); // replaces the previous assignment
    long end = consumer.endOffsets(Set.of(partition), timeout).get(partition);
    List<LogEntry> entries = new ArrayList<>();
    if (from >= end) {
      return entries;
    }
    consumer.seek(partition, from);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (consumer.position(partition, timeout) < end) {
      if (System.nanoTime() - deadline > 0) {
        throw new TimeoutException(
            "reading decision log "
                + partition
                + " from "
                + from
                + " to "
                + end
                + " took over "
                + timeout);
      }
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        if (record.offset() >= end || record.value() == null) {
          continue;
        }
        try {
          entries.add(new LogEntry(record.offset(), DecisionLogRecord.decode(record.value())));
        } catch (IllegalArgumentException e) {
          LOG.warnf(
              "skipped unreadable decision log record %s@%d: %s",
              partition, record.offset(), e.getMessage());
        }
      }
    }
    return entries; // left assigned: a consumer fetches only when polled
  }

  String topic() {
    return topic;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
