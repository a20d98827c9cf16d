package dev.cairn.storage.transport.kafka;

import dev.cairn.kafka.Backoff;
import dev.cairn.kafka.ConsumerLag;
import dev.cairn.kafka.ConsumerProperties;
import dev.cairn.kafka.SupervisedLoop;
import dev.cairn.model.wire.WireHeaders;
import dev.cairn.storage.BatchWriter;
import dev.cairn.storage.SpanRecordDecoder;
import dev.cairn.storage.StorageMetrics;
import dev.cairn.storage.StoreStatus;
import dev.cairn.storage.config.StorageConfig;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.flywaydb.core.Flyway;
import org.jboss.logging.Logger;

/**
 * Consumes {@code cairn.spans.sampled} and writes it to the trace store, at least once per record,
 * which the idempotent writer turns into exactly once in the database.
 *
 * <p>Why a plain {@link KafkaConsumer} poll loop on its own thread rather than SmallRye Reactive
 * Messaging: the offset semantics fit in this class and {@link WriterLane} and can be checked by
 * reading them. One thread polls, decodes and fills one batch per {@link WriterLane}; each lane
 * owns the partitions whose number modulo the lane count is its index, and writes its batches one
 * at a time on its own thread, so the lanes write in parallel and the next batch is decoded while
 * the current one is in the database. A batch is cut before a record would take it past {@code
 * batch.max-spans}. When a lane's next batch is full while it still writes, the partition is sought
 * back to the record that did not fit and paused until the lane is free: memory stays bounded (two
 * batches per lane plus one poll).
 *
 * <p>Offsets are committed with {@code commitSync} on the polling thread, only for a batch the lane
 * reported durable, i.e. after the database committed; auto-commit is off. A partition's batches
 * are written by one lane in order, so its commits advance in order. A lane retries a batch the
 * store cannot take for now, with backoff, until it is written; nothing of it is committed
 * meanwhile (the poll loop goes on, so the group keeps the partitions). Records that cannot be
 * stored at all (undecodable, or refused by the store) are published unchanged to the dead-letter
 * topic, and their offsets are committed with the batch once that publish is acknowledged. When
 * partitions are revoked, the loop waits (bounded) for their batches in flight and commits them,
 * then drops their uncommitted records: the next owner reads them from the last committed offset. A
 * batch that completes after its partition was revoked or lost is not committed (assignment
 * epochs). A crash between the database commit and the offset commit replays the batch, and the
 * writer skips what is stored.
 */
@ApplicationScoped
public class SampledSpansConsumer {

  private static final Logger LOG = Logger.getLogger(SampledSpansConsumer.class);
  private static final Duration LAG_INTERVAL = Duration.ofSeconds(5);

  /** Poll timeout while a lane writes, so its completion is committed and followed up quickly. */
  private static final Duration BUSY_POLL = Duration.ofMillis(5);

  /** How long a rebalance waits for the revoked partitions' batches in flight. */
  private static final Duration REVOKE_WAIT = Duration.ofSeconds(30);

  private final StorageConfig config;
  private final StorageMetrics metrics;
  private final StoreStatus status;
  private final Flyway migrations;
  private final WriterLane[] lanes;
  private final BlockingQueue<WriterLane.Done> completions = new LinkedBlockingQueue<>();

  /** Polling thread only: bumped when a partition is assigned, revoked or lost. */
  private final Map<TopicPartition, Long> epochs = new HashMap<>();

  private long epochCounter;
  private final SupervisedLoop loop;
  private volatile boolean running = true;
  private volatile boolean polling;
  private boolean migrated;
  private volatile KafkaConsumer<byte[], byte[]> consumer;

  SampledSpansConsumer(
      StorageConfig config,
      BatchWriter writer,
      DeadLetterPublisher deadLetters,
      StorageMetrics metrics,
      StoreStatus status,
      Flyway migrations,
      Tracer tracer) {
    this.config = config;
    this.metrics = metrics;
    this.status = status;
    this.migrations = migrations;
    this.lanes = new WriterLane[Math.max(1, config.batch().writers())];
    for (int i = 0; i < lanes.length; i++) {
      lanes[i] =
          new WriterLane(
              i, writer, deadLetters, metrics, status, config.retry(), () -> running, tracer);
    }
    this.loop =
        new SupervisedLoop(
            "cairn-storage-consumer",
            this::run,
            new Backoff(config.retry().initialBackoff(), config.retry().maxBackoff()),
            cause -> metrics.loopRestarted());
  }

  void start(@Observes StartupEvent event) {
    loop.start();
  }

  void stop(@Observes ShutdownEvent event) throws InterruptedException {
    running = false;
    loop.stop(
        () -> {
          KafkaConsumer<byte[], byte[]> current = consumer;
          if (current != null) {
            current.wakeup();
          }
        },
        Duration.ofSeconds(10));
    for (WriterLane lane : lanes) {
      lane.close(Duration.ofSeconds(5));
    }
  }

  /** True while the loop polls Kafka. */
  public boolean isPolling() {
    return loop.isUp() && polling;
  }

  /**
   * One run of the supervised loop: the schema first (once per service), then a fresh consumer. Any
   * failure ends the run; the supervisor starts another, which resumes from the committed offsets.
   */
  private void run(SupervisedLoop.Progress progress) {
    polling = false;
    if (!migrated) {
      migrate();
    }
    try {
      consume(progress);
    } catch (WakeupException e) {
      // stop() asked us to leave
    } finally {
      polling = false;
    }
  }

  private void migrate() {
    try {
      migrations.migrate();
    } catch (RuntimeException e) {
      status.migrationFailed("migrations failed: " + e.getMessage());
      throw e;
    }
    status.migrated();
    migrated = true;
  }

  private void consume(SupervisedLoop.Progress progress) {
    try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(consumerProperties())) {
      consumer = kafka;
      // Batches still in flight from a previous consumer are not committed by this one.
      epochs.clear();
      kafka.subscribe(List.of(config.kafka().topic()), new Rebalance(kafka));
      try {
        poll(kafka, progress);
      } finally {
        // Leaving (stop, or a failure): commit what the lanes finish meanwhile, then let go.
        awaitLanes(kafka, null, Duration.ofSeconds(running ? 0 : 8));
      }
    } finally {
      consumer = null;
      epochs.clear();
      for (WriterLane lane : lanes) {
        lane.next().clear();
        lane.paused().clear();
      }
    }
  }

  private void poll(KafkaConsumer<byte[], byte[]> kafka, SupervisedLoop.Progress progress) {
    int maxSpans = config.batch().maxSpans();
    long lagReportedAt = 0;
    Set<TopicPartition> stopped = new HashSet<>();
    while (running) {
      ConsumerRecords<byte[], byte[]> records =
          kafka.poll(anyBusy() ? BUSY_POLL : config.kafka().pollTimeout());
      polling = true;
      progress.healthy();
      stopped.clear();
      for (ConsumerRecord<byte[], byte[]> record : records) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (stopped.contains(partition)) {
          continue;
        }
        WriterLane lane = laneOf(partition);
        SpanRecordDecoder.Result result =
            SpanRecordDecoder.decode(
                record.value(),
                header(record, WireHeaders.RETENTION),
                header(record, WireHeaders.LATE_SPAN));
        if (!lane.next().fits(spanCount(result), maxSpans)) {
          if (!lane.isBusy()) {
            lane.dispatch(epochsOf(lane.next()), completions);
          } else {
            // The lane is behind: read this record again once it is free.
            kafka.seek(partition, record.offset());
            kafka.pause(List.of(partition));
            lane.paused().add(partition);
            stopped.add(partition);
            continue;
          }
        }
        lane.next().add(record, result);
      }
      drainCompletions(kafka);
      for (WriterLane lane : lanes) {
        PendingBatch next = lane.next();
        if (!lane.isBusy()
            && !next.isEmpty()
            && (next.isFull(maxSpans) || next.isOlderThan(config.batch().maxWait()))) {
          lane.dispatch(epochsOf(next), completions);
        }
      }
      if (System.nanoTime() - lagReportedAt > LAG_INTERVAL.toNanos()) {
        metrics.consumerLag(ConsumerLag.recordsBehind(kafka));
        lagReportedAt = System.nanoTime();
      }
    }
  }

  private WriterLane laneOf(TopicPartition partition) {
    return lanes[Math.floorMod(partition.partition(), lanes.length)];
  }

  private boolean anyBusy() {
    for (WriterLane lane : lanes) {
      if (lane.isBusy()) {
        return true;
      }
    }
    return false;
  }

  private Map<TopicPartition, Long> epochsOf(PendingBatch batch) {
    Map<TopicPartition, Long> of = new HashMap<>();
    for (TopicPartition partition : batch.partitions()) {
      of.put(partition, epochs.getOrDefault(partition, -1L));
    }
    return of;
  }

  private void drainCompletions(KafkaConsumer<byte[], byte[]> kafka) {
    WriterLane.Done done;
    while ((done = completions.poll()) != null) {
      complete(kafka, done);
    }
  }

  /** Commits a finished batch's offsets (where still ours) and frees its lane. */
  private void complete(KafkaConsumer<byte[], byte[]> kafka, WriterLane.Done done) {
    WriterLane lane = done.lane();
    lane.finished();
    if (!lane.paused().isEmpty()) {
      Set<TopicPartition> resume = new HashSet<>(lane.paused());
      resume.retainAll(kafka.assignment());
      kafka.resume(resume);
      lane.paused().clear();
    }
    if (!done.written()) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    Set<TopicPartition> assigned = kafka.assignment();
    done.nextOffsets()
        .forEach(
            (partition, offset) -> {
              Long epoch = epochs.get(partition);
              if (epoch != null
                  && epoch.equals(done.epochs().get(partition))
                  && assigned.contains(partition)) {
                commit.put(partition, offset);
              }
            });
    if (commit.isEmpty()) {
      return;
    }
    try {
      kafka.commitSync(commit);
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      // The spans are stored; the records come again to whoever owns the partitions, and the
      // writer skips them. Later commits cover these offsets too.
      LOG.warn("offset commit failed after a written batch; it will be replayed", e);
    }
  }

  /**
   * Waits up to {@code wait} for the lanes writing any of {@code partitions} (all lanes when null)
   * and commits what they finish.
   */
  private void awaitLanes(
      KafkaConsumer<byte[], byte[]> kafka, Collection<TopicPartition> partitions, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    drainCompletions(kafka);
    while (isWriting(partitions)) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      WriterLane.Done done;
      try {
        done = completions.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (done != null) {
        complete(kafka, done);
      }
    }
  }

  private boolean isWriting(Collection<TopicPartition> partitions) {
    for (WriterLane lane : lanes) {
      if (lane.isBusy()
          && (partitions == null || !Collections.disjoint(lane.inFlight(), partitions))) {
        return true;
      }
    }
    return false;
  }

  private static int spanCount(SpanRecordDecoder.Result result) {
    return result instanceof SpanRecordDecoder.Decoded decoded
        ? decoded.record().spans().size()
        : 0;
  }

  private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
    Header header = record.headers().lastHeader(name);
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  private Properties consumerProperties() {
    // Offsets are committed after the batch is written: a new group stores everything still in
    // the topic, so nothing acknowledged upstream is skipped.
    Properties props =
        ConsumerProperties.atLeastOnce(
            config.kafka().bootstrapServers(), config.kafka().groupId(), "cairn-storage");
    props.put(
        ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(config.kafka().maxPollRecords()));
    return props;
  }

  /**
   * Revoked partitions: their batches in flight are awaited and committed (bounded), their other
   * records dropped. Lost partitions: nothing more is committed for them. Every change of
   * assignment starts a new epoch for the partition, so a late batch is never committed.
   */
  private final class Rebalance implements ConsumerRebalanceListener {
    private final KafkaConsumer<byte[], byte[]> kafka;

    Rebalance(KafkaConsumer<byte[], byte[]> kafka) {
      this.kafka = kafka;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      awaitLanes(kafka, partitions, running ? REVOKE_WAIT : Duration.ZERO);
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition partition : partitions) {
        epochs.put(partition, ++epochCounter);
      }
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      for (TopicPartition partition : partitions) {
        epochs.remove(partition);
      }
      for (WriterLane lane : lanes) {
        lane.next().drop(partitions);
        lane.paused().removeAll(partitions);
      }
    }
  }
}
