package dev.cairn.collector.transport.kafka;

import dev.cairn.collector.ingest.PublishFailedException;
import dev.cairn.collector.ingest.SpanPublisher;
import dev.cairn.model.wire.TracePart;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.selftracing.KafkaTraceContext;
import io.opentelemetry.api.trace.Span;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.jboss.logging.Logger;

/**
 * Publishes trace parts with a plain {@link Producer}, one record per part (a trace split into
 * several parts gets several records of the same key, sent in order), and completes when Kafka
 * acknowledged them all. A failure is classified retryable or not by {@link KafkaFailures}.
 *
 * <p>Why a plain producer rather than SmallRye Reactive Messaging: the gateway must answer each
 * request only after each of its records is acknowledged, and must turn a broker outage into a
 * prompt, retryable error. The producer's per-record callback gives exactly that, and its bounds
 * ({@code max.block.ms}, {@code delivery.timeout.ms}) are the whole timeout story; an emitter would
 * add a channel buffer and its own overflow and failure strategies between the request and the
 * acknowledgement.
 */
public final class KafkaSpanPublisher implements SpanPublisher {

  private static final Logger LOG = Logger.getLogger(KafkaSpanPublisher.class);

  private final Producer<byte[], byte[]> producer;
  private final String topic;

  public KafkaSpanPublisher(Producer<byte[], byte[]> producer, String topic) {
    this.producer = producer;
    this.topic = topic;
  }

  public String topic() {
    return topic;
  }

  @Override
  public CompletionStage<Void> publish(List<TracePart> parts) {
    CompletableFuture<Void> all = new CompletableFuture<>();
    AtomicInteger pending = new AtomicInteger(parts.size());
    for (TracePart part : parts) {
      ProducerRecord<byte[], byte[]> record =
          new ProducerRecord<>(
              topic, TraceWireCodec.key(part.traceId()), TraceWireCodec.encode(part.data()));
      // The ingest span of Cairn's own trace, when it traces itself (TracedSpanPublisher).
      KafkaTraceContext.inject(Span.current(), record.headers());
      try {
        producer.send(
            record,
            (metadata, error) -> {
              if (error != null) {
                fail(all, error);
              } else if (pending.decrementAndGet() == 0) {
                all.complete(null);
              }
            });
      } catch (KafkaException | IllegalStateException e) {
        fail(all, e);
      }
      // A send that already failed (metadata not available within max.block.ms, producer closed)
      // fails the request: sending the remaining parts would only wait max.block.ms each again.
      if (all.isCompletedExceptionally()) {
        break;
      }
    }
    return all;
  }

  private void fail(CompletableFuture<Void> all, Throwable error) {
    boolean retryable = KafkaFailures.isRetryable(error);
    PublishFailedException failure =
        new PublishFailedException(
            (retryable
                    ? "Kafka did not acknowledge spans for topic "
                    : "Kafka refused spans for topic ")
                + topic
                + ": "
                + error.getMessage(),
            error,
            retryable);
    if (all.completeExceptionally(failure)) {
      LOG.warnf(
          error,
          "publishing to %s failed; %s",
          topic,
          retryable ? "the client is asked to retry" : "the client is told not to retry");
    }
  }

  /** Sends what is buffered, waiting at most {@code timeout}. */
  public void close(Duration timeout) {
    producer.close(timeout);
  }
}
