package dev.cairn.query.transport.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import dev.cairn.query.testing.TestStore;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OpenAPI document, readiness against the real database, and per-endpoint request metrics. */
@QuarkusTest
class OperationalEndpointsIT {

  @Inject Pool pool;

  @BeforeAll
  static void schema() {
    TestStore.writer();
  }

  @Test
  void servesTheOpenApiDocument() {
    given()
        .queryParam("format", "json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body("paths.'/api/v1/traces/{traceId}'.get", notNullValue())
        .body("paths.'/api/v1/traces'.get.parameters.name", hasItem("minDuration"))
        .body("paths.'/api/v1/traces'.get.parameters.name", hasItem("tag"))
        .body("paths.'/api/v1/services'.get", notNullValue())
        .body("paths.'/api/v1/services/{service}/operations'.get", notNullValue())
        .body("components.schemas.Problem", notNullValue());
  }

  @Test
  void poolConnectionsCarryTheDefaultStatementTimeout() {
    String setting =
        pool.query("SHOW statement_timeout")
            .execute()
            .map(rows -> rows.iterator().next().getString(0))
            .await()
            .atMost(Duration.ofSeconds(30));

    assertThat(setting).isEqualTo("10s");
  }

  @Test
  void documentsTheTruncationHeadersOfTraceById() {
    given()
        .queryParam("format", "json")
        .get("/q/openapi")
        .then()
        .statusCode(200)
        .body(
            "paths.'/api/v1/traces/{traceId}'.get.responses.'200'.headers",
            hasKey("Cairn-Trace-Truncated"))
        .body(
            "paths.'/api/v1/traces/{traceId}'.get.responses.'200'.content.'application/json'.schema.properties",
            hasKey("resourceSpans"));
  }

  @Test
  void readinessReflectsTheDatabase() {
    given()
        .get("/q/health/ready")
        .then()
        .statusCode(200)
        .body("status", equalTo("UP"))
        .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
  }

  @Test
  void recordsRequestLatencyPerEndpoint() {
    given().get("/api/v1/services").then().statusCode(200);

    given()
        .get("/q/metrics")
        .then()
        .statusCode(200)
        .body(containsString("http_server_requests_seconds_count"))
        .body(containsString("uri=\"/api/v1/services\""));
  }
}
