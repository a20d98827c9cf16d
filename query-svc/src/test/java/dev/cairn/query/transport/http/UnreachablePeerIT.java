package dev.cairn.query.transport.http;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.query.testing.Browser;
import dev.cairn.query.testing.TestStore;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URL;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * This query-svc with a peer region, {@code down}, whose endpoint refuses connections: every answer
 * is this region's, 200, and names {@code down} as missing, on REST, in the web UI and in the
 * metric; a peer's request ({@code cairn-federation: local}) is not fanned out at all.
 * (FederationE2E in e2e runs two real regions.)
 */
@QuarkusTest
@TestProfile(UnreachablePeerIT.PeerDown.class)
class UnreachablePeerIT {

  private static final long MS = 1_000_000L;
  private static final String SERVICE =
      "fed" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-shop";

  /** A peer at a loopback port nobody listens on. */
  public static final class PeerDown implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of(
          "cairn.query.region",
          "here",
          "cairn.query.federation.peers.down.url",
          "http://127.0.0.1:" + closedPort());
    }

    private static int closedPort() {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static TraceId stored;

  @TestHTTPResource("/")
  URL root;

  @BeforeAll
  static void seed() {
    stored = SpanFixtures.randomTraceId();
    long start = (Instant.now().toEpochMilli() - 60_000) * MS;
    TestStore.write(
        TestStore.withServicePrefix(SERVICE + "-", SpanFixtures.threeServiceTrace(stored, start)));
  }

  @Test
  void searchAndTraceAnswerFromThisRegionAndNameTheMissingOne() {
    given()
        .queryParam("service", SERVICE + "-" + SpanFixtures.FRONTEND)
        .get("/api/v1/traces")
        .then()
        .statusCode(200)
        .body("traces.traceId", contains(stored.toHex()))
        .body("missingRegions", contains("down"));
    given()
        .get("/api/v1/traces/" + stored.toHex() + "/view")
        .then()
        .statusCode(200)
        .body("missingRegions", contains("down"));
    given()
        .get("/api/v1/traces/" + stored.toHex())
        .then()
        .statusCode(200)
        .header(TraceResource.MISSING_REGIONS_HEADER, "down");
    given()
        .get("/api/v1/traces/" + SpanFixtures.randomTraceId().toHex())
        .then()
        .statusCode(404)
        .body("detail", containsString("down did not answer"));
    given()
        .get("/api/v1/services")
        .then()
        .statusCode(200)
        .header(TraceResource.MISSING_REGIONS_HEADER, "down")
        .body("$", hasItem(SERVICE + "-" + SpanFixtures.FRONTEND));
    given()
        .get("/api/v1/services/" + SERVICE + "-" + SpanFixtures.FRONTEND + "/operations")
        .then()
        .statusCode(200)
        .header(TraceResource.MISSING_REGIONS_HEADER, "down");
    given()
        .get("/jaeger/api/services")
        .then()
        .statusCode(200)
        .body("data", hasItem(SERVICE + "-" + SpanFixtures.FRONTEND))
        .body("errors[0].msg", containsString("region down did not answer"));
    given()
        .contentType("application/json")
        .body(Map.of("query", "{ services }"))
        .post("/graphql")
        .then()
        .statusCode(200)
        .body("data.services", hasItem(SERVICE + "-" + SpanFixtures.FRONTEND))
        .body("errors[0].message", containsString("down did not answer"));
  }

  @Test
  void graphQlNamesTheMissingRegionWhereATraceMightBe() {
    String query = "{ trace(id: \"%s\") { traceId missingRegions } }";
    given()
        .contentType("application/json")
        .body(Map.of("query", query.formatted(stored.toHex())))
        .post("/graphql")
        .then()
        .statusCode(200)
        .body("data.trace.traceId", equalTo(stored.toHex()))
        .body("data.trace.missingRegions", contains("down"));
    String absent = SpanFixtures.randomTraceId().toHex();
    given()
        .contentType("application/json")
        .body(Map.of("query", query.formatted(absent)))
        .post("/graphql")
        .then()
        .statusCode(200)
        .body("data.trace", nullValue())
        .body("errors[0].message", containsString(absent))
        .body("errors[0].message", containsString("down did not answer"));
  }

  @Test
  void aPeersRequestIsAnsweredLocallyWithoutFanningOut() {
    given()
        .header("cairn-federation", "local")
        .queryParam("service", SERVICE + "-" + SpanFixtures.FRONTEND)
        .get("/api/v1/traces")
        .then()
        .statusCode(200)
        .body("traces.traceId", contains(stored.toHex()))
        .body("missingRegions", empty());
    given()
        .header("cairn-federation", "everywhere")
        .get("/api/v1/traces")
        .then()
        .statusCode(400)
        .body("parameter", equalTo("cairn-federation"));
  }

  @Test
  void theFailuresAreCountedByRegionAndReason() {
    given().get("/api/v1/traces/" + stored.toHex()).then().statusCode(200);
    String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
    double unreachable =
        metrics
            .lines()
            .filter(l -> l.startsWith("cairn_query_federation_peer_failures_total{"))
            .filter(l -> l.contains("reason=\"unreachable\"") && l.contains("region=\"down\""))
            .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
            .sum();
    assertThat(unreachable).isGreaterThanOrEqualTo(1);
    assertThat(metrics).contains("reason=\"timeout\"");
  }

  @Test
  void theWebUiSaysWhichRegionDidNotAnswer() {
    try (Browser browser = new Browser(root.toString())) {
      browser.open("/search?service=" + SERVICE + "-" + SpanFixtures.FRONTEND);
      browser.waitForAll("#results li.result", 1);
      assertThat(browser.waitFor("#search-warnings").getText())
          .contains("Region down did not answer");

      browser.open("/trace/" + stored.toHex());
      assertThat(browser.waitFor("#trace-warnings").getText())
          .contains("Region down did not answer");
    }
  }
}
