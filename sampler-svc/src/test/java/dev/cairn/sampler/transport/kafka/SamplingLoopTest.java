package dev.cairn.sampler.transport.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.model.wire.WireHeaders;
import dev.cairn.sampler.CompletedTraceObserver;
import dev.cairn.sampler.FakeTicker;
import dev.cairn.sampler.TailSampler;
import dev.cairn.sampler.Traces;
import dev.cairn.sampler.assembly.AssemblyLimits;
import dev.cairn.sampler.ledger.CommitMarker;
import dev.cairn.sampler.ledger.DecisionLogRecord;
import dev.cairn.sampler.metrics.SamplerMetrics;
import dev.cairn.sampler.policy.PolicySettings;
import dev.cairn.selftracing.KafkaTraceContext;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.proto.trace.v1.TracesData;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The loop's contract with Kafka, on Kafka's in-memory clients: decided records, observer output,
 * the decision log and the offsets of the oldest undecided traces go in one transaction; a revoked
 * partition is committed before it is dropped; a failure aborts and ends the loop.
 */
class SamplingLoopTest {

  private static final String IN = "in";
  private static final String OUT = "out";
  private static final String LOG = "log";
  private static final TopicPartition P0 = new TopicPartition(IN, 0);
  private static final TopicPartition P1 = new TopicPartition(IN, 1);
  private static final Duration WAIT = Duration.ofSeconds(1);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SamplerMetrics metrics = new SamplerMetrics(registry);
  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final Tracer tracer =
      SdkTracerProvider.builder()
          .addSpanProcessor(SimpleSpanProcessor.create(exported))
          .build()
          .get("test");
  private final FakeTicker ticker = new FakeTicker();
  private final List<CompletedTraceObserver.OutboundRecord> observed = new ArrayList<>();
  private MockConsumer<byte[], byte[]> consumer;
  private MockConsumer<byte[], byte[]> logConsumer;
  private MockProducer<byte[], byte[]> producer;
  private SamplingLoop loop;
  private final Map<Integer, Long> nextOffsets = new java.util.HashMap<>();

  @BeforeEach
  void setUp() {
    consumer = new MockConsumer<>("earliest");
    consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    logConsumer = new MockConsumer<>("earliest");
    logConsumer.updateEndOffsets(
        Map.of(new TopicPartition(LOG, 0), 0L, new TopicPartition(LOG, 1), 0L));
    Node node = new Node(0, "localhost", 9092);
    Cluster cluster =
        new Cluster(
            "test",
            List.of(node),
            List.of(
                new PartitionInfo(LOG, 0, node, new Node[] {node}, new Node[] {node}),
                new PartitionInfo(LOG, 1, node, new Node[] {node}, new Node[] {node})),
            Set.of(),
            Set.of());
    producer =
        new MockProducer<>(
            cluster, true, null, new ByteArraySerializer(), new ByteArraySerializer());
    CompletedTraceObserver observer =
        new CompletedTraceObserver() {
          @Override
          public void observe(TraceId traceId, List<TracesData> parts) {
            observed.add(new OutboundRecord("metrics", null, traceId.toBytes()));
          }

          @Override
          public List<OutboundRecord> drain() {
            List<OutboundRecord> out = List.copyOf(observed);
            observed.clear();
            return out;
          }
        };
    TailSampler sampler =
        new TailSampler(
            IN,
            new PolicySettings(1.0, Optional.empty(), Set.of()).defaultChain(),
            List.of(observer),
            new AssemblyLimits(WAIT, Duration.ofSeconds(5), 1_000, 1_000_000, 100, 1_000_000),
            100,
            Duration.ZERO,
            TraceWireCodec.DEFAULT_MAX_RECORD_BYTES,
            ticker,
            metrics);
    loop =
        new SamplingLoop(
            consumer,
            producer,
            new DecisionLogReader(logConsumer, LOG, Duration.ofSeconds(1)),
            sampler,
            () -> {},
            List.of(observer),
            metrics,
            IN,
            OUT,
            Duration.ofMillis(1),
            Duration.ZERO,
            ticker,
            tracer);
  }

  private void add(TopicPartition partition, TraceId id, List<Span> spans) {
    consumer.addRecord(
        new ConsumerRecord<>(
            IN,
            partition.partition(),
            nextOffset(partition.partition()),
            id.toBytes(),
            Traces.record(spans)));
  }

  private long nextOffset(int partition) {
    long offset = nextOffsets.getOrDefault(partition, 0L);
    nextOffsets.put(partition, offset + 1);
    return offset;
  }

  private List<ProducerRecord<byte[], byte[]>> committed(String topic) {
    return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
  }

  private Map<TopicPartition, OffsetAndMetadata> lastOffsets() {
    List<Map<String, Map<TopicPartition, OffsetAndMetadata>>> history =
        producer.consumerGroupOffsetsHistory();
    return history.get(history.size() - 1).values().iterator().next();
  }

  @Test
  void decidedRecordsObserverOutputTheDecisionLogAndTheSafeOffsetsCommitTogether() {
    loop.open();
    consumer.rebalance(List.of(P0));
    TraceId open = SpanFixtures.randomTraceId();
    TraceId quiet = SpanFixtures.randomTraceId();
    List<Span> openSpans = Traces.normal(open, 20);
    add(P0, open, openSpans.subList(1, 2)); // offset 0: its root comes later
    add(P0, quiet, Traces.normal(quiet, 20)); // offset 1: whole
    loop.pollOnce();
    assertThat(producer.history()).isEmpty();

    ticker.advance(WAIT);
    loop.pollOnce();

    assertThat(committed(OUT))
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.key()).isEqualTo(quiet.toBytes());
              assertThat(header(record, WireHeaders.RETENTION)).isEqualTo("standard");
              assertThat(header(record, WireHeaders.SAMPLING_REASON)).isEqualTo("base_rate");
            });
    assertThat(committed("metrics"))
        .singleElement()
        .satisfies(r -> assertThat(r.value()).isEqualTo(quiet.toBytes()));
    ProducerRecord<byte[], byte[]> logged = committed(LOG).get(0);
    assertThat(logged.partition()).isZero();
    assertThat(DecisionLogRecord.decode(logged.value()).decisions()).containsOnlyKeys(quiet);
    // The open trace's first record holds the commit back; the log must be read from its entry.
    OffsetAndMetadata offset = lastOffsets().get(P0);
    assertThat(offset.offset()).isZero();
    assertThat(CommitMarker.parse(offset.metadata())).contains(new CommitMarker.LogPointer(0, 0));

    add(P0, open, openSpans.subList(0, 1)); // offset 2: the root
    ticker.advance(WAIT);
    loop.pollOnce();
    ticker.advance(WAIT);
    loop.pollOnce();

    assertThat(committed(OUT)).hasSize(3);
    assertThat(lastOffsets().get(P0).offset()).isEqualTo(3);
    assertThat(CommitMarker.parse(lastOffsets().get(P0).metadata()))
        .as("nothing left to replay")
        .isEmpty();
    assertThat(producer.transactionCommitted()).isTrue();
  }

  @Test
  void aLateKeptSpanIsMarkedLateAndTheRecordsPublishedWithTheDecisionAreNot() {
    loop.open();
    consumer.rebalance(List.of(P0));
    TraceId id = SpanFixtures.randomTraceId();
    List<Span> spans = Traces.normal(id, 20);
    add(P0, id, spans);
    loop.pollOnce();
    ticker.advance(WAIT);
    loop.pollOnce(); // decided (base rate 1.0: kept)
    Span late =
        SpanFixtures.span(id, "tail-cart", "late work").parent(spans.get(0).spanId()).build();
    add(P0, id, List.of(late)); // after the decision: late
    loop.pollOnce();
    ticker.advance(WAIT);
    loop.pollOnce();

    List<ProducerRecord<byte[], byte[]>> out = committed(OUT);
    assertThat(out).hasSize(2);
    assertThat(out.get(0).headers().lastHeader(WireHeaders.LATE_SPAN)).as("on time").isNull();
    assertThat(header(out.get(1), WireHeaders.LATE_SPAN)).isEqualTo("true");
    assertThat(header(out.get(1), WireHeaders.SAMPLING_REASON))
        .as("the decision it followed")
        .isEqualTo("base_rate");
  }

  @Test
  void aRevokedPartitionIsCommittedThenItsUndecidedTracesDropped() {
    loop.open();
    consumer.rebalance(List.of(P0, P1));
    TraceId decided = SpanFixtures.randomTraceId();
    TraceId undecided = SpanFixtures.randomTraceId();
    add(P0, decided, Traces.normal(decided, 20));
    add(P1, undecided, Traces.normal(undecided, 20).subList(1, 2));
    loop.pollOnce();
    ticker.advance(WAIT);
    loop.commit(); // nothing yet: the loop has not looked at the time since the poll

    consumer.scheduleNopPollTask();
    loop.pollOnce(); // decides the P0 trace, commits
    consumer.rebalance(List.of(P0)); // P1 goes elsewhere

    assertThat(committed(OUT)).extracting(ProducerRecord::key).containsExactly(decided.toBytes());
    assertThat(lastOffsets().get(P1).offset())
        .as("the new owner replays the undecided trace")
        .isZero();
    assertThat(registry.counter("cairn.sampler.traces.revoked").count()).isEqualTo(1.0);
    assertThat(registry.get("cairn.sampler.buffered.traces").gauge().value()).isEqualTo(1.0);
  }

  @Test
  void aCommitARebalanceRefusedIsAbortedAndThePartitionsReplayedFromTheirCommittedOffsets() {
    loop.open();
    consumer.rebalance(List.of(P0));
    TraceId id = SpanFixtures.randomTraceId();
    List<Span> spans = Traces.normal(id, 20);
    add(P0, id, spans);
    ticker.advance(WAIT);
    producer.commitTransactionException = new CommitFailedException("generation moved on");

    loop.pollOnce(); // decided and published in a transaction the broker refuses

    assertThat(producer.transactionAborted()).isTrue();
    assertThat(producer.history())
        .as("records and metric deltas went with the transaction")
        .isEmpty();
    assertThat(consumer.position(P0)).as("back at the committed offset (none: the start)").isZero();
    assertThat(loop.isHealthy()).isTrue();

    producer.commitTransactionException = null;
    consumer.addRecord(new ConsumerRecord<>(IN, 0, 0, id.toBytes(), Traces.record(spans)));
    loop.pollOnce();
    ticker.advance(WAIT);
    loop.pollOnce();
    assertThat(committed(OUT)).as("published once").hasSize(1);
    assertThat(committed("metrics")).hasSize(1);
  }

  @Test
  void aFailedCommitAbortsTheTransactionAndEndsTheLoopWithItsClientsClosed() {
    TraceId id = SpanFixtures.randomTraceId();
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(P0));
          add(P0, id, Traces.normal(id, 20));
          ticker.advance(WAIT);
        });
    producer.commitTransactionException = new KafkaException("broker gone");

    assertThatThrownBy(() -> loop.run(() -> {})).hasMessage("broker gone");
    assertThat(producer.transactionAborted()).isTrue();
    assertThat(producer.history()).isEmpty();
    assertThat(consumer.closed()).isTrue();
    assertThat(producer.closed()).isTrue();
    assertThat(logConsumer.closed()).isTrue();
    assertThat(loop.isHealthy()).isFalse();
  }

  @Test
  void stopEndsTheLoopCommitsWhatWasDecidedAndClosesTheClients() throws InterruptedException {
    TraceId id = SpanFixtures.randomTraceId();
    consumer.schedulePollTask(
        () -> {
          consumer.rebalance(List.of(P0));
          add(P0, id, Traces.normal(id, 20));
        });
    Thread thread = new Thread(() -> loop.run(() -> {}));
    thread.start();
    while (committed(OUT).isEmpty() && thread.isAlive()) {
      ticker.advance(WAIT);
      Thread.sleep(5);
    }
    loop.stop();
    thread.join(5_000);

    assertThat(thread.isAlive()).isFalse();
    assertThat(committed(OUT)).hasSize(1);
    assertThat(consumer.closed()).isTrue();
    assertThat(producer.closed()).isTrue();
  }

  @Test
  void cairnsOwnTraceOfARecordContinuesThroughTheSamplerAndOnToTheSampledRecord() {
    loop.open();
    consumer.rebalance(List.of(P0));
    io.opentelemetry.api.trace.Span ingest = tracer.spanBuilder("ingest").startSpan();
    TraceId traced = SpanFixtures.randomTraceId();
    ConsumerRecord<byte[], byte[]> record =
        new ConsumerRecord<>(
            IN, 0, nextOffset(0), traced.toBytes(), Traces.record(Traces.normal(traced, 20)));
    KafkaTraceContext.inject(ingest, record.headers());
    ingest.end();
    consumer.addRecord(record);
    TraceId untraced = SpanFixtures.randomTraceId();
    add(P0, untraced, Traces.normal(untraced, 20));
    loop.pollOnce();
    ticker.advance(WAIT);
    loop.pollOnce();

    List<SpanData> samplerSpans =
        exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals("sample")).toList();
    assertThat(samplerSpans)
        .singleElement()
        .satisfies(
            sample -> {
              assertThat(sample.getTraceId()).isEqualTo(ingest.getSpanContext().getTraceId());
              assertThat(sample.getParentSpanId()).isEqualTo(ingest.getSpanContext().getSpanId());
              assertThat(sample.getAttributes().asMap().toString()).contains("kept");
            });
    List<ProducerRecord<byte[], byte[]>> out = committed(OUT);
    assertThat(out).hasSize(2);
    ProducerRecord<byte[], byte[]> first = out.get(0);
    assertThat(first.key()).isEqualTo(traced.toBytes());
    assertThat(header(first, KafkaTraceContext.TRACEPARENT))
        .contains(samplerSpans.get(0).getSpanId());
    assertThat(out.get(1).headers().lastHeader(KafkaTraceContext.TRACEPARENT)).isNull();
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
