package dev.cairn.query.transport.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.query.testing.TestStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /api/v1/traces/{id}/view} over the real TimescaleDB: a trace written with
 * trace-store's writer comes back analysed, with the skew of a child on another host adjusted (raw
 * times kept), the critical path and the missing parent. Fresh ids per run.
 */
@QuarkusTest
class TraceViewApiIT {

  private static final long MS = 1_000_000L;

  private static TraceId traceId;
  private static SpanId root;
  private static SpanId skewed;
  private static SpanId orphan;
  private static long start;

  @BeforeAll
  static void seed() {
    traceId = SpanFixtures.randomTraceId();
    start = Instant.now().minusSeconds(600).toEpochMilli() * MS;
    Span frontend =
        SpanFixtures.span(traceId, "view-frontend", "GET /checkout")
            .kind(SpanKind.SERVER)
            .start(start)
            .end(start + 100 * MS)
            .build();
    root = frontend.spanId();
    // payments (its own host.name) has a clock 50 ms behind: it seems to start before its caller.
    Span payments =
        SpanFixtures.span(traceId, "view-payments", "charge")
            .kind(SpanKind.SERVER)
            .parent(root)
            .start(start - 30 * MS)
            .end(start + 30 * MS)
            .build();
    skewed = payments.spanId();
    Span lost =
        SpanFixtures.span(traceId, "view-frontend", "after-lost-parent")
            .parent(SpanFixtures.randomSpanId())
            .start(start + 10 * MS)
            .end(start + 20 * MS)
            .build();
    orphan = lost.spanId();
    TestStore.write(List.of(frontend, payments, lost));
  }

  private static JsonPath view(String query) {
    return given()
        .get("/api/v1/traces/{id}/view" + query, traceId.toHex())
        .then()
        .statusCode(200)
        .contentType(startsWith("application/json"))
        .extract()
        .jsonPath();
  }

  private static Map<String, Object> span(JsonPath json, SpanId id) {
    return json.getMap("spans.find { it.spanId == '" + id.toHex() + "' }");
  }

  @Test
  void theViewAdjustsAChildOnAnotherHostIntoItsParentAndKeepsTheRawTimes() {
    JsonPath json = view("");

    assertThat(json.getString("traceId")).isEqualTo(traceId.toHex());
    assertThat(json.getBoolean("clockSkewAdjusted")).isTrue();
    assertThat(json.getInt("spansReturned")).isEqualTo(3);
    Map<String, Object> payments = span(json, skewed);
    assertThat(payments.get("parentSpanId")).isEqualTo(root.toHex());
    assertThat(payments.get("parentRelation")).isEqualTo("CHILD_OF");
    assertThat(payments.get("service")).isEqualTo("view-payments");
    assertThat(payments.get("startTimeUnixNano")).isEqualTo(Long.toString(start - 30 * MS));
    // (100 - 60) / 2 = 20 ms each side.
    assertThat(payments.get("adjustedStartTimeUnixNano")).isEqualTo(Long.toString(start + 20 * MS));
    assertThat(payments.get("adjustedEndTimeUnixNano")).isEqualTo(Long.toString(start + 80 * MS));
    assertThat(
            json.getLong(
                "spans.find { it.spanId == '" + skewed.toHex() + "' }.clockSkew.appliedNanos"))
        .isEqualTo(50 * MS);
    assertThat(
            json.getString("spans.find { it.spanId == '" + skewed.toHex() + "' }.clockSkew.reason"))
        .isEqualTo("SHIFTED_INTO_PARENT");
    assertThat(
            json.getString(
                "spans.find { it.spanId == '" + skewed.toHex() + "' }.resource.'host.name'"))
        .startsWith("view-payments");
  }

  @Test
  void theViewMarksTheCriticalPathOnAdjustedTimes() {
    JsonPath json = view("");

    assertThat(json.getList("criticalPath.spanId"))
        .containsExactly(root.toHex(), skewed.toHex(), root.toHex(), orphan.toHex());
    assertThat(json.getList("criticalPath.durationNanos", Long.class))
        .containsExactly(20 * MS, 60 * MS, 20 * MS, 10 * MS);
    assertThat(span(json, skewed).get("onCriticalPath")).isEqualTo(true);
    assertThat(
            json.getLong(
                "spans.find { it.spanId == '" + root.toHex() + "' }.criticalPathSelfNanos"))
        .isEqualTo(40 * MS);
  }

  @Test
  void theViewSaysWhichParentIsMissing() {
    JsonPath json = view("");

    assertThat(json.getBoolean("completeness.rootFound")).isTrue();
    assertThat(json.getList("completeness.missingParentSpanIds")).hasSize(1);
    assertThat(json.getInt("completeness.lateSpanCount")).isZero();
    assertThat(json.getBoolean("completeness.complete")).isFalse();
    assertThat(span(json, orphan).get("parentRelation")).isEqualTo("PARENT_MISSING");
    assertThat(json.getList("spans.spanId").get(0)).isEqualTo(root.toHex());
  }

  @Test
  void rawSkipsTheAdjustment() {
    JsonPath json = view("?raw=true");

    assertThat(json.getBoolean("clockSkewAdjusted")).isFalse();
    Map<String, Object> payments = span(json, skewed);
    assertThat(payments.get("adjustedStartTimeUnixNano")).isEqualTo(Long.toString(start - 30 * MS));
  }

  @Test
  void anAbsentTraceIsAProblem404AndAMalformedIdA400() {
    given()
        .get("/api/v1/traces/{id}/view", SpanFixtures.randomTraceId().toHex())
        .then()
        .statusCode(404)
        .contentType(startsWith("application/problem+json"))
        .body("type", equalTo("https://cairn.dev/problems/trace-not-found"));
    given()
        .get("/api/v1/traces/{id}/view", "not-a-trace-id")
        .then()
        .statusCode(400)
        .contentType(startsWith("application/problem+json"));
  }

  @Test
  void theViewIsInTheOpenApiDocument() {
    given()
        .accept("application/json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(
            "paths.'/api/v1/traces/{traceId}/view'.get.summary",
            equalTo("A trace analysed for reading"));
  }
}
