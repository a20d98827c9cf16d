package dev.cairn.storage.transport.kafka;

import dev.cairn.kafka.ConsumerProperties;
import dev.cairn.model.wire.WireHeaders;
import dev.cairn.storage.BatchWriter;
import dev.cairn.storage.SpanRecordDecoder;
import dev.cairn.storage.StorageMetrics;
import dev.cairn.storage.StoreStatus;
import dev.cairn.storage.config.StorageConfig;
import dev.cairn.store.StoreUnavailableException;
import dev.cairn.store.pg.SchemaMigrations;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.jboss.logging.Logger;

/**
 * Consumes {@code cairn.spans.sampled} and writes it to the trace store, at least once per record,
 * which the idempotent writer turns into exactly once in the database.
 *
 * <p>Why a plain {@link KafkaConsumer} poll loop on its own thread rather than SmallRye Reactive
 * Messaging: the offset semantics fit in this one class and can be checked by reading it. Offsets
 * are committed with {@code commitSync} on the polling thread, only after {@link BatchWriter}
 * returned, i.e. after the database committed; auto-commit is off. When the store is unavailable
 * the batch is not committed: after a backoff the consumer seeks its partitions back to the batch's
 * first offsets and reads it again (backoff stays under max.poll.interval.ms, so the group keeps
 * the partitions). When partitions are revoked, their uncommitted records are dropped from the
 * pending batch: the next owner reads them from the last committed offset. A crash between the
 * database commit and the offset commit replays the batch, and the writer skips what is stored.
 */
@ApplicationScoped
public class SampledSpansConsumer {

  private static final Logger LOG = Logger.getLogger(SampledSpansConsumer.class);
  private static final Duration LAG_INTERVAL = Duration.ofSeconds(5);

  private final StorageConfig config;
  private final BatchWriter writer;
  private final StorageMetrics metrics;
  private final StoreStatus status;
  private final AgroalDataSource dataSource;
  private final PendingBatch pending = new PendingBatch();

  private volatile boolean running = true;
  private volatile boolean polling;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private Thread thread;

  SampledSpansConsumer(
      StorageConfig config,
      BatchWriter writer,
      StorageMetrics metrics,
      StoreStatus status,
      AgroalDataSource dataSource) {
    this.config = config;
    this.writer = writer;
    this.metrics = metrics;
    this.status = status;
    this.dataSource = dataSource;
  }

  void start(@Observes StartupEvent event) {
    thread = new Thread(this::run, "cairn-storage-consumer");
    thread.setDaemon(true);
    thread.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    KafkaConsumer<byte[], byte[]> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    if (thread != null) {
      thread.join(10_000);
    }
  }

  /** True while the loop polls Kafka. */
  public boolean isPolling() {
    return polling;
  }

  private void run() {
    Backoff backoff = new Backoff(config.retry().initialBackoff(), config.retry().maxBackoff());
    migrate(backoff);
    while (running) {
      try {
        consume();
      } catch (WakeupException e) {
        // stop() asked us to leave
      } catch (RuntimeException e) {
        // Never let the loop die: a fresh consumer resumes from the committed offsets.
        polling = false;
        LOG.error("consumer loop failed; restarting it", e);
        backoff.sleep(running);
      }
    }
    polling = false;
  }

  /** Runs the schema migrations, retrying while the database is unreachable. */
  private void migrate(Backoff backoff) {
    while (running) {
      try {
        SchemaMigrations.apply(dataSource, config.db().schema());
        status.migrated();
        return;
      } catch (RuntimeException e) {
        status.writeFailed("migrations failed: " + e.getMessage());
        if (backoff.attempts() == 0) {
          LOG.error("schema migrations failed; retrying with backoff", e);
        }
        backoff.sleep(running);
      }
    }
  }

  private void consume() {
    Backoff backoff = new Backoff(config.retry().initialBackoff(), config.retry().maxBackoff());
    try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(consumerProperties())) {
      consumer = kafka;
      kafka.subscribe(List.of(config.kafka().topic()), new DropRevoked());
      long lagReportedAt = 0;
      while (running) {
        for (ConsumerRecord<byte[], byte[]> record : kafka.poll(config.kafka().pollTimeout())) {
          pending.add(
              new TopicPartition(record.topic(), record.partition()),
              record.offset(),
              SpanRecordDecoder.decode(record.value(), retention(record)));
        }
        polling = true;
        if (pending.isFull(config.batch().maxSpans())
            || pending.isOlderThan(config.batch().maxWait())) {
          flush(kafka, backoff);
        }
        if (System.nanoTime() - lagReportedAt > LAG_INTERVAL.toNanos()) {
          metrics.consumerLag(lag(kafka));
          lagReportedAt = System.nanoTime();
        }
      }
    } finally {
      consumer = null;
      pending.clear();
    }
  }

  private void flush(KafkaConsumer<byte[], byte[]> kafka, Backoff backoff) {
    long began = System.nanoTime();
    int written;
    try {
      written =
          writer.write(
              pending.records(),
              refused -> metrics.rejected(SpanRecordDecoder.Rejection.STORE_REFUSED));
    } catch (StoreUnavailableException e) {
      metrics.batchFailed();
      status.writeFailed(e.getMessage());
      if (backoff.attempts() == 0) {
        LOG.error("trace store unavailable; retrying the batch with backoff", e);
      }
      backoff.sleep(running);
      // Read the same records again: nothing of this batch is committed.
      pending
          .firstOffsets()
          .forEach(
              (partition, offset) -> {
                if (kafka.assignment().contains(partition)) {
                  kafka.seek(partition, offset);
                }
              });
      pending.clear();
      return;
    }
    if (backoff.attempts() > 0) {
      LOG.infof("trace store available again after %d failed attempts", backoff.attempts());
    }
    backoff.reset();
    status.writeSucceeded();
    pending.rejections().forEach(metrics::rejected);
    metrics.batchWritten(written, Duration.ofNanos(System.nanoTime() - began));
    try {
      kafka.commitSync(pending.nextOffsets());
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      // The spans are stored; the records come again to whoever owns the partitions, and the
      // writer skips them. Later commits cover these offsets too.
      LOG.warn("offset commit failed after a written batch; it will be replayed", e);
    }
    pending.clear();
  }

  private static String retention(ConsumerRecord<byte[], byte[]> record) {
    Header header = record.headers().lastHeader(WireHeaders.RETENTION);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static long lag(KafkaConsumer<byte[], byte[]> kafka) {
    for (Map.Entry<MetricName, ? extends Metric> metric : kafka.metrics().entrySet()) {
      MetricName name = metric.getKey();
      if (name.name().equals("records-lag-max")
          && name.group().equals("consumer-fetch-manager-metrics")
          && !name.tags().containsKey("topic")) {
        Object value = metric.getValue().metricValue();
        if (value instanceof Double d && !d.isNaN() && d >= 0) {
          return d.longValue();
        }
      }
    }
    return 0;
  }

  private Properties consumerProperties() {
    // Offsets are committed after the batch is written: a new group stores everything still in
    // the topic, so nothing acknowledged upstream is skipped.
    Properties props =
        ConsumerProperties.atLeastOnce(
            config.kafka().bootstrapServers(), config.kafka().groupId(), "cairn-storage");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "500");
    return props;
  }

  /** Records of revoked partitions are not ours to commit any more. */
  private final class DropRevoked implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      pending.drop(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      pending.drop(partitions);
    }
  }
}
