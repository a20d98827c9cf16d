package dev.cairn.sampler.transport.kafka;

import dev.cairn.kafka.Backoff;
import dev.cairn.kafka.ConsumerLag;
import dev.cairn.kafka.SupervisedLoop;
import dev.cairn.model.wire.WireHeaders;
import dev.cairn.sampler.RecordOutcome;
import dev.cairn.sampler.RecordSampler;
import dev.cairn.sampler.metrics.SamplerMetrics;
import dev.cairn.selftracing.KafkaTraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
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
 * Consume, decide, publish, commit: one poll is one batch. Delivery is at-least-once: the batch's
 * offsets are committed only after every kept record of it was acknowledged by Kafka ({@code
 * acks=all}, idempotent producer). When publishing fails the consumer seeks back to the batch's
 * first offsets and re-reads it after a back-off, so a record is never skipped; a replay may
 * publish a record twice, which storage absorbs (its writes are idempotent). Malformed records are
 * counted and skipped like dropped ones: they are committed, never retried.
 *
 * <p>Runs on one thread of its own (Kafka consumers are single-threaded) under a {@link
 * SupervisedLoop}: an unexpected exception ends {@link #run} and the supervisor starts a fresh loop
 * with new clients, which resumes from the committed offsets. {@link #stop()} may be called from
 * any thread.
 */
public final class SamplingLoop {

  private static final Logger LOG = Logger.getLogger(SamplingLoop.class);

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final RecordSampler sampler;
  private final SamplerMetrics metrics;
  private final String ingestedTopic;
  private final String sampledTopic;
  private final Duration pollTimeout;
  private final Backoff retry;
  private final Tracer tracer;
  private volatile boolean running = true;
  private volatile boolean polling;

  public SamplingLoop(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      RecordSampler sampler,
      SamplerMetrics metrics,
      String ingestedTopic,
      String sampledTopic,
      Duration pollTimeout,
      Backoff retry,
      Tracer tracer) {
    this.consumer = consumer;
    this.producer = producer;
    this.sampler = sampler;
    this.metrics = metrics;
    this.ingestedTopic = ingestedTopic;
    this.sampledTopic = sampledTopic;
    this.pollTimeout = pollTimeout;
    this.retry = retry;
    this.tracer = tracer;
  }

  /**
   * Polls until {@link #stop()}; reports progress after every successful poll. Throws whatever it
   * cannot handle itself (its supervisor restarts it); closes both clients in any case.
   */
  public void run(SupervisedLoop.Progress progress) {
    try {
      consumer.subscribe(List.of(ingestedTopic));
      while (running) {
        pollOnce();
        if (polling) {
          progress.healthy();
        }
      }
    } catch (WakeupException e) {
      // stop() woke the consumer up: leave the loop.
    } finally {
      polling = false;
      closeQuietly();
    }
  }

  /** One poll and its batch; visible for tests that drive the loop step by step. */
  void pollOnce() {
    ConsumerRecords<byte[], byte[]> records;
    try {
      records = consumer.poll(pollTimeout);
      polling = true;
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      polling = false;
      if (retry.attempts() == 0) {
        LOG.warn("polling " + ingestedTopic + " failed; retrying with backoff", e);
      }
      sleep();
      return;
    }
    metrics.consumerLag(ConsumerLag.recordsBehind(consumer));
    if (records.isEmpty()) {
      retry.reset();
      return;
    }
    if (publish(records)) {
      commit(records);
      retry.reset();
    } else {
      metrics.publishFailed();
      rewind(records);
      sleep();
    }
  }

  /** Publishes the kept records of a batch; true when Kafka acknowledged every one of them. */
  private boolean publish(ConsumerRecords<byte[], byte[]> records) {
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    try {
      for (ConsumerRecord<byte[], byte[]> record : records) {
        // Continues Cairn's own trace of this record, when the collector started one.
        Span span =
            KafkaTraceContext.continueTrace(tracer, "sample", SpanKind.CONSUMER, record.headers());
        RecordOutcome outcome = sampler.process(record.key(), record.value());
        metrics.record(outcome);
        span.setAttribute("cairn.sampling.outcome", outcome.getClass().getSimpleName());
        if (outcome instanceof RecordOutcome.Kept kept) {
          for (byte[] value : kept.values()) {
            ProducerRecord<byte[], byte[]> sampled = toProducerRecord(kept, value);
            KafkaTraceContext.inject(span, sampled.headers());
            sends.add(producer.send(sampled));
          }
        } else if (outcome instanceof RecordOutcome.Rejected rejected) {
          LOG.debugf(
              "skipped record %s-%d@%d: %s",
              record.topic(), record.partition(), record.offset(), rejected.detail());
        }
        span.end();
      }
      producer.flush();
      for (Future<RecordMetadata> send : sends) {
        send.get();
      }
      return true;
    } catch (ExecutionException e) {
      LOG.warn("publishing to " + sampledTopic + " failed; re-reading the batch", e.getCause());
      return false;
    } catch (KafkaException e) {
      LOG.warn("publishing to " + sampledTopic + " failed; re-reading the batch", e);
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return false;
    }
  }

  private ProducerRecord<byte[], byte[]> toProducerRecord(RecordOutcome.Kept kept, byte[] value) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(
        new RecordHeader(
            WireHeaders.RETENTION,
            kept.retention().headerValue().getBytes(StandardCharsets.UTF_8)));
    headers.add(
        new RecordHeader(
            WireHeaders.SAMPLING_REASON, kept.reason().getBytes(StandardCharsets.UTF_8)));
    return new ProducerRecord<>(sampledTopic, null, kept.key(), value, headers);
  }

  private void commit(ConsumerRecords<byte[], byte[]> records) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : records.partitions()) {
      List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
      offsets.put(
          partition, new OffsetAndMetadata(inPartition.get(inPartition.size() - 1).offset() + 1));
    }
    try {
      consumer.commitSync(offsets);
    } catch (CommitFailedException e) {
      // The group rebalanced meanwhile: the new owner re-reads from the last commit
      // (at-least-once).
      LOG.warn("offset commit failed after a rebalance; records will be re-read", e);
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.warn("offset commit failed; records will be re-read", e);
      rewind(records);
    }
  }

  private void rewind(ConsumerRecords<byte[], byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      if (consumer.assignment().contains(partition)) {
        consumer.seek(partition, records.records(partition).get(0).offset());
      }
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

  private void sleep() {
    retry.sleep(() -> running);
    if (Thread.currentThread().isInterrupted()) {
      running = false;
    }
  }

  private void closeQuietly() {
    try {
      producer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.warn("closing the Kafka producer failed", e);
    }
    try {
      consumer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.warn("closing the Kafka consumer failed", e);
    }
  }
}
