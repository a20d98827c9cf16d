package dev.cairn.query.transport.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.query.testing.BoundedReadsProfile;
import dev.cairn.query.testing.TestStore;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every connection of the service's pool carries the configured statement_timeout, and a query the
 * database cancels for it is answered 503 with a problem body, not a hung request. The query is
 * made to wait honestly: another session holds a lock on the table it reads, and PostgreSQL counts
 * lock waits against statement_timeout.
 */
@QuarkusTest
@TestProfile(BoundedReadsProfile.class)
class StatementTimeoutIT {

  private static final int CLIENT_TIMEOUT_MILLIS = 30_000;

  @Inject Pool pool;

  @BeforeAll
  static void schema() {
    TestStore.writer(BoundedReadsProfile.SCHEMA);
  }

  @Test
  void everyConnectionCarriesTheConfiguredTimeout() {
    String setting =
        pool.query("SHOW statement_timeout")
            .execute()
            .map(rows -> rows.iterator().next().getString(0))
            .await()
            .atMost(Duration.ofSeconds(30));

    assertThat(setting).isEqualTo(BoundedReadsProfile.STATEMENT_TIMEOUT.toSeconds() + "s");
  }

  @Test
  void aTraceReadWaitingPastTheTimeoutIsA503Problem() throws SQLException {
    TraceId id = SpanFixtures.randomTraceId();
    expectTimeoutProblem(() -> impatient().get("/api/v1/traces/{id}", id.toHex()).then());
  }

  @Test
  void aSearchWaitingPastTheTimeoutIsA503Problem() throws SQLException {
    expectTimeoutProblem(() -> impatient().get("/api/v1/traces").then());
  }

  /** Without a statement timeout the request would hang on the lock: fail instead. */
  private static RequestSpecification impatient() {
    return given()
        .config(
            RestAssured.config()
                .httpClient(
                    HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", CLIENT_TIMEOUT_MILLIS)));
  }

  private static void expectTimeoutProblem(Supplier<ValidatableResponse> request)
      throws SQLException {
    try (Connection locker = TestStore.dataSource(BoundedReadsProfile.SCHEMA).getConnection();
        Statement statement = locker.createStatement()) {
      locker.setAutoCommit(false);
      statement.execute(
          "LOCK TABLE trace_summaries_standard, trace_summaries_extended IN ACCESS EXCLUSIVE MODE");
      try {
        request
            .get()
            .statusCode(503)
            .contentType(startsWith("application/problem+json"))
            .header("Retry-After", notNullValue())
            .body("type", equalTo("https://cairn.dev/problems/query-timeout"))
            .body("title", equalTo("Query timed out"))
            .body("status", equalTo(503))
            .body("detail", containsString("statement timeout"));
      } finally {
        locker.rollback();
      }
    }
  }
}
