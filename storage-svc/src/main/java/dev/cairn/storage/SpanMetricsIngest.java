package dev.cairn.storage;

import dev.cairn.kafka.Backoff;
import dev.cairn.model.metrics.MetricsBatch;
import dev.cairn.model.metrics.MetricsWireCodec;
import dev.cairn.model.wire.MalformedRecordException;
import dev.cairn.store.InvalidSpanBatchException;
import dev.cairn.store.MetricsDelta;
import dev.cairn.store.MetricsWriter;
import dev.cairn.store.StoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Adds the records of the metrics topic to the store, exactly once each ({@link MetricsWriter}). A
 * record that is not a metrics batch, or whose values the store refuses, is counted and stored as
 * empty, so that its offset moves on and the records after it are not held back. While the store
 * cannot take a batch it is retried with backoff, at most {@code maxAttempts} times; then the
 * failure is thrown to the caller (the channel stops, readiness goes down, and a restarted service
 * resumes from the offsets in the store, so nothing is lost).
 */
public final class SpanMetricsIngest {

  private static final Logger LOG = Logger.getLogger(SpanMetricsIngest.class);
  private static final MetricsBatch EMPTY = new MetricsBatch(List.of(), List.of());

  /** One consumed record: its offset and value. */
  public record Raw(long offset, byte[] value) {}

  private final MetricsWriter writer;
  private final StorageMetrics metrics;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final int maxAttempts;
  private final BooleanSupplier running;

  public SpanMetricsIngest(
      MetricsWriter writer,
      StorageMetrics metrics,
      Duration initialBackoff,
      Duration maxBackoff,
      int maxAttempts,
      BooleanSupplier running) {
    this.writer = writer;
    this.metrics = metrics;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.maxAttempts = maxAttempts;
    this.running = running;
  }

  /** Adds one partition's records, in offset order; durable on return. */
  public void ingest(String topic, int partition, List<Raw> records) {
    List<MetricsDelta> deltas = new ArrayList<>(records.size());
    for (Raw record : records) {
      deltas.add(new MetricsDelta(record.offset(), decode(topic, partition, record)));
    }
    Backoff backoff = new Backoff(initialBackoff, maxBackoff);
    while (true) {
      try {
        int applied;
        try {
          applied = writer.apply(topic, partition, deltas);
        } catch (InvalidSpanBatchException refused) {
          applied = oneByOne(topic, partition, deltas);
        }
        metrics.metricsRecords("applied", applied);
        metrics.metricsRecords("replayed", deltas.size() - applied);
        return;
      } catch (StoreUnavailableException e) {
        if (backoff.attempts() + 1 >= maxAttempts || !running.getAsBoolean()) {
          throw e;
        }
        if (backoff.attempts() == 0) {
          LOG.warn("the store cannot take span metrics for now; retrying with backoff", e);
        }
        backoff.sleep(running);
      }
    }
  }

  /** Each record on its own; one the store refuses is stored empty, so its offset moves on. */
  private int oneByOne(String topic, int partition, List<MetricsDelta> deltas) {
    int applied = 0;
    for (MetricsDelta delta : deltas) {
      try {
        applied += writer.apply(topic, partition, List.of(delta));
      } catch (InvalidSpanBatchException e) {
        LOG.warnf(
            e,
            "the store refused span metrics of %s-%d@%d; skipped",
            topic,
            partition,
            delta.offset());
        int stored =
            writer.apply(topic, partition, List.of(new MetricsDelta(delta.offset(), EMPTY)));
        metrics.metricsRecords("refused", stored);
        applied += stored;
      }
    }
    return applied;
  }

  private MetricsBatch decode(String topic, int partition, Raw record) {
    try {
      return MetricsWireCodec.decode(record.value() == null ? new byte[0] : record.value());
    } catch (MalformedRecordException e) {
      LOG.debugf(
          "skipped malformed span metrics %s-%d@%d: %s",
          topic, partition, record.offset(), e.getMessage());
      metrics.metricsRecords("malformed", 1);
      return EMPTY;
    }
  }
}
