package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.EdgeSeries;
import dev.cairn.model.metrics.EdgeType;
import dev.cairn.model.metrics.Exemplar;
import dev.cairn.model.metrics.MetricsBatch;
import dev.cairn.model.metrics.MetricsWireCodec;
import dev.cairn.model.metrics.Minutes;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.metrics.SpanSeries;
import dev.cairn.model.sampling.ConsistentSampler;
import dev.cairn.model.testing.SpanFixtures;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Span metrics to the REST API with every service a process: spans through the collector and the
 * real sampler (tail sampling at a {@value #BASE_RATE} base rate) are counted whole, dropped traces
 * too; and records published in Kafka transactions, as the sampler publishes them, are stored once
 * and answered by {@code /api/v1/dependencies} and {@code /api/v1/services/{service}/metrics}; an
 * aborted transaction never counts; storage killed and restarted re-reads nothing into the totals.
 */
class SpanMetricsE2E {

  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MS = 1_000_000L;
  private static final double BASE_RATE = 0.1;

  private static Pipeline pipeline;
  private static QueryClient query;

  @BeforeAll
  static void start() throws Exception {
    pipeline =
        Pipeline.startWithSampler(Map.of("cairn.sampler.base-rate", String.valueOf(BASE_RATE)));
    query = new QueryClient(pipeline);
  }

  @AfterAll
  static void stop() throws InterruptedException {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  void publishedDeltasAreServedOnceAcrossAStorageCrash() throws Exception {
    String client = "e2e-" + pipeline.runId + "-web";
    String server = "e2e-" + pipeline.runId + "-api";
    long minute = Minutes.of(System.currentTimeMillis() * MS) - 5 * Minutes.NANOS;
    try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
      producer.initTransactions();
      for (int i = 0; i < 5; i++) {
        publish(producer, client, server, minute, true);
      }
      publish(producer, client, server, minute, false); // aborted: never counts
    }
    String window = oneMinute(minute);

    await()
        .atMost(WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> calls(window, client) >= 50);
    assertThat(calls(window, client)).isEqualTo(50.0); // 5 deltas of 10 calls
    JsonNode point = metricsPoint(server, window);
    assertThat(point.get("requests").asDouble()).isEqualTo(50.0);
    assertThat(point.get("errors").asDouble()).isEqualTo(10.0);
    assertThat(point.get("errorRate").asDouble()).isEqualTo(0.2);

    // A crash: the consumer never committed to Kafka, the store holds the offsets.
    pipeline.storage.kill();
    pipeline.storage.restart();
    try (KafkaProducer<byte[], byte[]> producer = transactionalProducer()) {
      producer.initTransactions();
      publish(producer, client, server, minute, true);
    }
    await()
        .atMost(WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> calls(window, client) >= 60);
    Thread.sleep(1_000); // anything re-read after the restart would have landed by now
    assertThat(calls(window, client)).isEqualTo(60.0);
    assertThat(metricsPoint(server, window).get("requests").asDouble()).isEqualTo(60.0);
  }

  /**
   * Traces of a web service calling an api service, every fourth failing in the api, sent as OTLP
   * to the collector: the sampler keeps the errors and a tenth of the rest (checked in the store),
   * yet the RED counts and the edge count every request and error that was sent, exactly, since
   * spans that no head sampler saw have an adjusted count of 1.
   */
  @Test
  void theSamplersMetricsCountEveryTraceSentWhileTailSamplingKeepsFew() throws Exception {
    String web = "e2e-" + pipeline.runId + "-shop";
    String api = "e2e-" + pipeline.runId + "-stock";
    int traces = 400;
    long start = System.currentTimeMillis() * MS - 10_000 * MS;
    long minute = Minutes.of(start);
    List<Span> spans = new ArrayList<>();
    Set<String> expectedStored = new HashSet<>();
    List<String> sent = new ArrayList<>();
    ConsistentSampler baseRate = ConsistentSampler.withProbability(BASE_RATE);
    for (int i = 0; i < traces; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      boolean failing = i % 4 == 0;
      spans.addAll(webCallsApi(id, web, api, start, failing));
      sent.add(id.toHex());
      if (failing || baseRate.keeps(id, "")) {
        expectedStored.add(id.toHex());
      }
    }
    for (int i = 0; i < spans.size(); i += 300) {
      assertThat(
              OtlpHttpExport.post(pipeline, spans.subList(i, Math.min(spans.size(), i + 300)))
                  .getPartialSuccess()
                  .getRejectedSpans())
          .isZero();
    }
    String window = oneMinute(minute);

    await()
        .atMost(WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> calls(window, web) >= traces);
    assertThat(calls(window, web)).isEqualTo(traces);
    assertThat(errorsOfEdge(window, web, api)).isEqualTo(traces / 4.0);
    JsonNode apiPoint = metricsPoint(api, "spanKind=server&" + window);
    assertThat(apiPoint.get("requests").asDouble()).isEqualTo(traces);
    assertThat(apiPoint.get("errors").asDouble()).isEqualTo(traces / 4.0);
    JsonNode webPoint = metricsPoint(web, "spanKind=server&" + window);
    assertThat(webPoint.get("requests").asDouble()).isEqualTo(traces);
    assertThat(webPoint.get("errors").asDouble()).isZero();

    await()
        .atMost(WITHIN)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> StoredTraces.rows(sent).size() >= expectedStored.size());
    assertThat(StoredTraces.rows(sent).keySet())
        .as("tail sampling kept the errors and the base rate's share, nothing else")
        .containsExactlyInAnyOrderElementsOf(expectedStored)
        .hasSizeLessThan(traces / 2);
  }

  /** web's server span, its client span calling api, and api's server span (failing or not). */
  private static List<Span> webCallsApi(
      TraceId id, String web, String api, long start, boolean failing) {
    SpanId root = SpanFixtures.randomSpanId();
    SpanId call = SpanFixtures.randomSpanId();
    SpanFixtures.SpanBuilder served =
        SpanFixtures.span(id, api, "GET /stock")
            .parent(call)
            .kind(SpanKind.SERVER)
            .start(start + 2 * MS)
            .end(start + 8 * MS);
    if (failing) {
      served.error("out of stock");
    }
    return List.of(
        SpanFixtures.span(id, web, "GET /checkout")
            .spanId(root)
            .kind(SpanKind.SERVER)
            .start(start)
            .end(start + 10 * MS)
            .build(),
        SpanFixtures.span(id, web, "GET /stock")
            .spanId(call)
            .parent(root)
            .kind(SpanKind.CLIENT)
            .start(start + MS)
            .end(start + 9 * MS)
            .build(),
        served.build());
  }

  /** One delta in its own transaction: 10 calls of the edge, 8 OK and 2 ERROR server spans. */
  private static void publish(
      KafkaProducer<byte[], byte[]> producer,
      String client,
      String server,
      long minute,
      boolean commit)
      throws Exception {
    Exemplar exemplar = new Exemplar(new TraceId(7, 7), new SpanId(7), 30 * MS);
    SeriesAggregate ok = SeriesAggregate.builder().add(8, 20 * MS, exemplar).build();
    SeriesAggregate failed = SeriesAggregate.builder().add(2, 30 * MS, null).build();
    SeriesAggregate calls = SeriesAggregate.builder().merge(ok).merge(failed).build();
    producer.beginTransaction();
    producer.send(
        new ProducerRecord<>(
            pipeline.metricsTopic,
            MetricsWireCodec.key(client),
            MetricsWireCodec.encode(
                new MetricsBatch(
                    List.of(),
                    List.of(new EdgeSeries(minute, client, server, EdgeType.REQUEST, 2, calls))))));
    producer.send(
        new ProducerRecord<>(
            pipeline.metricsTopic,
            MetricsWireCodec.key(server),
            MetricsWireCodec.encode(
                new MetricsBatch(
                    List.of(
                        new SpanSeries(minute, server, "GET /", SpanKind.SERVER, StatusCode.OK, ok),
                        new SpanSeries(
                            minute, server, "GET /", SpanKind.SERVER, StatusCode.ERROR, failed)),
                    List.of()))));
    producer.flush();
    if (commit) {
      producer.commitTransaction();
    } else {
      producer.abortTransaction();
    }
  }

  private static KafkaProducer<byte[], byte[]> transactionalProducer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Pipeline.KAFKA,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG, "e2e-metrics-" + UUID.randomUUID(),
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
            ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TimeUnit.SECONDS.toMillis(30)));
  }

  /** Calls of the client's edges in the window, from /api/v1/dependencies. */
  private static double calls(String window, String client) throws Exception {
    var response = query.get("/api/v1/dependencies?" + window);
    assertThat(response.statusCode()).as(QueryClient.text(response)).isEqualTo(200);
    double calls = 0;
    for (JsonNode edge : JSON.readTree(response.body()).get("edges")) {
      if (edge.get("parent").asText().equals(client)) {
        calls += edge.get("callCount").asDouble();
      }
    }
    return calls;
  }

  /** Errors of the edge from client to server in the window, from /api/v1/dependencies. */
  private static double errorsOfEdge(String window, String client, String server) throws Exception {
    var response = query.get("/api/v1/dependencies?" + window);
    assertThat(response.statusCode()).as(QueryClient.text(response)).isEqualTo(200);
    double errors = 0;
    for (JsonNode edge : JSON.readTree(response.body()).get("edges")) {
      if (edge.get("parent").asText().equals(client) && edge.get("child").asText().equals(server)) {
        errors += edge.get("errorCount").asDouble();
      }
    }
    return errors;
  }

  /** The one point of the service's metrics; {@code query} is the rest of the query string. */
  private static JsonNode metricsPoint(String service, String query) throws Exception {
    var response =
        SpanMetricsE2E.query.get("/api/v1/services/" + service + "/metrics?step=1m&" + query);
    assertThat(response.statusCode()).as(QueryClient.text(response)).isEqualTo(200);
    JsonNode points = JSON.readTree(response.body()).get("points");
    assertThat(points).hasSize(1);
    return points.get(0);
  }

  /** The query parameters of the one minute starting at {@code minute} (epoch nanoseconds). */
  private static String oneMinute(long minute) {
    return "start="
        + encode(Instant.ofEpochSecond(0, minute))
        + "&end="
        + encode(Instant.ofEpochSecond(0, minute + Minutes.NANOS));
  }

  private static String encode(Instant instant) {
    return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
  }
}
