package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * Span metrics from the metrics topic to the REST API with storage-svc and query-svc as processes:
 * records published in Kafka transactions, as the sampler publishes them, are stored once and
 * answered by {@code /api/v1/dependencies} and {@code /api/v1/services/{service}/metrics}; an
 * aborted transaction never counts; storage killed and restarted re-reads nothing into the totals.
 */
class SpanMetricsE2E {

  private static final Duration WITHIN = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MS = 1_000_000L;

  private static Pipeline pipeline;
  private static QueryClient query;

  @BeforeAll
  static void start() throws Exception {
    pipeline = Pipeline.start();
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
    String window =
        "start="
            + encode(Instant.ofEpochSecond(0, minute))
            + "&end="
            + encode(Instant.ofEpochSecond(0, minute + Minutes.NANOS));

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

  private static JsonNode metricsPoint(String service, String window) throws Exception {
    var response = query.get("/api/v1/services/" + service + "/metrics?step=1m&" + window);
    assertThat(response.statusCode()).as(QueryClient.text(response)).isEqualTo(200);
    JsonNode points = JSON.readTree(response.body()).get("points");
    assertThat(points).hasSize(1);
    return points.get(0);
  }

  private static String encode(Instant instant) {
    return URLEncoder.encode(instant.toString(), StandardCharsets.UTF_8);
  }
}
