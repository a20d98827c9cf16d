package dev.cairn.sampler.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.kafka.Backoff;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.model.wire.WireHeaders;
import dev.cairn.sampler.ProbabilisticPolicy;
import dev.cairn.sampler.RecordSampler;
import dev.cairn.sampler.metrics.SamplerMetrics;
import dev.cairn.selftracing.KafkaTraceContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NetworkException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The loop's delivery contract with Kafka's in-memory clients: commit only after the acks. */
class SamplingLoopTest {

  private static final String IN = "in";
  private static final String OUT = "out";
  private static final TopicPartition P0 = new TopicPartition(IN, 0);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final Tracer tracer =
      SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(exported))
          .build()
          .get("test");
  private MockConsumer<byte[], byte[]> consumer;
  private FailingProducer producer;
  private SamplingLoop loop;

  /** Fails the first pending send of the next flush, as a broker outage would. */
  static final class FailingProducer extends MockProducer<byte[], byte[]> {
    boolean failNextFlush;

    FailingProducer() {
      super(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public synchronized void flush() {
      if (failNextFlush) {
        failNextFlush = false;
        errorNext(new NetworkException("broker unreachable"));
      }
      super.flush();
    }
  }

  @BeforeEach
  void setUp() {
    consumer = new MockConsumer<>("earliest");
    producer = new FailingProducer();
    SamplerMetrics metrics = new SamplerMetrics(registry);
    loop =
        new SamplingLoop(
            consumer,
            producer,
            new RecordSampler(new ProbabilisticPolicy(1.0)),
            metrics,
            IN,
            OUT,
            Duration.ofMillis(10),
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)),
            tracer);
    consumer.subscribe(List.of(IN));
    consumer.rebalance(List.of(P0));
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
  }

  private void addRecords() {
    addRecordsFrom(0);
  }

  /** Three good records from {@code first} on, then a malformed one. */
  private void addRecordsFrom(int first) {
    for (int offset = first; offset < first + 3; offset++) {
      TraceId id = new TraceId(7, offset + 1);
      byte[] value =
          TraceWireCodec.encode(
              OtlpSpanMapper.toTracesData(SpanFixtures.threeServiceTrace(id, 1L)));
      consumer.addRecord(new ConsumerRecord<>(IN, 0, offset, id.toBytes(), value));
    }
    // A malformed record between good ones: counted, skipped, committed.
    consumer.addRecord(new ConsumerRecord<>(IN, 0, first + 3, new byte[] {1}, new byte[] {2}));
  }

  private Map<TopicPartition, OffsetAndMetadata> committed() {
    return consumer.committed(Set.of(P0));
  }

  @Test
  void commitsAfterEveryKeptRecordIsAcknowledged() {
    addRecords();
    loop.pollOnce();

    assertThat(producer.history()).hasSize(3);
    ProducerRecord<byte[], byte[]> first = producer.history().get(0);
    assertThat(first.topic()).isEqualTo(OUT);
    assertThat(first.key()).isEqualTo(new TraceId(7, 1).toBytes());
    assertThat(
            new String(
                first.headers().lastHeader(WireHeaders.RETENTION).value(), StandardCharsets.UTF_8))
        .isEqualTo("standard");
    assertThat(
            new String(
                first.headers().lastHeader(WireHeaders.SAMPLING_REASON).value(),
                StandardCharsets.UTF_8))
        .isEqualTo("probabilistic");
    assertThat(committed().get(P0).offset()).isEqualTo(4);
    assertThat(registry.counter("cairn.sampler.records.rejected", "reason", "invalid_key").count())
        .isEqualTo(1.0);
    assertThat(registry.counter("cairn.sampler.spans.kept").count()).isEqualTo(15.0);
  }

  @Test
  void cairnsOwnTraceOfARecordContinuesThroughTheSamplerAndOnToTheSampledRecord() {
    Span ingest = tracer.spanBuilder("ingest").startSpan();
    TraceId id = new TraceId(9, 9);
    ConsumerRecord<byte[], byte[]> traced =
        new ConsumerRecord<>(
            IN,
            0,
            0,
            id.toBytes(),
            TraceWireCodec.encode(
                OtlpSpanMapper.toTracesData(SpanFixtures.threeServiceTrace(id, 1L))));
    KafkaTraceContext.inject(ingest, traced.headers());
    ingest.end();
    consumer.addRecord(traced);
    addRecordsFrom(1); // untraced neighbours

    loop.pollOnce();

    List<SpanData> samplerSpans =
        exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals("sample")).toList();
    assertThat(samplerSpans).hasSize(1);
    SpanData sample = samplerSpans.get(0);
    assertThat(sample.getTraceId()).isEqualTo(ingest.getSpanContext().getTraceId());
    assertThat(sample.getParentSpanId()).isEqualTo(ingest.getSpanContext().getSpanId());
    String traceparent =
        new String(
            producer.history().get(0).headers().lastHeader(KafkaTraceContext.TRACEPARENT).value(),
            StandardCharsets.UTF_8);
    assertThat(traceparent).contains(sample.getTraceId()).contains(sample.getSpanId());
    // Records that came without context go on without one: the sampler starts no trace.
    assertThat(producer.history().subList(1, producer.history().size()))
        .allSatisfy(
            record ->
                assertThat(record.headers().lastHeader(KafkaTraceContext.TRACEPARENT)).isNull());
  }

  @Test
  void aFailedPublishCommitsNothingAndReReadsTheBatch() {
    addRecords();
    producer.failNextFlush = true;
    loop.pollOnce();

    assertThat(committed().get(P0)).isNull();
    assertThat(consumer.position(P0)).isZero();
    assertThat(registry.counter("cairn.sampler.publish.failures").count()).isEqualTo(1.0);

    // The broker is back: the same records come again and are committed this time.
    addRecords();
    loop.pollOnce();
    assertThat(committed().get(P0).offset()).isEqualTo(4);
  }

  @Test
  void anUnexpectedFailureEscapesToTheSupervisorWithTheClientsClosed() {
    SamplingLoop failing =
        new SamplingLoop(
            consumer,
            producer,
            new RecordSampler(
                trace -> {
                  throw new IllegalStateException("policy bug");
                }),
            new SamplerMetrics(registry),
            IN,
            OUT,
            Duration.ofMillis(10),
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(1)),
            tracer);
    addRecords();

    assertThatThrownBy(() -> failing.run(() -> {})).hasMessage("policy bug");
    assertThat(consumer.closed()).isTrue();
    assertThat(producer.closed()).isTrue();
    assertThat(producer.history()).isEmpty();
    assertThat(failing.isHealthy()).isFalse();
  }

  @Test
  void stopEndsTheLoopAndClosesTheClients() throws InterruptedException {
    Thread thread = new Thread(() -> loop.run(() -> {}));
    thread.start();
    loop.stop();
    thread.join(5_000);
    assertThat(thread.isAlive()).isFalse();
    assertThat(consumer.closed()).isTrue();
    assertThat(producer.closed()).isTrue();
  }
}
