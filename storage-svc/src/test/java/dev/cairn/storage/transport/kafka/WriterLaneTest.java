package dev.cairn.storage.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.selftracing.KafkaTraceContext;
import dev.cairn.storage.BatchWriter;
import dev.cairn.storage.SpanRecord;
import dev.cairn.storage.SpanRecordDecoder;
import dev.cairn.storage.StorageMetrics;
import dev.cairn.storage.StoreStatus;
import dev.cairn.storage.config.StorageConfig;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.StoreUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** Transient failures of the store and of the dead-letter topic hold the batch back, then pass. */
class WriterLaneTest {

  private static final TopicPartition P0 = new TopicPartition("sampled", 0);

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final Tracer tracer =
      SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(exported))
          .build()
          .get("test");

  private static final StorageConfig.Retry FAST_RETRY =
      new StorageConfig.Retry() {
        @Override
        public Duration initialBackoff() {
          return Duration.ofMillis(1);
        }

        @Override
        public Duration maxBackoff() {
          return Duration.ofMillis(5);
        }
      };

  /** A dead-letter topic that fails the first publishes, then acknowledges. */
  private static final class FlakyDeadLetters extends DeadLetterPublisher {
    final AtomicInteger attempts = new AtomicInteger();
    final List<DeadLetter> published = new ArrayList<>();
    private final int failures;

    FlakyDeadLetters(int failures) {
      super(
          new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
          "dead",
          Duration.ofSeconds(1));
      this.failures = failures;
    }

    @Override
    void publish(List<DeadLetter> letters) {
      if (attempts.incrementAndGet() <= failures) {
        throw new DeadLetterUnavailableException("broker unreachable", null);
      }
      published.addAll(letters);
    }
  }

  @Test
  void retriesTransientFailuresNotReadyMeanwhileAndWritesTheSpansOnce() throws Exception {
    StoreStatus status = new StoreStatus();
    status.migrated();
    status.writeFailed(1, "another lane is down"); // must stay failed: it is not ours
    AtomicInteger writes = new AtomicInteger();
    List<Boolean> healthyWhileRetrying = new ArrayList<>();
    SpanWriter store =
        (retention, spans) -> {
          if (writes.incrementAndGet() <= 2) {
            throw new StoreUnavailableException("SQLState 08006: connection lost", null);
          }
          healthyWhileRetrying.add(status.isHealthy());
        };
    FlakyDeadLetters deadLetters = new FlakyDeadLetters(2);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    WriterLane lane =
        new WriterLane(
            0,
            new BatchWriter(store),
            deadLetters,
            new StorageMetrics(registry),
            status,
            FAST_RETRY,
            () -> true,
            tracer);
    ConsumerRecord<byte[], byte[]> undecodable = consumed(1);
    ConsumerRecord<byte[], byte[]> traced = consumed(0);
    Span ingest = tracer.spanBuilder("ingest").startSpan();
    KafkaTraceContext.inject(ingest, traced.headers());
    ingest.end();
    lane.next()
        .add(
            traced,
            new SpanRecordDecoder.Decoded(
                new SpanRecord(
                    RetentionClass.STANDARD,
                    SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), 1_000L))));
    lane.next()
        .add(
            undecodable,
            new SpanRecordDecoder.Rejected(
                SpanRecordDecoder.Rejection.EMPTY, "record has no value"));
    BlockingQueue<WriterLane.Done> completions = new LinkedBlockingQueue<>();

    lane.dispatch(Map.of(P0, 1L), completions);
    WriterLane.Done done = completions.poll(30, TimeUnit.SECONDS);

    assertThat(done).isNotNull();
    assertThat(done.written()).isTrue();
    assertThat(done.nextOffsets()).isEqualTo(Map.of(P0, new OffsetAndMetadata(2)));
    assertThat(writes.get())
        .as("two failed attempts, one write; not again for the DLQ")
        .isEqualTo(3);
    assertThat(healthyWhileRetrying).containsExactly(false);
    assertThat(deadLetters.attempts.get()).isEqualTo(3);
    assertThat(deadLetters.published).extracting(DeadLetter::source).containsExactly(undecodable);
    assertThat(registry.counter("cairn.storage.records.dead.lettered", "reason", "empty").count())
        .isEqualTo(1.0);
    assertThat(status.lastFailure()).as("only this lane's failure cleared").startsWith("writer 1:");
    // Cairn's own trace of the traced record goes on through storage, retries and all; the
    // untraced record gets no span.
    List<SpanData> stored =
        exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals("store")).toList();
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).getParentSpanId()).isEqualTo(ingest.getSpanContext().getSpanId());
    assertThat(stored.get(0).getTraceId()).isEqualTo(ingest.getSpanContext().getTraceId());
    assertThat(stored.get(0).getEvents()).hasSize(4);
    lane.close(Duration.ofSeconds(1));
  }

  @Test
  void aStoppingServiceCommitsNothing() throws Exception {
    SpanWriter down =
        (retention, spans) -> {
          throw new StoreUnavailableException("down", null);
        };
    AtomicInteger checks = new AtomicInteger();
    StoreStatus status = new StoreStatus();
    status.migrated();
    WriterLane lane =
        new WriterLane(
            0,
            new BatchWriter(down),
            new FlakyDeadLetters(0),
            new StorageMetrics(new SimpleMeterRegistry()),
            status,
            FAST_RETRY,
            () -> checks.incrementAndGet() < 20,
            tracer);
    lane.next()
        .add(
            consumed(0),
            new SpanRecordDecoder.Decoded(
                new SpanRecord(
                    RetentionClass.STANDARD,
                    SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), 1_000L))));
    BlockingQueue<WriterLane.Done> completions = new LinkedBlockingQueue<>();

    lane.dispatch(Map.of(P0, 1L), completions);
    WriterLane.Done done = completions.poll(30, TimeUnit.SECONDS);

    assertThat(done).isNotNull();
    assertThat(done.written()).isFalse();
    assertThat(status.isHealthy()).isFalse();
    assertThat(status.lastFailure()).isEqualTo("writer 0: down");
    lane.close(Duration.ofSeconds(1));
  }

  private static ConsumerRecord<byte[], byte[]> consumed(long offset) {
    return new ConsumerRecord<>(P0.topic(), P0.partition(), offset, new byte[16], new byte[0]);
  }
}
