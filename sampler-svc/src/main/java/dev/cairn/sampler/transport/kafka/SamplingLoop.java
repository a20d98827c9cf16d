package dev.cairn.sampler.transport.kafka;

import dev.cairn.kafka.ConsumerLag;
import dev.cairn.kafka.SupervisedLoop;
import dev.cairn.model.wire.WireHeaders;
import dev.cairn.sampler.CompletedTraceObserver;
import dev.cairn.sampler.SamplingDecision;
import dev.cairn.sampler.TailSampler;
import dev.cairn.sampler.Ticker;
import dev.cairn.sampler.ledger.CommitMarker;
import dev.cairn.sampler.ledger.LogEntry;
import dev.cairn.sampler.ledger.PartitionCommit;
import dev.cairn.sampler.metrics.SamplerMetrics;
import dev.cairn.selftracing.KafkaTraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

/**
 * The Kafka side of tail sampling: poll {@code cairn.spans.ingested}, hand each record to the
 * {@link TailSampler}, and every {@code commitInterval} commit one transaction holding the records
 * decided since the last one (to {@code cairn.spans.sampled}), what the observers accumulated (e.g.
 * span metrics), the decision log entries of the traces handled, and per partition the offset of
 * its oldest undecided trace. So a killed sampler replays exactly what it had not decided and
 * publishes nothing twice: the output, the metric deltas and the offsets are committed together or
 * not at all, and the decision log tells the next owner which replayed records were handled.
 *
 * <p>Rebalances: when partitions are revoked, what is decided is committed first, then their
 * undecided traces are dropped (the new owner replays them whole from the committed offset, so a
 * partition's traces are never split between owners); when partitions are assigned, the decision
 * log entries their committed offsets point at are read first. When a rebalance makes a commit
 * fail, or partitions are lost (the group moved on without us), the open transaction is aborted and
 * the partitions still owned start over from their committed offsets, as a new owner's would. Any
 * other failure ends the loop: its {@link SupervisedLoop} starts a fresh one with new clients,
 * which resumes from the committed offsets.
 *
 * <p>Runs on one thread of its own; {@link #stop()} may be called from any thread.
 */
public final class SamplingLoop implements ConsumerRebalanceListener {

  private static final Logger LOG = Logger.getLogger(SamplingLoop.class);
  private static final byte[] LATE_SPAN_VALUE = "true".getBytes(StandardCharsets.UTF_8);

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final DecisionLogReader decisionLog;
  private final TailSampler sampler;
  private final Runnable policyRefresh;
  private final List<CompletedTraceObserver> observers;
  private final SamplerMetrics metrics;
  private final String ingestedTopic;
  private final String sampledTopic;
  private final Duration pollTimeout;
  private final long commitIntervalNanos;
  private final Ticker ticker;
  private final Tracer tracer;
  private final TailSampler.Sink sink = this::publish;
  private final Set<Integer> owned = new TreeSet<>();

  /** Per decision log partition: an offset at most that of the next record written there. */
  private final Map<Integer, Long> logEnds = new HashMap<>();

  private int logPartitions;
  private boolean inTransaction;
  private boolean dirty;
  private boolean closing;
  private long lastCommit;
  private volatile boolean running = true;
  private volatile boolean polling;

  public SamplingLoop(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      DecisionLogReader decisionLog,
      TailSampler sampler,
      Runnable policyRefresh,
      List<CompletedTraceObserver> observers,
      SamplerMetrics metrics,
      String ingestedTopic,
      String sampledTopic,
      Duration pollTimeout,
      Duration commitInterval,
      Ticker ticker,
      Tracer tracer) {
    this.consumer = consumer;
    this.producer = producer;
    this.decisionLog = decisionLog;
    this.sampler = sampler;
    this.policyRefresh = policyRefresh;
    this.observers = List.copyOf(observers);
    this.metrics = metrics;
    this.ingestedTopic = ingestedTopic;
    this.sampledTopic = sampledTopic;
    this.pollTimeout = pollTimeout;
    this.commitIntervalNanos = commitInterval.toNanos();
    this.ticker = ticker;
    this.tracer = tracer;
  }

  /**
   * Polls until {@link #stop()}, then commits what was decided; reports progress after every poll.
   * Throws whatever it cannot handle itself, with the open transaction aborted (its supervisor
   * restarts it); closes every client in any case.
   */
  public void run(SupervisedLoop.Progress progress) {
    boolean failed = true;
    try {
      open();
      try {
        while (running) {
          pollOnce();
          progress.healthy();
        }
      } catch (WakeupException e) {
        // stop() woke the consumer up: leave the loop.
      }
      commit();
      failed = false;
    } finally {
      polling = false;
      if (failed) {
        abortQuietly();
      }
      closeQuietly();
    }
  }

  /** Readies the producer for transactions and subscribes; visible for step-by-step tests. */
  void open() {
    producer.initTransactions();
    // What observers accumulated in a failed run was never committed: it will be replayed.
    observers.forEach(CompletedTraceObserver::drain);
    logPartitions = producer.partitionsFor(decisionLog.topic()).size();
    lastCommit = ticker.nanos();
    consumer.subscribe(List.of(ingestedTopic), this);
  }

  /** One poll, its records, the decisions due, and a commit when the interval passed. */
  void pollOnce() {
    ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
    polling = true;
    metrics.consumerLag(ConsumerLag.recordsBehind(consumer));
    policyRefresh.run();
    for (ConsumerRecord<byte[], byte[]> record : records) {
      // Continues Cairn's own trace of this record, when the collector started one.
      Span span =
          KafkaTraceContext.continueTrace(tracer, "sample", SpanKind.CONSUMER, record.headers());
      Object attachment = span.getSpanContext().isValid() ? span : null;
      TailSampler.Arrival arrival =
          sampler.accept(
              record.partition(), record.offset(), record.key(), record.value(), attachment, sink);
      if (arrival == TailSampler.Arrival.REJECTED || arrival == TailSampler.Arrival.REPLAYED) {
        span.setAttribute("cairn.sampling.outcome", arrival.name().toLowerCase(Locale.ROOT));
        span.end();
      }
      dirty = true;
    }
    sampler.decideDue(sink);
    metrics.buffered(sampler.bufferedTraces(), sampler.bufferedSpans(), sampler.bufferedBytes());
    if (ticker.nanos() - lastCommit >= commitIntervalNanos) {
      commit();
    }
  }

  /** A record of a decided trace: published in the open transaction when kept. */
  private void publish(
      byte[] key, SamplingDecision decision, List<byte[]> values, boolean late, Object attachment) {
    Span span = attachment instanceof Span traced ? traced : Span.getInvalid();
    span.setAttribute("cairn.sampling.outcome", decision.keep() ? "kept" : "dropped");
    span.setAttribute("cairn.sampling.reason", decision.reason());
    for (byte[] value : values) {
      ProducerRecord<byte[], byte[]> record = sampled(key, value, decision, late);
      KafkaTraceContext.inject(span, record.headers());
      begin();
      producer.send(record);
    }
    span.end();
    dirty = true;
  }

  private ProducerRecord<byte[], byte[]> sampled(
      byte[] key, byte[] value, SamplingDecision decision, boolean late) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        new RecordHeader(
            WireHeaders.RETENTION,
            decision.retention().headerValue().getBytes(StandardCharsets.UTF_8)));
    headers.add(
        new RecordHeader(
            WireHeaders.SAMPLING_REASON, decision.reason().getBytes(StandardCharsets.UTF_8)));
    if (late) {
      headers.add(new RecordHeader(WireHeaders.LATE_SPAN, LATE_SPAN_VALUE));
    }
    return new ProducerRecord<>(sampledTopic, null, key, value, headers);
  }

  /**
   * Commits one transaction: what observers accumulated, each owned partition's decision log
   * record, and its safe offset with the pointer into the log. Nothing when nothing happened since
   * the last commit.
   */
  void commit() {
    lastCommit = ticker.nanos();
    if (!dirty && !inTransaction) {
      return;
    }
    begin();
    for (CompletedTraceObserver observer : observers) {
      for (CompletedTraceObserver.OutboundRecord out : observer.drain()) {
        producer.send(new ProducerRecord<>(out.topic(), out.key(), out.value()));
      }
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    Map<Integer, Future<RecordMetadata>> logged = new HashMap<>();
    for (int partition : owned) {
      int logPartition = partition % logPartitions;
      PartitionCommit commit = sampler.commit(partition, logEnds.getOrDefault(logPartition, 0L));
      commit
          .logRecord()
          .ifPresent(
              record ->
                  logged.put(
                      logPartition,
                      producer.send(
                          new ProducerRecord<>(
                              decisionLog.topic(), logPartition, record.key(), record.encode()))));
      offsets.put(
          new TopicPartition(ingestedTopic, partition),
          new OffsetAndMetadata(
              commit.offset(), CommitMarker.format(logPartition, commit.logPointer())));
    }
    try {
      if (!offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      }
      producer.commitTransaction();
    } catch (CommitFailedException e) {
      // The group rebalanced under us: our generation may not commit. Start the partitions we
      // still own over from their committed offsets, as a new owner would.
      LOG.infof(
          "transaction aborted by a rebalance (%s); replaying from the committed offsets",
          e.getMessage());
      rollBack(Set.of());
      return;
    }
    inTransaction = false;
    dirty = false;
    metrics.committed();
    for (Map.Entry<Integer, Future<RecordMetadata>> entry : logged.entrySet()) {
      logEnds.merge(entry.getKey(), offsetOf(entry.getValue()) + 1, Math::max);
    }
  }

  /**
   * Aborts the open transaction and forgets everything since the last commit: the owned partitions
   * but {@code lost} are taken up again from their committed offsets and decision log, as a new
   * owner would.
   */
  private void rollBack(Collection<TopicPartition> lost) {
    abortQuietly();
    observers.forEach(
        CompletedTraceObserver::drain); // their deltas were in the aborted transaction
    List<TopicPartition> resume = new ArrayList<>();
    for (int partition : owned) {
      sampler.revoke(partition);
      TopicPartition topicPartition = new TopicPartition(ingestedTopic, partition);
      if (!lost.contains(topicPartition)) {
        resume.add(topicPartition);
      }
    }
    owned.clear();
    dirty = false;
    if (!resume.isEmpty()) {
      take(resume);
    }
  }

  private void begin() {
    if (!inTransaction) {
      producer.beginTransaction();
      inTransaction = true;
    }
  }

  private static long offsetOf(Future<RecordMetadata> sent) {
    try {
      return sent.get().offset(); // acknowledged: the transaction committed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted", e);
    } catch (ExecutionException e) {
      throw new KafkaException("a committed decision log record reports a failure", e.getCause());
    }
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (!closing) {
      commit(); // what is decided goes out with its offsets; the new owner replays the rest
    }
    for (TopicPartition partition : partitions) {
      sampler.revoke(partition.partition());
      owned.remove(partition.partition());
    }
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    // Our generation is gone: the open transaction cannot commit. The records it held of the
    // partitions we keep are replayed from their committed offsets.
    if (closing) {
      partitions.forEach(partition -> sampler.revoke(partition.partition()));
      return;
    }
    LOG.infof(
        "partitions lost to the group: %s; replaying the others from the committed offsets",
        partitions);
    rollBack(partitions);
  }

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    if (!partitions.isEmpty()) {
      take(partitions);
    }
  }

  /**
   * Starts on partitions at their committed offsets, with the decision log entries the commits
   * point at.
   */
  private void take(Collection<TopicPartition> partitions) {
    Map<TopicPartition, OffsetAndMetadata> committed =
        consumer.committed(new HashSet<>(partitions));
    Map<Integer, Long> readFrom = new HashMap<>();
    Set<TopicPartition> logPartitionsUsed = new HashSet<>();
    List<TopicPartition> fromStart = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset == null) {
        fromStart.add(partition);
      } else {
        consumer.seek(partition, offset.offset());
        CommitMarker.parse(offset.metadata())
            .ifPresent(
                pointer -> readFrom.merge(pointer.logPartition(), pointer.offset(), Math::min));
      }
      logPartitionsUsed.add(
          new TopicPartition(decisionLog.topic(), partition.partition() % logPartitions));
    }
    if (!fromStart.isEmpty()) {
      consumer.seekToBeginning(fromStart); // a new group starts from the oldest record
    }
    decisionLog
        .ends(logPartitionsUsed)
        .forEach((partition, end) -> logEnds.merge(partition.partition(), end, Math::max));
    Map<Integer, List<LogEntry>> entries = new HashMap<>();
    readFrom.forEach(
        (logPartition, from) -> entries.put(logPartition, decisionLog.read(logPartition, from)));
    for (TopicPartition partition : partitions) {
      int number = partition.partition();
      long start = consumer.position(partition);
      List<LogEntry> log = entries.getOrDefault(number % logPartitions, List.of());
      sampler.assign(number, start, log);
      owned.add(number);
      LOG.debugf(
          "took %s at offset %d (%d decision log entries read)", partition, start, log.size());
    }
  }

  /** True while the loop runs and its last poll succeeded. */
  public boolean isHealthy() {
    return running && polling;
  }

  public void stop() {
    running = false;
    consumer.wakeup();
  }

  private void abortQuietly() {
    if (!inTransaction) {
      return;
    }
    try {
      producer.abortTransaction();
    } catch (RuntimeException e) {
      LOG.debug("aborting the open transaction failed (the producer closes anyway)", e);
    }
    inTransaction = false;
  }

  private void closeQuietly() {
    closing = true;
    try {
      consumer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.warn("closing the Kafka consumer failed", e);
    }
    try {
      producer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.warn("closing the Kafka producer failed", e);
    }
    try {
      decisionLog.close();
    } catch (RuntimeException e) {
      LOG.warn("closing the decision log reader failed", e);
    }
  }
}
