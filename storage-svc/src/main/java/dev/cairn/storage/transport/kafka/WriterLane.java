package dev.cairn.storage.transport.kafka;

import dev.cairn.kafka.Backoff;
import dev.cairn.selftracing.KafkaTraceContext;
import dev.cairn.storage.BatchWriter;
import dev.cairn.storage.StorageMetrics;
import dev.cairn.storage.StoreStatus;
import dev.cairn.storage.config.StorageConfig;
import dev.cairn.storage.retention.RetentionWindow;
import dev.cairn.store.StoreUnavailableException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Headers;
import org.jboss.logging.Logger;

/**
 * One writer: a thread and (through {@link BatchWriter}) one database connection at a time, writing
 * the batches of the partitions mapped to it, one batch at a time and in order. While it writes,
 * the polling thread fills its next batch ({@link #next()}), so decoding and the database overlap,
 * and several lanes write at once.
 *
 * <p>Only the polling thread calls {@link #dispatch}, {@link #next()} and {@link #isBusy()}; the
 * lane hands each finished batch back through the completion queue, where the polling thread
 * commits its offsets. A batch the store cannot take for now ({@code StoreFailure.TRANSIENT}) is
 * retried here, in memory, with backoff until it is written (the writer is idempotent) or the
 * service stops: nothing of it is committed before, and the lane takes no other batch meanwhile, so
 * memory stays bounded by two batches per lane. Records that cannot be stored at all (undecodable,
 * or refused by the store and isolated by {@link BatchWriter}'s bisection) go to the dead-letter
 * topic; the batch counts as done only once they are acknowledged there.
 */
final class WriterLane {

  private static final Logger LOG = Logger.getLogger(WriterLane.class);

  /**
   * A batch handed back by a lane.
   *
   * @param epochs per partition of the batch, the assignment epoch when it was dispatched: offsets
   *     are committed only for partitions still assigned in that same epoch
   * @param written false when the service stopped before the batch was durable (commit nothing)
   */
  record Done(
      WriterLane lane,
      Map<TopicPartition, OffsetAndMetadata> nextOffsets,
      Map<TopicPartition, Long> epochs,
      boolean written) {}

  private final int index;
  private final Tracer tracer;
  private final BatchWriter writer;
  private final DeadLetterPublisher deadLetterPublisher;
  private final StorageMetrics metrics;
  private final StoreStatus status;
  private final StorageConfig.Retry retry;
  private final BooleanSupplier running;
  private final ExecutorService thread;

  /** Polling thread only. */
  private PendingBatch next = new PendingBatch();

  private final Set<TopicPartition> paused = new HashSet<>();
  private Set<TopicPartition> inFlight = Set.of();

  WriterLane(
      int index,
      BatchWriter writer,
      DeadLetterPublisher deadLetterPublisher,
      StorageMetrics metrics,
      StoreStatus status,
      StorageConfig.Retry retry,
      BooleanSupplier running,
      Tracer tracer) {
    this.index = index;
    this.tracer = tracer;
    this.writer = writer;
    this.deadLetterPublisher = deadLetterPublisher;
    this.metrics = metrics;
    this.status = status;
    this.retry = retry;
    this.running = running;
    this.thread =
        Executors.newSingleThreadExecutor(
            task -> {
              Thread t = new Thread(task, "cairn-storage-writer-" + index);
              t.setDaemon(true);
              return t;
            });
  }

  /** The batch being filled for this lane. */
  PendingBatch next() {
    return next;
  }

  /** Partitions paused because the next batch is full while the lane writes. */
  Set<TopicPartition> paused() {
    return paused;
  }

  boolean isBusy() {
    return !inFlight.isEmpty();
  }

  /** Partitions of the batch being written (empty when idle). */
  Set<TopicPartition> inFlight() {
    return inFlight;
  }

  /**
   * Starts writing the next batch (which must not be empty) and begins a new one. Call only when
   * the lane is not busy.
   */
  void dispatch(Map<TopicPartition, Long> epochs, BlockingQueue<Done> completions) {
    PendingBatch batch = next;
    next = new PendingBatch();
    inFlight = batch.partitions();
    Map<TopicPartition, OffsetAndMetadata> offsets = batch.nextOffsets();
    thread.execute(
        () -> completions.add(new Done(this, offsets, epochs, writeUntilDurable(batch))));
  }

  /** Polling thread: the lane's batch came back. */
  void finished() {
    inFlight = Set.of();
  }

  /**
   * Writes the batch, then publishes what cannot be stored to the dead-letter topic; true once both
   * are durable, false if the service stopped before. A transient failure of either step is retried
   * with backoff (the lane reports not ready meanwhile); spans already written are not written
   * again.
   */
  private boolean writeUntilDurable(PendingBatch batch) {
    List<Span> traced = continueTraces(batch);
    boolean durable = false;
    try {
      durable = writeUntilDurable(batch, traced);
      return durable;
    } finally {
      for (Span span : traced) {
        if (!durable) {
          span.setStatus(StatusCode.ERROR, "service stopped before the batch was durable");
        }
        span.end();
      }
    }
  }

  /**
   * Cairn's own traces of the batch's records, for those whose record carries one (self-tracing):
   * one span per traced record, from the start of the write until the batch is durable.
   */
  private List<Span> continueTraces(PendingBatch batch) {
    List<Span> spans = new ArrayList<>(0);
    for (Headers headers : batch.headers()) {
      Span span = KafkaTraceContext.continueTrace(tracer, "store", SpanKind.CONSUMER, headers);
      if (span.getSpanContext().isValid()) {
        span.setAttribute("cairn.batch.spans", (long) batch.spans());
        span.setAttribute("cairn.writer", (long) index);
        spans.add(span);
      }
    }
    return spans;
  }

  private boolean writeUntilDurable(PendingBatch batch, List<Span> traced) {
    Backoff backoff = new Backoff(retry.initialBackoff(), retry.maxBackoff());
    List<DeadLetter> deadLetters = null;
    while (running.getAsBoolean()) {
      try {
        if (deadLetters == null) {
          long began = System.nanoTime();
          BatchWriter.Outcome outcome = writer.write(batch.records());
          metrics.batchWritten(outcome.spansWritten(), Duration.ofNanos(System.nanoTime() - began));
          metrics.spansRefused(RetentionWindow.EXPIRED, outcome.expired());
          deadLetters = batch.deadLetters(outcome.refused(), outcome.expiredRecords());
        }
        if (!deadLetters.isEmpty()) {
          deadLetterPublisher.publish(deadLetters);
          deadLetters.forEach(letter -> metrics.deadLettered(letter.reason()));
          LOG.warnf(
              "writer %d: %d records moved to %s, first: %s at %s-%d@%d",
              index,
              deadLetters.size(),
              deadLetterPublisher.topic(),
              DeadLetterPublisher.reason(deadLetters.get(0)),
              deadLetters.get(0).source().topic(),
              deadLetters.get(0).source().partition(),
              deadLetters.get(0).source().offset());
        }
        if (backoff.attempts() > 0) {
          LOG.infof("writer %d: recovered after %d failed attempts", index, backoff.attempts());
        }
        status.writeSucceeded(index);
        return true;
      } catch (StoreUnavailableException | DeadLetterUnavailableException e) {
        traced.forEach(span -> span.addEvent("retry: " + e.getMessage()));
        failed(backoff, e, "retrying with backoff");
      } catch (RuntimeException e) {
        // Not a known failure mode: retry all the same, never lose the batch.
        failed(backoff, e, "unexpected failure; retrying with backoff");
      }
    }
    return false;
  }

  private void failed(Backoff backoff, RuntimeException e, String what) {
    metrics.batchFailed();
    status.writeFailed(index, String.valueOf(e.getMessage()));
    if (backoff.attempts() == 0) {
      LOG.errorf(e, "writer %d: %s", index, what);
    }
    backoff.sleep(running);
  }

  /** Stops the thread after the batch in flight (which gives up once the service stops). */
  void close(Duration wait) throws InterruptedException {
    thread.shutdown();
    thread.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS);
  }
}
