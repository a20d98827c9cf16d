package dev.cairn.query.transport.jaeger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.query.testing.TestStore;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Jaeger-compatible API over the real TimescaleDB, every endpoint as Jaeger UI and Grafana call
 * it, and hostile parameters answered with Jaeger's error shape. Fresh ids and service names per
 * run keep earlier runs' data out.
 */
@QuarkusTest
class JaegerApiIT {

  private static final String PREFIX =
      "jit" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-";
  private static final String FRONTEND = PREFIX + SpanFixtures.FRONTEND;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static List<Span> checkout;
  private static TraceId traceId;
  private static long startMicros;

  @BeforeAll
  static void seed() {
    long start = Instant.now().minusSeconds(600).toEpochMilli() * 1_000_000L;
    traceId = SpanFixtures.randomTraceId();
    checkout = TestStore.withServicePrefix(PREFIX, SpanFixtures.threeServiceTrace(traceId, start));
    TestStore.write(checkout);
    startMicros = start / 1_000;
  }

  @Test
  void servicesAndOperationsAnswerInJaegersEnvelope() {
    JsonPath services = ok(given().get("/jaeger/api/services"));
    assertThat(services.getList("data", String.class)).contains(FRONTEND);
    assertThat(services.getInt("total")).isEqualTo(services.getList("data").size());

    JsonPath names = ok(given().get("/jaeger/api/services/{s}/operations", FRONTEND));
    assertThat(names.getList("data", String.class))
        .contains("GET /checkout", "POST /api/orders")
        .doesNotHaveDuplicates();

    JsonPath servers =
        ok(
            given()
                .queryParam("service", FRONTEND)
                .queryParam("spanKind", "server")
                .get("/jaeger/api/operations"));
    assertThat(servers.getList("data", Map.class))
        .isNotEmpty()
        .allSatisfy(op -> assertThat(op.get("spanKind")).isEqualTo("server"))
        .anySatisfy(op -> assertThat(op.get("name")).isEqualTo("GET /checkout"));
  }

  @Test
  void traceByIdHasJaegersStructureWithEverySpan() throws IOException {
    byte[] body =
        given()
            .get("/jaeger/api/traces/{id}", traceId.toHex())
            .then()
            .statusCode(200)
            .extract()
            .asByteArray();
    JsonNode answer = JSON.readTree(body);
    JsonNode trace = answer.get("data").get(0);

    assertThat(trace.get("traceID").asText()).isEqualTo(traceId.toHex());
    assertThat(trace.get("spans")).hasSize(checkout.size());
    assertThat(trace.get("processes").size()).isEqualTo(3);
    JsonNode fixture = JSON.readTree(resource("otlp2jaeger-out.json"));
    assertThat(fieldNames(answer)).isEqualTo(fieldNames(fixture));
    assertThat(fieldNames(trace.get("spans").get(0)))
        .isEqualTo(fieldNames(fixture.get("data").get(0).get("spans").get(0)));
    // Adjusted and raw agree while no read-time adjustment applies to this trace.
    JsonNode raw =
        JSON.readTree(
            given()
                .queryParam("raw", "true")
                .get("/jaeger/api/traces/{id}", traceId.toHex())
                .then()
                .statusCode(200)
                .extract()
                .asByteArray());
    assertThat(raw.get("data").get(0).get("spans")).hasSize(checkout.size());
  }

  @Test
  void searchFindsTheTraceWithGrafanasParameters() {
    JsonPath found =
        ok(
            given()
                .queryParam("service", FRONTEND)
                .queryParam("operation", "GET /checkout")
                .queryParam("tags", "{\"http.request.method\":\"GET\"}")
                .queryParam("minDuration", "1ms")
                .queryParam("start", startMicros - 60_000_000L)
                .queryParam("end", startMicros + 60_000_000L)
                .queryParam("limit", 20)
                .queryParam("lookback", "custom")
                .get("/jaeger/api/traces"));
    assertThat(found.getList("data.traceID", String.class)).containsExactly(traceId.toHex());
    assertThat(found.getList("data[0].spans")).hasSize(checkout.size());

    JsonPath none =
        ok(
            given()
                .queryParam("service", FRONTEND)
                .queryParam("tag", "http.request.method:DELETE")
                .queryParam("lookback", "1h")
                .get("/jaeger/api/traces"));
    assertThat(none.getList("data")).isEmpty();
  }

  @Test
  void searchByTraceIdsReportsTheMissingOnesInErrors() {
    String missing = SpanFixtures.randomTraceId().toHex();
    JsonPath answer =
        ok(
            given()
                .queryParam("traceID", traceId.toHex())
                .queryParam("traceID", missing)
                .get("/jaeger/api/traces"));
    assertThat(answer.getList("data.traceID", String.class)).containsExactly(traceId.toHex());
    assertThat(answer.getString("errors[0].traceID")).isEqualTo(missing);
    assertThat(answer.getString("errors[0].msg")).isEqualTo("trace not found");
  }

  @Test
  void dependenciesAnswerALinkList() {
    JsonPath answer =
        ok(
            given()
                .queryParam("endTs", System.currentTimeMillis())
                .queryParam("lookback", 3_600_000)
                .get("/jaeger/api/dependencies"));
    assertThat(answer.getList("data")).isNotNull();
    answer
        .getList("data", Map.class)
        .forEach(link -> assertThat(link).containsOnlyKeys("parent", "child", "callCount"));
  }

  @Test
  void anAbsentTraceIs404InJaegersErrorShape() {
    JsonPath error =
        given()
            .get("/jaeger/api/traces/{id}", SpanFixtures.randomTraceId().toHex())
            .then()
            .statusCode(404)
            .contentType("application/json")
            .extract()
            .jsonPath();
    assertThat(error.getInt("errors[0].code")).isEqualTo(404);
    assertThat(error.getString("errors[0].msg")).isEqualTo("trace not found");
  }

  @Test
  void hostileParametersAre400InJaegersErrorShape() {
    assertBadRequest("/jaeger/api/traces?start=abc", "start");
    assertBadRequest("/jaeger/api/traces?tags=%7Bnot-json", "tags");
    assertBadRequest("/jaeger/api/traces?service=x%27%3B%20DROP%20TABLE%20spans%3B--", "service");
    assertBadRequest("/jaeger/api/traces?minDuration=5", "minDuration");
    assertBadRequest("/jaeger/api/traces?limit=-1", "limit");
    assertBadRequest("/jaeger/api/traces?operation=a%00b", "operation");
    assertBadRequest("/jaeger/api/traces?union=select", "union");
    assertBadRequest("/jaeger/api/traces/zz-not-hex", "traceID");
    assertBadRequest("/jaeger/api/operations?spanKind=server", "service");
    assertBadRequest("/jaeger/api/operations?service=x&spanKind=sideways", "spanKind");
    assertBadRequest("/jaeger/api/dependencies?lookback=-1", "lookback");
    assertBadRequest("/jaeger/api/dependencies?endTs=99999999999999999999", "endTs");
  }

  private static void assertBadRequest(String url, String parameter) {
    JsonPath error =
        given()
            .urlEncodingEnabled(false)
            .get(url)
            .then()
            .statusCode(400)
            .contentType("application/json")
            .extract()
            .jsonPath();
    assertThat(error.getInt("errors[0].code")).as(url).isEqualTo(400);
    assertThat(error.getString("errors[0].msg")).as(url).startsWith(parameter + ":");
    assertThat(error.getList("data")).as(url).isNull();
  }

  private static JsonPath ok(io.restassured.response.Response response) {
    return response.then().statusCode(200).contentType("application/json").extract().jsonPath();
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new java.util.TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = JaegerApiIT.class.getResourceAsStream("/jaeger/" + name)) {
      return in.readAllBytes();
    }
  }
}
