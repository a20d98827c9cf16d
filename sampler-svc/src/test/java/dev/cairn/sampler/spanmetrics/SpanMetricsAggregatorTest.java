package dev.cairn.sampler.spanmetrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.model.Attribute;
import dev.cairn.model.Span;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.DurationBuckets;
import dev.cairn.model.metrics.EdgeSeries;
import dev.cairn.model.metrics.EdgeType;
import dev.cairn.model.metrics.MetricsBatch;
import dev.cairn.model.metrics.MetricsWireCodec;
import dev.cairn.model.metrics.Minutes;
import dev.cairn.model.metrics.SpanSeries;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.sampling.ConsistentSampler;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.sampler.CompletedTraceObserver.OutboundRecord;
import dev.cairn.sampler.spanmetrics.SpanMetricsCounters.SeriesFamily;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SpanMetricsAggregatorTest {

  private static final String TOPIC = "cairn.metrics";
  private static final long START = 1_764_000_000_000_000_000L;
  private static final long MS = 1_000_000L;

  private final SpanMetricsAggregator aggregator =
      new SpanMetricsAggregator(TOPIC, SpanMetricsLimits.DEFAULT, SpanMetricsCounters.NONE);

  @Test
  void redSeriesPerServiceOperationKindAndStatus() {
    TraceId id = SpanFixtures.randomTraceId();
    observe(id, SpanFixtures.threeServiceTrace(id, START));

    List<SpanSeries> series = spanSeries(aggregator.drain());

    assertThat(series).hasSize(SpanFixtures.THREE_SERVICE_SPAN_COUNT);
    SpanSeries charge = find(series, SpanFixtures.PAYMENTS, "POST /api/charge", SpanKind.SERVER);
    assertThat(charge.status()).isEqualTo(StatusCode.ERROR);
    assertThat(charge.minuteUnixNano()).isEqualTo(Minutes.of(START + 25 * MS));
    assertThat(charge.aggregate().count()).isEqualTo(1.0);
    assertThat(charge.aggregate().buckets()[DurationBuckets.indexOf(200 * MS)]).isEqualTo(1.0);
    assertThat(charge.aggregate().exemplar().orElseThrow().traceId()).isEqualTo(id);
    SpanSeries root = find(series, SpanFixtures.FRONTEND, "GET /checkout", SpanKind.SERVER);
    assertThat(root.status()).isEqualTo(StatusCode.UNSET);
    assertThat(root.aggregate().durationSumNanos())
        .isEqualTo((double) SpanFixtures.THREE_SERVICE_DURATION_NANOS);
  }

  @Test
  void countsAreWeightedByTheAdjustedCountOfHeadSampling() {
    String tenPercent = ConsistentSampler.withProbability(0.1).traceStateForKept("");
    for (int i = 0; i < 3; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      observe(id, List.of(root(id, "api", "GET /").traceState(tenPercent).build()));
    }
    TraceId unsampled = SpanFixtures.randomTraceId();
    observe(unsampled, List.of(root(unsampled, "api", "GET /").build()));

    SpanSeries series = spanSeries(aggregator.drain()).get(0);

    assertThat(series.aggregate().count()).isCloseTo(31.0, within(1e-9));
    assertThat(series.aggregate().spans()).isEqualTo(4);
    assertThat(series.aggregate().buckets()[DurationBuckets.indexOf(MS)])
        .isCloseTo(31.0, within(1e-9));
  }

  @Test
  void edgesJoinClientAndServerSpansAcrossServices() {
    TraceId id = SpanFixtures.randomTraceId();
    observe(id, SpanFixtures.threeServiceTrace(id, START));

    List<EdgeSeries> edges = edgeSeries(aggregator.drain());

    assertThat(edges)
        .extracting(EdgeSeries::client, EdgeSeries::server, EdgeSeries::type, EdgeSeries::errors)
        .containsExactlyInAnyOrder(
            tuple(SpanFixtures.FRONTEND, SpanFixtures.CHECKOUT, EdgeType.REQUEST, 0.0),
            tuple(SpanFixtures.CHECKOUT, SpanFixtures.PAYMENTS, EdgeType.REQUEST, 1.0));
    EdgeSeries toCheckout =
        edges.stream().filter(e -> e.server().equals(SpanFixtures.CHECKOUT)).findFirst().get();
    // latency is the client span's: 10 ms to 240 ms
    assertThat(toCheckout.aggregate().durationSumNanos()).isEqualTo(230.0 * MS);
    assertThat(toCheckout.minuteUnixNano()).isEqualTo(Minutes.of(START + 10 * MS));
  }

  @Test
  void clientWithoutChildIsAVirtualEdgeToItsPeerAndProducerConsumerAMessagingEdge() {
    TraceId id = SpanFixtures.randomTraceId();
    Span root = root(id, "orders", "POST /orders").build();
    Span query =
        child(id, root, "orders", "SELECT orders", SpanKind.CLIENT)
            .attributes(
                List.of(
                    Attribute.of("server.address", "db-7.internal"),
                    Attribute.of("peer.service", "orders-db")))
            .build();
    Span cache =
        child(id, root, "orders", "GET", SpanKind.CLIENT)
            .attributes(List.of(Attribute.of("server.address", "redis")))
            .error("timeout")
            .build();
    Span loopback =
        child(id, root, "orders", "self", SpanKind.CLIENT)
            .attributes(List.of(Attribute.of("peer.service", "orders")))
            .build();
    Span produce = child(id, root, "orders", "publish", SpanKind.PRODUCER).build();
    Span consume = child(id, produce, "billing", "process", SpanKind.CONSUMER).build();
    observe(id, List.of(root, query, cache, loopback, produce, consume));

    List<EdgeSeries> edges = edgeSeries(aggregator.drain());

    assertThat(edges)
        .extracting(EdgeSeries::client, EdgeSeries::server, EdgeSeries::type, EdgeSeries::errors)
        .containsExactlyInAnyOrder(
            tuple("orders", "orders-db", EdgeType.VIRTUAL, 0.0),
            tuple("orders", "redis", EdgeType.VIRTUAL, 1.0),
            tuple("orders", "billing", EdgeType.MESSAGING, 0.0));
  }

  @Test
  void aClientServerPairInsideOneServiceIsNoEdge() {
    TraceId id = SpanFixtures.randomTraceId();
    Span root = root(id, "api", "GET /").build();
    Span client =
        child(id, root, "api", "GET /internal", SpanKind.CLIENT)
            .attributes(List.of(Attribute.of("server.address", "elsewhere")))
            .build();
    Span server = child(id, client, "api", "GET /internal", SpanKind.SERVER).build();
    observe(id, List.of(root, client, server));

    assertThat(edgeSeries(aggregator.drain())).isEmpty();
  }

  @Test
  void aSpanThatArrivedTwiceCountsOnce() {
    TraceId id = SpanFixtures.randomTraceId();
    List<Span> spans = SpanFixtures.threeServiceTrace(id, START);
    aggregator.observe(
        id, List.of(OtlpSpanMapper.toTracesData(spans), OtlpSpanMapper.toTracesData(spans)));

    List<OutboundRecord> records = aggregator.drain();

    assertThat(spanSeries(records)).allSatisfy(s -> assertThat(s.aggregate().count()).isEqualTo(1));
    assertThat(edgeSeries(records)).allSatisfy(e -> assertThat(e.aggregate().count()).isEqualTo(1));
  }

  @Test
  void drainPublishesOneRecordPerServiceKeyedByItAndEmptiesTheAggregator() {
    TraceId id = SpanFixtures.randomTraceId();
    observe(id, SpanFixtures.threeServiceTrace(id, START));

    List<OutboundRecord> records = aggregator.drain();

    assertThat(records).extracting(OutboundRecord::topic).containsOnly(TOPIC);
    assertThat(records)
        .extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
        .containsExactly(SpanFixtures.CHECKOUT, SpanFixtures.FRONTEND, SpanFixtures.PAYMENTS);
    for (OutboundRecord record : records) {
      String service = new String(record.key(), StandardCharsets.UTF_8);
      MetricsBatch batch = MetricsWireCodec.decode(record.value());
      assertThat(batch.spanSeries()).extracting(SpanSeries::service).containsOnly(service);
      assertThat(batch.edgeSeries()).allSatisfy(e -> assertThat(e.client()).isEqualTo(service));
    }
    assertThat(aggregator.drain()).isEmpty();
  }

  @Test
  void aServiceWithManySeriesIsCutIntoRecordsOfBoundedSize() {
    SpanMetricsAggregator small =
        new SpanMetricsAggregator(
            TOPIC, new SpanMetricsLimits(100, 10, 7), SpanMetricsCounters.NONE);
    for (int i = 0; i < 20; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      small.observe(id, List.of(data(List.of(root(id, "api", "op-" + i).build()))));
    }

    List<OutboundRecord> records = small.drain();

    assertThat(records).hasSize(3);
    assertThat(spanSeries(records)).hasSize(20);
  }

  @Test
  void seriesBeyondTheLimitFoldIntoOverflowThenAreDroppedAndCounted() {
    Map<SeriesFamily, int[]> folded = new EnumMap<>(SeriesFamily.class);
    Map<SeriesFamily, int[]> dropped = new EnumMap<>(SeriesFamily.class);
    SpanMetricsCounters counters =
        new SpanMetricsCounters() {
          @Override
          public void folded(SeriesFamily family) {
            folded.computeIfAbsent(family, f -> new int[1])[0]++;
          }

          @Override
          public void dropped(SeriesFamily family) {
            dropped.computeIfAbsent(family, f -> new int[1])[0]++;
          }
        };
    SpanMetricsAggregator bounded =
        new SpanMetricsAggregator(TOPIC, new SpanMetricsLimits(3, 1, 500), counters);
    for (int i = 0; i < 6; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      bounded.observe(id, List.of(data(List.of(root(id, "api", "op-" + i).build()))));
    }
    TraceId errorId = SpanFixtures.randomTraceId();
    bounded.observe(
        errorId, List.of(data(List.of(root(errorId, "api", "op-x").error("boom").build()))));

    List<SpanSeries> series = spanSeries(bounded.drain());

    assertThat(series).hasSize(4);
    SpanSeries other =
        find(series, SpanMetricsAggregator.OTHER, SpanMetricsAggregator.OTHER, SpanKind.SERVER);
    assertThat(other.aggregate().count()).isEqualTo(3.0);
    assertThat(folded.get(SeriesFamily.SPAN)[0]).isEqualTo(3);
    // the ERROR span needed a second overflow series (status is part of the key): dropped
    assertThat(dropped.get(SeriesFamily.SPAN)[0]).isEqualTo(1);
  }

  // ------------------------------------------------------------------ helpers

  private void observe(TraceId id, List<Span> spans) {
    aggregator.observe(id, List.of(data(spans)));
  }

  private static TracesData data(List<Span> spans) {
    return OtlpSpanMapper.toTracesData(spans);
  }

  private static SpanFixtures.SpanBuilder root(TraceId id, String service, String name) {
    return SpanFixtures.span(id, service, name).kind(SpanKind.SERVER).start(START).end(START + MS);
  }

  private static SpanFixtures.SpanBuilder child(
      TraceId id, Span parent, String service, String name, SpanKind kind) {
    return SpanFixtures.span(id, service, name)
        .spanId(SpanFixtures.randomSpanId())
        .parent(Optional.of(parent.spanId()))
        .kind(kind)
        .start(parent.startTimeUnixNano())
        .end(parent.startTimeUnixNano() + MS / 2);
  }

  static List<SpanSeries> spanSeries(List<OutboundRecord> records) {
    List<SpanSeries> series = new ArrayList<>();
    records.forEach(r -> series.addAll(MetricsWireCodec.decode(r.value()).spanSeries()));
    return series;
  }

  static List<EdgeSeries> edgeSeries(List<OutboundRecord> records) {
    List<EdgeSeries> series = new ArrayList<>();
    records.forEach(r -> series.addAll(MetricsWireCodec.decode(r.value()).edgeSeries()));
    return series;
  }

  private static SpanSeries find(
      List<SpanSeries> series, String service, String operation, SpanKind kind) {
    return series.stream()
        .filter(s -> s.service().equals(service))
        .filter(s -> s.operation().equals(operation))
        .filter(s -> s.kind() == kind)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no series " + service + " " + operation));
  }
}
