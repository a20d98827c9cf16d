package dev.cairn.storage.transport.kafka;

import dev.cairn.storage.SpanMetricsIngest;
import dev.cairn.storage.StorageMetrics;
import dev.cairn.storage.config.StorageConfig;
import dev.cairn.store.MetricsWriter;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * {@code cairn.metrics} into the store: the {@value #CHANNEL} channel (application.properties)
 * delivers polled batches, read committed (the sampler publishes metrics in its transactions), and
 * each partition's records are added in one database transaction that also moves the partition's
 * offset ({@link SpanMetricsIngest}). Kafka's committed offsets are not used (commit strategy
 * {@code ignore}): the store's are the truth, and {@link SpanMetricsOffsets} seeks to them when
 * partitions are assigned, so a record is added once whatever the replica or the restart.
 */
@ApplicationScoped
public class SpanMetricsConsumer {

  static final String CHANNEL = "span-metrics";

  private final SpanMetricsIngest ingest;
  private volatile boolean running = true;

  SpanMetricsConsumer(MetricsWriter writer, StorageMetrics metrics, StorageConfig config) {
    this.ingest =
        new SpanMetricsIngest(
            writer,
            metrics,
            config.retry().initialBackoff(),
            config.retry().maxBackoff(),
            config.metrics().maxAttempts(),
            () -> running);
  }

  @Incoming(CHANNEL)
  @Blocking
  public void consume(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> polled = records.records(partition);
      List<SpanMetricsIngest.Raw> raw = new ArrayList<>(polled.size());
      for (ConsumerRecord<byte[], byte[]> record : polled) {
        raw.add(new SpanMetricsIngest.Raw(record.offset(), record.value()));
      }
      ingest.ingest(partition.topic(), partition.partition(), raw);
    }
  }

  void stop(@Observes ShutdownEvent event) {
    running = false;
  }
}
