package dev.cairn.query.transport.graphql;

import static dev.cairn.query.testing.SpanMetricsFixtures.ERROR_BUCKET_HIGH_MS;
import static dev.cairn.query.testing.SpanMetricsFixtures.ERROR_BUCKET_LOW_MS;
import static dev.cairn.query.testing.SpanMetricsFixtures.OK_BUCKET_HIGH_MS;
import static dev.cairn.query.testing.SpanMetricsFixtures.OK_BUCKET_LOW_MS;
import static dev.cairn.query.testing.SpanMetricsFixtures.OPERATION;
import static dev.cairn.query.testing.SpanMetricsFixtures.minute;
import static dev.cairn.query.transport.graphql.GraphQLClient.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.metrics.Minutes;
import dev.cairn.query.testing.SpanMetricsFixtures;
import dev.cairn.query.testing.TestStore;
import dev.cairn.store.MetricsDelta;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GraphQL's span-metric fields over aggregates stored with trace-store's metrics writer: the
 * figures come out exactly as stored (weighted by adjusted count), per step, filtered by operation
 * and span kind, and equal to REST's for the same window. Service names are this run's own.
 */
@QuarkusTest
class GraphQLMetricsIT {

  private static final long MS = 1_000_000L;
  private static final String RUN =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final String FRONTEND = "gqlm" + RUN + "-frontend";
  private static final String CHECKOUT = "gqlm" + RUN + "-checkout";

  /**
   * Three whole minutes, twenty minutes ago: minute 1 has errors, minute 2 none, minute 3 no data.
   */
  private static final long MINUTE =
      Minutes.of(System.currentTimeMillis() * MS) - 20 * Minutes.NANOS;

  private static final JsonPathConfig DOUBLES =
      JsonPathConfig.jsonPathConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE);

  @BeforeAll
  static void seed() {
    SpanMetricsFixtures.writer(TestStore.SCHEMA)
        .apply(
            "graphql-metrics-it-" + RUN,
            0,
            List.of(
                // 9 OK + 1 error spans, each for 10: 100 requests, 10 errors
                new MetricsDelta(0, minute(MINUTE, FRONTEND, CHECKOUT, 9, 1)),
                // 5 OK spans: 50 requests
                new MetricsDelta(1, minute(MINUTE + Minutes.NANOS, FRONTEND, CHECKOUT, 5, 0))));
  }

  @Test
  void serviceMetricsAnswerTheStoredFiguresPerStep() {
    JsonPath json =
        exact(
            """
            { serviceMetrics(service: "%s", from: "%s", to: "%s", step: "1m") {
                service operation spanKind start end stepSeconds
                points { start requests errors requestRate errorRate spanCount
                         latency { p50 p95 p99 } } } }
            """
                .formatted(CHECKOUT, iso(MINUTE), iso(MINUTE + 3 * Minutes.NANOS)));

    assertThat(json.getList("errors")).isNull();
    String m = "data.serviceMetrics.";
    assertThat(json.getString(m + "service")).isEqualTo(CHECKOUT);
    assertThat(json.getString(m + "operation")).isNull();
    assertThat(json.getString(m + "spanKind")).isNull();
    assertThat(Instant.parse(json.getString(m + "start"))).isEqualTo(instant(MINUTE));
    assertThat(Instant.parse(json.getString(m + "end")))
        .isEqualTo(instant(MINUTE + 3 * Minutes.NANOS));
    assertThat(json.getLong(m + "stepSeconds")).isEqualTo(60);
    assertThat(json.getList(m + "points")).hasSize(3);
    assertThat(json.getList(m + "points.start", String.class).stream().map(Instant::parse))
        .containsExactly(
            instant(MINUTE), instant(MINUTE + Minutes.NANOS), instant(MINUTE + 2 * Minutes.NANOS));

    String first = m + "points[0].";
    assertThat(json.getDouble(first + "requests")).isEqualTo(100.0);
    assertThat(json.getDouble(first + "errors")).isEqualTo(10.0);
    assertThat(json.getDouble(first + "requestRate")).isEqualTo(100.0 / 60);
    assertThat(json.getDouble(first + "errorRate")).isEqualTo(0.1);
    assertThat(json.getLong(first + "spanCount")).isEqualTo(10);
    assertThat(json.getDouble(first + "latency.p50"))
        .isBetween(OK_BUCKET_LOW_MS, OK_BUCKET_HIGH_MS);
    assertThat(json.getDouble(first + "latency.p95"))
        .isBetween(ERROR_BUCKET_LOW_MS, ERROR_BUCKET_HIGH_MS);
    assertThat(json.getDouble(first + "latency.p99"))
        .isBetween(ERROR_BUCKET_LOW_MS, ERROR_BUCKET_HIGH_MS);

    String second = m + "points[1].";
    assertThat(json.getDouble(second + "requests")).isEqualTo(50.0);
    assertThat(json.getDouble(second + "errors")).isEqualTo(0.0);
    assertThat(json.getDouble(second + "requestRate")).isEqualTo(50.0 / 60);
    assertThat(json.getDouble(second + "errorRate")).isEqualTo(0.0);
    assertThat(json.getLong(second + "spanCount")).isEqualTo(5);
    // only fast spans: every percentile in the fast bucket
    assertThat(json.getDouble(second + "latency.p99"))
        .isBetween(OK_BUCKET_LOW_MS, OK_BUCKET_HIGH_MS);

    String empty = m + "points[2].";
    assertThat(json.getDouble(empty + "requests")).isEqualTo(0.0);
    assertThat(json.getLong(empty + "spanCount")).isZero();
    assertThat(json.getString(empty + "errorRate")).isNull();
    assertThat(json.getMap(empty + "latency"))
        .containsEntry("p50", null)
        .containsEntry("p95", null)
        .containsEntry("p99", null);
  }

  @Test
  void serviceMetricsAreTheFiguresRestAnswers() {
    Map<String, Object> graphql =
        exact(
                """
                { serviceMetrics(service: "%s", from: "%s", to: "%s", step: "1m") {
                    points { requests errors requestRate errorRate spanCount
                             latency { p50 p95 p99 } } } }
                """
                    .formatted(CHECKOUT, iso(MINUTE), iso(MINUTE + 3 * Minutes.NANOS)))
            .getMap("data.serviceMetrics");
    JsonPath rest =
        given()
            .queryParam("start", iso(MINUTE))
            .queryParam("end", iso(MINUTE + 3 * Minutes.NANOS))
            .queryParam("step", "1m")
            .get("/api/v1/services/{service}/metrics", CHECKOUT)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .using(DOUBLES);

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> points = (List<Map<String, Object>>) graphql.get("points");
    assertThat(points).hasSize(3);
    for (int i = 0; i < points.size(); i++) {
      Map<String, Object> restPoint = rest.getMap("points[" + i + "]");
      for (String figure : List.of("requests", "errors", "requestRate", "errorRate", "latency")) {
        assertThat(number(points.get(i).get(figure)))
            .as("point %d %s", i, figure)
            .isEqualTo(number(restPoint.get(figure)));
      }
      assertThat(number(points.get(i).get("spanCount")))
          .isEqualTo(number(restPoint.get("spanCount")));
    }
  }

  @Test
  void serviceMetricsFilterByOperationAndSpanKind() {
    String query =
        """
        { serviceMetrics(service: "%s", from: "%s", to: "%s", step: "1m"%s) {
            operation spanKind points { requests errors } } }
        """;
    JsonPath byOperation =
        post(
            query.formatted(
                CHECKOUT,
                iso(MINUTE),
                iso(MINUTE + Minutes.NANOS),
                ", operation: \"" + OPERATION + "\", spanKind: \"server\""));
    JsonPath otherOperation =
        post(
            query.formatted(
                CHECKOUT, iso(MINUTE), iso(MINUTE + Minutes.NANOS), ", operation: \"GET /none\""));
    JsonPath otherKind =
        post(
            query.formatted(
                CHECKOUT, iso(MINUTE), iso(MINUTE + Minutes.NANOS), ", spanKind: \"client\""));

    assertThat(byOperation.getList("errors")).isNull();
    assertThat(byOperation.getString("data.serviceMetrics.operation")).isEqualTo(OPERATION);
    assertThat(byOperation.getString("data.serviceMetrics.spanKind")).isEqualTo("SERVER");
    assertThat(byOperation.getList("data.serviceMetrics.points.requests", Double.class))
        .containsExactly(100.0);
    assertThat(byOperation.getList("data.serviceMetrics.points.errors", Double.class))
        .containsExactly(10.0);
    assertThat(otherOperation.getList("data.serviceMetrics.points.requests", Double.class))
        .containsExactly(0.0);
    assertThat(otherKind.getList("data.serviceMetrics.points.requests", Double.class))
        .containsExactly(0.0);
  }

  @Test
  void dependenciesAnswerTheStoredEdgeAsRestDoes() {
    String from = iso(MINUTE);
    String to = iso(MINUTE + 2 * Minutes.NANOS);
    JsonPath json =
        exact(
            """
            { dependencies(from: "%s", to: "%s") { start end truncated
                edges { parent child type callCount errorCount spanCount
                        latency { p50 p95 p99 } } } }
            """
                .formatted(from, to));

    assertThat(json.getList("errors")).isNull();
    assertThat(json.getBoolean("data.dependencies.truncated")).isFalse();
    assertThat(Instant.parse(json.getString("data.dependencies.start"))).isEqualTo(instant(MINUTE));
    List<Map<String, Object>> edges = json.getList("data.dependencies.edges");
    Map<String, Object> edge =
        edges.stream().filter(e -> FRONTEND.equals(e.get("parent"))).findFirst().orElseThrow();
    assertThat(edge)
        .containsEntry("child", CHECKOUT)
        .containsEntry("type", "request")
        .containsEntry("spanCount", 15);
    assertThat(asDouble(edge.get("callCount"))).isEqualTo(150.0);
    assertThat(asDouble(edge.get("errorCount"))).isEqualTo(10.0);
    @SuppressWarnings("unchecked")
    Map<String, Object> latency = (Map<String, Object>) edge.get("latency");
    assertThat(asDouble(latency.get("p50"))).isBetween(OK_BUCKET_LOW_MS, OK_BUCKET_HIGH_MS);
    assertThat(asDouble(latency.get("p99"))).isBetween(ERROR_BUCKET_LOW_MS, ERROR_BUCKET_HIGH_MS);

    Map<String, Object> restEdge =
        given()
            .queryParam("start", from)
            .queryParam("end", to)
            .get("/api/v1/dependencies")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .using(DOUBLES)
            .getMap("edges.find { it.parent == '" + FRONTEND + "' }");
    for (String figure : List.of("callCount", "errorCount", "spanCount", "latency")) {
      assertThat(number(edge.get(figure))).as(figure).isEqualTo(number(restEdge.get(figure)));
    }
  }

  /** GraphQL's answer with numbers read as doubles (JsonPath's default, float, rounds them). */
  private static JsonPath exact(String query) {
    return new JsonPath(GraphQLClient.body(query)).using(DOUBLES);
  }

  /** JSON numbers as doubles (one side may print 150, the other 150.0), maps value by value. */
  private static Object number(Object value) {
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    if (value instanceof Map<?, ?> map) {
      Map<Object, Object> numbers = new HashMap<>();
      map.forEach((k, v) -> numbers.put(k, number(v)));
      return numbers;
    }
    return value;
  }

  private static double asDouble(Object value) {
    return ((Number) value).doubleValue();
  }

  private static Instant instant(long unixNano) {
    return Instant.ofEpochSecond(0, unixNano);
  }

  private static String iso(long unixNano) {
    return instant(unixNano).toString();
  }
}
