package dev.cairn.query.transport.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.cairn.model.Attribute;
import dev.cairn.model.Span;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpJson;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.query.testing.TestStore;
import dev.cairn.store.TraceReader;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.Context;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST API over the real TimescaleDB: spans written with trace-store's writer come back out of
 * {@code /api/v1} complete and unchanged, and search, paging and the catalog answer from them.
 * Every run uses fresh trace ids and service names, so earlier runs' data cannot match.
 */
@QuarkusTest
class TraceApiIT {

  private static final long MS = 1_000_000L;
  private static final String RUN =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final String PREFIX = "qit" + RUN + "-";
  private static final String FRONTEND = PREFIX + SpanFixtures.FRONTEND;
  private static final String PAYMENTS = PREFIX + SpanFixtures.PAYMENTS;
  private static final String PAGER = PREFIX + "pager";
  private static final int PAGED_TRACES = 5;

  @Inject TraceReader reader;

  private static long checkoutStart;
  private static List<Span> checkout;
  private static Span health;
  private static List<TraceId> pagedNewestFirst;

  @BeforeAll
  static void seed() {
    long now = nanos(Instant.now());
    checkoutStart = now - 10 * 60_000 * MS;
    checkout =
        TestStore.withServicePrefix(
            PREFIX, SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), checkoutStart));
    health =
        TestStore.withServicePrefix(
                PREFIX,
                List.of(
                    SpanFixtures.span(
                            SpanFixtures.randomTraceId(), SpanFixtures.FRONTEND, "GET /health")
                        .kind(SpanKind.SERVER)
                        .start(now - 9 * 60_000 * MS)
                        .end(now - 9 * 60_000 * MS + MS)
                        .attributes(List.of(Attribute.of("http.request.method", "GET")))
                        .build()))
            .get(0);
    List<Span> paged = new ArrayList<>();
    pagedNewestFirst = new ArrayList<>();
    for (int i = 0; i < PAGED_TRACES; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      long start = now - 20 * 60_000 * MS - i * 1_000 * MS;
      paged.add(SpanFixtures.span(id, PAGER, "job").start(start).end(start + 5 * MS).build());
      pagedNewestFirst.add(id);
    }
    List<Span> all = new ArrayList<>(checkout);
    all.add(health);
    all.addAll(paged);
    TestStore.write(all);
  }

  @Test
  void traceByIdReturnsEverySpanUnchangedAsOtlpJson() {
    byte[] body =
        given()
            .get("/api/v1/traces/{id}", checkout.get(0).traceId().toHex())
            .then()
            .statusCode(200)
            .contentType(startsWith("application/json"))
            .extract()
            .asByteArray();

    assertThat(OtlpSpanMapper.toSpans(OtlpJson.parseTracesData(body)))
        .containsExactlyInAnyOrderElementsOf(checkout);
  }

  @Test
  void traceByIdNamesAndEncodesFieldsAsOtlpJson() {
    JsonPath json =
        given()
            .get("/api/v1/traces/{id}", checkout.get(0).traceId().toHex())
            .then()
            .statusCode(200)
            .extract()
            .jsonPath();

    assertThat(json.getList("resourceSpans")).hasSize(3);
    Map<String, Object> root = json.getMap("resourceSpans[0].scopeSpans[0].spans[0]");
    // OTLP/JSON leaves fields with default values out (no links, no dropped counts here).
    assertThat(root)
        .containsKeys(
            "traceId",
            "spanId",
            "traceState",
            "flags",
            "name",
            "kind",
            "startTimeUnixNano",
            "endTimeUnixNano",
            "attributes",
            "events")
        .doesNotContainKeys("parentSpanId", "links", "droppedAttributesCount");
    assertThat(root.get("traceId")).isEqualTo(checkout.get(0).traceId().toHex());
    assertThat(root.get("kind")).isEqualTo(2);
    assertThat(root.get("startTimeUnixNano")).isEqualTo(Long.toString(checkoutStart));
  }

  @Test
  void aTraceWithinTheCapIsMarkedWhole() {
    given()
        .get("/api/v1/traces/{id}", checkout.get(0).traceId().toHex())
        .then()
        .statusCode(200)
        .header("Cairn-Trace-Truncated", "false")
        .header("Cairn-Trace-Spans-Returned", Integer.toString(checkout.size()))
        .header("Cairn-Trace-Span-Count", Integer.toString(checkout.size()));
  }

  /**
   * The reader Quarkus wires emits a found trace on a worker thread, where the resource prints it:
   * decoding and printing a large trace never occupy the event loop.
   */
  @Test
  void traceIsDecodedAndPrintedOffTheEventLoop() {
    String thread =
        reader
            .findTrace(checkout.get(0).traceId(), 100)
            .map(
                found ->
                    (Context.isOnEventLoopThread() ? "event loop " : "worker ")
                        + Thread.currentThread().getName())
            .await()
            .atMost(Duration.ofSeconds(30));

    assertThat(thread).startsWith("worker ").doesNotContain("eventloop");
  }

  @Test
  void traceIdsAreCaseInsensitive() {
    given()
        .get("/api/v1/traces/{id}", checkout.get(0).traceId().toHex().toUpperCase())
        .then()
        .statusCode(200)
        .body("resourceSpans.size()", equalTo(3));
  }

  @Test
  void absentTraceIsAProblem404() {
    String id = SpanFixtures.randomTraceId().toHex();
    given()
        .get("/api/v1/traces/{id}", id)
        .then()
        .statusCode(404)
        .contentType(startsWith("application/problem+json"))
        .body("status", equalTo(404))
        .body("type", equalTo("https://cairn.dev/problems/trace-not-found"))
        .body("title", equalTo("Trace not found"))
        .body("detail", equalTo("No span of trace " + id + " is stored"));
  }

  @Test
  void searchByServiceReturnsSummariesNewestFirst() {
    JsonPath json = search(given().queryParam("service", FRONTEND)).extract().jsonPath();

    assertThat(json.getList("traces.traceId"))
        .containsExactly(health.traceId().toHex(), checkout.get(0).traceId().toHex());
    assertThat(json.getString("nextCursor")).isNull();
    Map<String, Object> summary = json.getMap("traces[1]");
    assertThat(summary)
        .containsEntry("rootServiceName", FRONTEND)
        .containsEntry("rootSpanName", "GET /checkout")
        .containsEntry("startTimeUnixNano", Long.toString(checkoutStart))
        .containsEntry("spanCount", SpanFixtures.THREE_SERVICE_SPAN_COUNT)
        .containsEntry("errorCount", SpanFixtures.THREE_SERVICE_ERROR_COUNT)
        .containsEntry("services", List.of(PREFIX + "checkout", FRONTEND, PAYMENTS));
    assertThat(((Number) summary.get("durationNanos")).longValue())
        .isEqualTo(SpanFixtures.THREE_SERVICE_DURATION_NANOS);
  }

  @Test
  void searchByOperation() {
    assertThat(
            traceIds(
                given().queryParam("service", FRONTEND).queryParam("operation", "GET /health")))
        .containsExactly(health.traceId().toHex());
  }

  @Test
  void searchByTagsAndsThemAndComparesValuesAsText() {
    String checkoutId = checkout.get(0).traceId().toHex();
    assertThat(
            traceIds(
                given()
                    .queryParam("service", FRONTEND)
                    .queryParam("tag", "http.request.method:GET", "http.route:/checkout")))
        .containsExactly(checkoutId);
    assertThat(
            traceIds(
                given()
                    .queryParam("service", PAYMENTS)
                    .queryParam("tag", "payment.amount_cents:12999")))
        .containsExactly(checkoutId);
    assertThat(
            traceIds(
                given()
                    .queryParam("service", FRONTEND)
                    .queryParam("tag", "http.request.method:PUT")))
        .isEmpty();
  }

  @Test
  void searchByDuration() {
    assertThat(traceIds(given().queryParam("service", FRONTEND).queryParam("minDuration", "200ms")))
        .containsExactly(checkout.get(0).traceId().toHex());
    assertThat(traceIds(given().queryParam("service", FRONTEND).queryParam("maxDuration", "5ms")))
        .containsExactly(health.traceId().toHex());
    assertThat(
            traceIds(
                given()
                    .queryParam("service", FRONTEND)
                    .queryParam("minDuration", "2ms")
                    .queryParam("maxDuration", "100ms")))
        .isEmpty();
  }

  @Test
  void searchErrorsOnly() {
    assertThat(traceIds(given().queryParam("service", FRONTEND).queryParam("error", "true")))
        .containsExactly(checkout.get(0).traceId().toHex());
  }

  @Test
  void searchHonoursTheTimeRange() {
    assertThat(
            traceIds(
                given()
                    .queryParam("service", FRONTEND)
                    .queryParam("end", Long.toString(checkoutStart))))
        .isEmpty();
    assertThat(
            traceIds(
                given()
                    .queryParam("service", FRONTEND)
                    .queryParam("start", Instant.ofEpochSecond(0, checkoutStart).toString())
                    .queryParam("end", Long.toString(checkoutStart + 1))))
        .containsExactly(checkout.get(0).traceId().toHex());
  }

  @Test
  void pagesWithTheCursorUntilExhausted() {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      RequestSpecification request = given().queryParam("service", PAGER).queryParam("limit", 2);
      if (cursor != null) {
        request.queryParam("cursor", cursor);
      }
      JsonPath page = search(request).extract().jsonPath();
      List<String> ids = page.getList("traces.traceId");
      assertThat(ids).hasSizeLessThanOrEqualTo(2);
      seen.addAll(ids);
      cursor = page.getString("nextCursor");
      pages++;
    } while (cursor != null && pages < 10);

    assertThat(seen)
        .containsExactlyElementsOf(pagedNewestFirst.stream().map(TraceId::toHex).toList());
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void servicesListsEveryServiceSorted() {
    List<String> services =
        given().get("/api/v1/services").then().statusCode(200).extract().jsonPath().getList("$");

    // Only this run's names are compared: the database's collation, not Java's, orders the rest.
    assertThat(services.stream().filter(s -> s.startsWith(PREFIX)))
        .containsExactly(PREFIX + "checkout", FRONTEND, PAGER, PAYMENTS);
  }

  @Test
  void operationsOfAService() {
    List<Map<String, Object>> operations =
        given()
            .get("/api/v1/services/{service}/operations", FRONTEND)
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getList("$");

    assertThat(operations)
        .containsExactly(
            Map.of("name", "GET /checkout", "kind", 2),
            Map.of("name", "GET /health", "kind", 2),
            Map.of("name", "POST /api/orders", "kind", 3));
  }

  private static io.restassured.response.ValidatableResponse search(RequestSpecification request) {
    return request
        .get("/api/v1/traces")
        .then()
        .statusCode(200)
        .contentType(startsWith("application/json"));
  }

  private static List<String> traceIds(RequestSpecification request) {
    return search(request).extract().jsonPath().getList("traces.traceId");
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
