package dev.cairn.query.transport.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.Exemplar;
import dev.cairn.model.metrics.MetricsBatch;
import dev.cairn.model.metrics.Minutes;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.metrics.SpanSeries;
import dev.cairn.query.testing.SpanMetricsFixtures;
import dev.cairn.query.testing.TestStore;
import dev.cairn.store.MetricsDelta;
import dev.cairn.store.pg.PgMetricsWriter;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The span-metric endpoints over the real TimescaleDB: deltas written with trace-store's metrics
 * writer (storage-svc's path) come back as the service graph, per-step RED figures and Prometheus
 * series. Service names are this run's own.
 */
@QuarkusTest
class MetricsApiIT {

  private static final long MS = 1_000_000L;
  private static final String RUN =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final String FRONTEND = "mit" + RUN + "-frontend";
  private static final String CHECKOUT = "mit" + RUN + "-checkout";
  private static final TraceId SLOW = SpanMetricsFixtures.SLOW;

  /** Two full minutes, ten minutes ago. */
  private static final long MINUTE =
      Minutes.of(System.currentTimeMillis() * MS) - 10 * Minutes.NANOS;

  private static PgMetricsWriter writer;

  @BeforeAll
  static void seed() {
    writer = SpanMetricsFixtures.writer(TestStore.SCHEMA);
    String topic = "metrics-api-it-" + RUN;
    // minute 1: 90 fast OK requests of 10 ms and 10 errors of 400 ms, weighted (1 span = 10)
    // minute 2: 50 OK requests of 10 ms
    writer.apply(
        topic,
        0,
        List.of(
            new MetricsDelta(0, SpanMetricsFixtures.minute(MINUTE, FRONTEND, CHECKOUT, 9, 1)),
            new MetricsDelta(
                1, SpanMetricsFixtures.minute(MINUTE + Minutes.NANOS, FRONTEND, CHECKOUT, 5, 0))));
  }

  @Test
  void dependenciesAnswerCallsErrorsAndLatencyPerEdge() {
    JsonPath json =
        given()
            .queryParam("start", iso(MINUTE))
            .queryParam("end", iso(MINUTE + 2 * Minutes.NANOS))
            .get("/api/v1/dependencies")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    List<Map<String, Object>> edges = json.getList("edges");
    Map<String, Object> edge =
        edges.stream().filter(e -> FRONTEND.equals(e.get("parent"))).findFirst().orElseThrow();
    assertThat(edge.get("child")).isEqualTo(CHECKOUT);
    assertThat(edge.get("type")).isEqualTo("request");
    assertThat(((Number) edge.get("callCount")).doubleValue()).isEqualTo(150.0);
    assertThat(((Number) edge.get("errorCount")).doubleValue()).isEqualTo(10.0);
    assertThat(((Number) edge.get("spanCount")).longValue()).isEqualTo(15);
    double p50 = json.getDouble("edges.find { it.parent == '" + FRONTEND + "' }.latency.p50");
    double p99 = json.getDouble("edges.find { it.parent == '" + FRONTEND + "' }.latency.p99");
    // within the bucket of the true value: (8.19 ms, 11.59 ms] and (362 ms, 512 ms]
    assertThat(p50).isBetween(8.19, 11.59);
    assertThat(p99).isBetween(362.0, 512.0);
    assertThat(json.getBoolean("truncated")).isFalse();
  }

  @Test
  void serviceMetricsAnswerRateErrorRateAndPercentilesPerStep() {
    JsonPath json =
        given()
            .queryParam("start", iso(MINUTE))
            .queryParam("end", iso(MINUTE + 3 * Minutes.NANOS))
            .queryParam("step", "1m")
            .get("/api/v1/services/{service}/metrics", CHECKOUT)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    assertThat(json.getLong("stepSeconds")).isEqualTo(60);
    assertThat(json.getList("points")).hasSize(3);
    assertThat(json.getDouble("points[0].requests")).isEqualTo(100.0);
    assertThat(json.getDouble("points[0].errors")).isEqualTo(10.0);
    assertThat(json.getDouble("points[0].requestRate")).isCloseTo(100.0 / 60, within(1e-6));
    assertThat(json.getDouble("points[0].errorRate")).isCloseTo(0.1, within(1e-6));
    assertThat(json.getDouble("points[0].latency.p50")).isBetween(8.19, 11.59);
    assertThat(json.getDouble("points[0].latency.p95")).isBetween(362.0, 512.0);
    assertThat(json.getDouble("points[1].requests")).isEqualTo(50.0);
    assertThat(json.getDouble("points[1].errors")).isEqualTo(0.0);
    // a minute without spans is a zero point, no percentiles
    assertThat(json.getDouble("points[2].requests")).isEqualTo(0.0);
    assertThat(json.getString("points[2].errorRate")).isNull();
    assertThat(json.getString("points[2].latency.p50")).isNull();

    JsonPath errorsOnlyOfOtherKind =
        given()
            .queryParam("start", iso(MINUTE))
            .queryParam("end", iso(MINUTE + Minutes.NANOS))
            .queryParam("spanKind", "client")
            .get("/api/v1/services/{service}/metrics", CHECKOUT)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();
    assertThat(errorsOnlyOfOtherKind.getDouble("points[0].requests")).isEqualTo(0.0);
  }

  @Test
  void prometheusSeriesOfTheLastCompleteMinuteCarryExemplars() {
    String service = "mit" + RUN + "-prom";
    for (int attempt = 0; attempt < 3; attempt++) {
      // the minute the endpoint adds first: the last one at least 2 minutes (the lag) old
      long target = Minutes.of(System.currentTimeMillis() * MS - 2 * Minutes.NANOS) - Minutes.NANOS;
      writer.apply(
          "metrics-prom-it-" + RUN,
          0,
          List.of(new MetricsDelta(attempt, promBatch(target, service))));
      String text =
          given()
              .get("/api/v1/metrics/prometheus")
              .then()
              .statusCode(200)
              .contentType("application/openmetrics-text; version=1.0.0; charset=utf-8")
              .extract()
              .asString();
      if (!text.contains(service)) {
        continue; // the minute turned between writing and scraping
      }
      String labels =
          "service=\""
              + service
              + "\",operation=\"GET /cart\",span_kind=\"SPAN_KIND_SERVER\","
              + "status_code=\"STATUS_CODE_OK\"";
      assertThat(text).contains("cairn_span_calls_total{" + labels + "} 30.0");
      assertThat(text).contains("cairn_span_duration_seconds_count{" + labels + "} 30.0");
      assertThat(text).contains("# {trace_id=\"" + SLOW.toHex() + "\",span_id=\"");
      assertThat(text).endsWith("# EOF\n");
      return;
    }
    throw new AssertionError("the Prometheus endpoint never showed " + service);
  }

  // ------------------------------------------------------------------ helpers

  private static MetricsBatch promBatch(long minute, String service) {
    SeriesAggregate aggregate =
        SeriesAggregate.builder()
            .add(10, 5 * MS, null)
            .add(20, 250 * MS, new Exemplar(SLOW, new SpanId(9), 250 * MS))
            .build();
    return new MetricsBatch(
        List.of(
            new SpanSeries(
                minute, service, "GET /cart", SpanKind.SERVER, StatusCode.OK, aggregate)),
        List.of());
  }

  private static String iso(long unixNano) {
    return Instant.ofEpochSecond(0, unixNano).toString();
  }
}
