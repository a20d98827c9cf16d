package dev.cairn.query.transport.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile and malformed parameters get 400 with an RFC 9457 body naming the parameter and the
 * reason, against the running service and its real database: never a 500, never a query.
 */
@QuarkusTest
class HostileParametersIT {

  static Stream<Arguments> hostileSearches() {
    return Stream.of(
        search("service", "service", "x' OR '1'='1"),
        search("service", "service", "frontend; DROP TABLE spans_standard; --"),
        search("service", "service", "s".repeat(300)),
        search("operation", "operation", "GET /\u0000"),
        search("operation", "operation", "o".repeat(600)),
        search("tag", "tag", "http.method' OR 1=1 --:GET"),
        search("tag", "tag", "no-colon"),
        search("tag", "tag", "k:" + "v".repeat(1100)),
        search("tag", "tag", Collections.nCopies(17, "k:v").toArray()),
        search("limit", "limit", "100000"),
        search("limit", "limit", "0"),
        search("limit", "limit", "-5"),
        search("limit", "limit", "99999999999999999999999"),
        search("limit", "limit", "1 OR 1=1"),
        search("minDuration", "minDuration", "5"),
        search("minDuration", "minDuration", "-3ms"),
        search("maxDuration", "maxDuration", "1000000000000h"),
        search("start", "start", "yesterday"),
        search("end", "end", "2026-13-45T00:00:00Z"),
        search("start", "start", "1970-01-01T00:00:00Z"),
        search("start", "start", "0"),
        search("error", "error", "maybe"),
        search("cursor", "cursor", "%%%garbage"),
        search("cursor", "cursor", "A".repeat(500)),
        search("service", "service", "a", "b"),
        search("sort", "sort", "asc"));
  }

  @ParameterizedTest
  @MethodSource("hostileSearches")
  void hostileSearchIsRefusedWithAReason(String parameter, String expected, Object[] values) {
    RequestSpecification request = given().queryParam(parameter, values);
    expectProblem(request.get("/api/v1/traces").then(), expected);
  }

  static Stream<String> malformedTraceIds() {
    return Stream.of(
        "zzz",
        "00000000000000000000000000000000",
        "4bf92f3577b34da6a3ce929d0e0e47361",
        "4bf92f3577b34da6a3ce929d0e0e473g",
        "' OR 1=1 --",
        "1".repeat(2000));
  }

  @ParameterizedTest
  @MethodSource("malformedTraceIds")
  void malformedTraceIdIsRefused(String traceId) {
    expectProblem(given().get("/api/v1/traces/{id}", traceId).then(), "traceId");
  }

  @ParameterizedTest
  @MethodSource("hostileServices")
  void hostileServiceInPathIsRefused(String service) {
    expectProblem(given().get("/api/v1/services/{s}/operations", service).then(), "service");
  }

  static List<String> hostileServices() {
    return List.of("x'; DROP TABLE operations; --", "a\"b", "s".repeat(300));
  }

  static Stream<Arguments> hostileMetricQueries() {
    return Stream.of(
        Arguments.of(
            "/api/v1/dependencies", "start", new Object[] {"start", "1970-01-01T00:00:00Z"}),
        Arguments.of("/api/v1/dependencies", "service", new Object[] {"service", "x"}),
        Arguments.of("/api/v1/dependencies", "end", new Object[] {"end", "tomorrow"}),
        Arguments.of("/api/v1/services/api/metrics", "step", new Object[] {"step", "30s"}),
        Arguments.of("/api/v1/services/api/metrics", "step", new Object[] {"step", "1 OR 1=1"}),
        Arguments.of(
            "/api/v1/services/api/metrics", "step", new Object[] {"step", "1000000000000h"}),
        Arguments.of(
            "/api/v1/services/api/metrics",
            "step",
            new Object[] {
              "step", "1m", "start", "2026-01-01T00:00:00Z", "end", "2026-01-30T00:00:00Z"
            }),
        Arguments.of("/api/v1/services/api/metrics", "spanKind", new Object[] {"spanKind", "'--"}),
        Arguments.of(
            "/api/v1/services/api/metrics", "operation", new Object[] {"operation", "a\u0000"}),
        Arguments.of("/api/v1/services/api/metrics", "limit", new Object[] {"limit", "5"}));
  }

  @ParameterizedTest
  @MethodSource("hostileMetricQueries")
  void hostileMetricQueryIsRefusedWithAReason(String path, String expected, Object[] pairs) {
    RequestSpecification request = given();
    for (int i = 0; i < pairs.length; i += 2) {
      request = request.queryParam((String) pairs[i], pairs[i + 1]);
    }
    expectProblem(request.get(path).then(), expected);
  }

  @ParameterizedTest
  @MethodSource("hostileServices")
  void hostileServiceInMetricsPathIsRefused(String service) {
    expectProblem(given().get("/api/v1/services/{s}/metrics", service).then(), "service");
  }

  @org.junit.jupiter.api.Test
  void unknownPathIsAProblem404() {
    given()
        .get("/api/v1/nothing-here")
        .then()
        .statusCode(404)
        .contentType(startsWith("application/problem+json"))
        .body("status", equalTo(404))
        .body("title", not(emptyOrNullString()));
  }

  @org.junit.jupiter.api.Test
  void wrongMethodIsAProblem405() {
    given()
        .delete("/api/v1/traces")
        .then()
        .statusCode(405)
        .contentType(startsWith("application/problem+json"))
        .body("status", equalTo(405));
  }

  private static Arguments search(String parameter, String expected, Object... values) {
    return Arguments.of(parameter, expected, values);
  }

  private static void expectProblem(
      io.restassured.response.ValidatableResponse response, String parameter) {
    response
        .statusCode(400)
        .contentType(startsWith("application/problem+json"))
        .body("type", equalTo("https://cairn.dev/problems/invalid-parameter"))
        .body("title", equalTo("Invalid request parameter"))
        .body("status", equalTo(400))
        .body("parameter", equalTo(parameter))
        .body("detail", startsWith(parameter + ": "));
  }
}
