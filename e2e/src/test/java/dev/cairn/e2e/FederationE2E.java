package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.model.Span;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two regions, each a query-svc process over its own store (a schema of its own in the test
 * database, written through trace-store's writer as storage-svc writes), each the other's peer. A
 * trace stored only in b is found through a, a trace whose spans are split between the regions
 * comes back whole, search pages through both in the global order; a's own store stuck (its tables
 * locked past its statement timeout) leaves b's answer naming a; then b hangs (SIGSTOP) and is
 * killed: a answers from its own data, 200, with missingRegions [b], on REST, GraphQL and the
 * Jaeger API, and counts the failures by reason.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FederationE2E {

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The peer timeout of both regions: short, so that the hung-region step is quick, yet with room
   * for a loaded CI machine (the regions are warmed up first: a cold peer's first answer can take
   * longer, and would rightly be reported missing).
   */
  private static final String PEER_TIMEOUT = "3s";

  private static final long MS = 1_000_000L;

  /** Newest first, as search orders them: b's and a's traces interleave; the split one is last. */
  private final List<TraceId> newestFirst = new ArrayList<>();

  private TwoRegions regions;
  private TraceId onlyInA;
  private TraceId onlyInB;
  private TraceId split;
  private ServiceProcess a;
  private ServiceProcess b;

  @BeforeAll
  void startTwoRegions() throws Exception {
    regions = new TwoRegions();
    long now = Instant.now().minusSeconds(60).toEpochMilli() * MS;
    // Six single-region traces, a second apart, alternating b, a, b, a, ... (newest first).
    for (int i = 0; i < 6; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      boolean inB = i % 2 == 0;
      long start = now - i * 1000 * MS;
      TwoRegions.write(
          inB ? regions.storeB : regions.storeA,
          TwoRegions.root(id, inB ? "shop-b" : "shop-a", start, start + 50 * MS));
      newestFirst.add(id);
    }
    onlyInB = newestFirst.get(0);
    onlyInA = newestFirst.get(1);
    // A trace that crossed regions: its root in a, a child (another service) in b.
    split = SpanFixtures.randomTraceId();
    Span splitRoot = TwoRegions.root(split, "gateway-a", now - 10_000 * MS, now - 9_000 * MS);
    TwoRegions.write(regions.storeA, splitRoot);
    TwoRegions.write(
        regions.storeB,
        SpanFixtures.span(
            split,
            SpanFixtures.randomSpanId(),
            Optional.of(splitRoot.spanId()),
            "billing-b",
            "charge",
            SpanKind.SERVER,
            now - 9_800 * MS,
            now - 9_200 * MS));
    newestFirst.add(split);

    regions.start(PEER_TIMEOUT);
    a = regions.a();
    b = regions.b();
    for (ServiceProcess region : List.of(a, b)) {
      // Each region's own read paths once (pool connections, classes, JIT), as a peer calls them.
      for (String path :
          List.of(
              "/api/v1/traces?limit=1",
              "/api/v1/traces/" + split.toHex(),
              "/api/v1/traces/" + split.toHex() + "/view",
              "/api/v1/services")) {
        TwoRegions.HTTP.send(
            TwoRegions.request(region, path).header("cairn-federation", "local").build(),
            HttpResponse.BodyHandlers.discarding());
      }
    }
  }

  @AfterAll
  void stopAndDropSchemas() throws Exception {
    if (regions != null) {
      regions.close();
    }
  }

  @Test
  @Order(1)
  void aTraceStoredOnlyInTheOtherRegionIsFoundThroughEither() throws Exception {
    HttpResponse<byte[]> viaA = TwoRegions.get(a, "/api/v1/traces/" + onlyInB.toHex() + "/view");
    assertThat(viaA.statusCode()).as(QueryClient.text(viaA)).isEqualTo(200);
    JsonNode view = JSON.readTree(viaA.body());
    assertThat(view.get("spans")).hasSize(1);
    assertThat(view.get("missingRegions")).isEmpty();

    HttpResponse<byte[]> otlpViaB = TwoRegions.get(b, "/api/v1/traces/" + onlyInA.toHex());
    assertThat(otlpViaB.statusCode()).as(QueryClient.text(otlpViaB)).isEqualTo(200);
    assertThat(otlpViaB.headers().firstValue("Cairn-Missing-Regions")).isEmpty();
  }

  @Test
  @Order(2)
  void aPeersRequestIsAnsweredFromItsOwnRegionOnly() throws Exception {
    HttpResponse<byte[]> local =
        TwoRegions.HTTP.send(
            TwoRegions.request(b, "/api/v1/traces/" + onlyInA.toHex())
                .header("cairn-federation", "local")
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(local.statusCode()).as(QueryClient.text(local)).isEqualTo(404);
  }

  @Test
  @Order(3)
  void aTraceSplitBetweenRegionsComesBackWhole() throws Exception {
    for (ServiceProcess region : List.of(a, b)) {
      HttpResponse<byte[]> response =
          TwoRegions.get(region, "/api/v1/traces/" + split.toHex() + "/view");
      assertThat(response.statusCode()).as(QueryClient.text(response)).isEqualTo(200);
      JsonNode view = JSON.readTree(response.body());
      assertThat(view.get("spans")).hasSize(2);
      assertThat(view.get("spans").get(0).get("service").asText()).isEqualTo("gateway-a");
      assertThat(view.get("spans").get(1).get("parentRelation").asText()).isEqualTo("CHILD_OF");
      assertThat(view.get("completeness").get("complete").asBoolean()).isTrue();
    }
  }

  @Test
  @Order(4)
  void searchPagesThroughBothRegionsInTheGlobalOrder() throws Exception {
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page = search(a, 2, cursor);
      assertThat(page.get("missingRegions")).isEmpty();
      assertThat(page.get("traces").size()).isLessThanOrEqualTo(2);
      page.get("traces").forEach(t -> seen.add(t.get("traceId").asText()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
      assertThat(++pages).isLessThan(20);
    } while (cursor != null);

    assertThat(seen).containsExactlyElementsOf(newestFirst.stream().map(TraceId::toHex).toList());
    JsonNode splitSummary = search(a, 20, null).get("traces").get(6);
    assertThat(splitSummary.get("spanCount").asInt()).isEqualTo(2);
    assertThat(splitSummary.get("services"))
        .extracting(JsonNode::asText)
        .containsExactly("billing-b", "gateway-a");
  }

  @Test
  @Order(5)
  void aRegionWhoseOwnStoreIsStuckAnswersFromItsPeerNamingItself() throws Exception {
    try (Connection store = regions.connectionTo(a);
        Statement statement = store.createStatement()) {
      // a's reads wait on the lock until its statement timeout: a stuck database, not a dead peer.
      store.setAutoCommit(false);
      statement.execute(
          "LOCK TABLE trace_summaries_standard, trace_summaries_extended,"
              + " trace_segments_standard, trace_segments_extended IN ACCESS EXCLUSIVE MODE");

      HttpResponse<byte[]> fromB = TwoRegions.get(a, "/api/v1/traces/" + onlyInB.toHex());
      assertThat(fromB.statusCode()).as(QueryClient.text(fromB)).isEqualTo(200);
      assertThat(fromB.headers().firstValue("Cairn-Missing-Regions")).contains("a");

      JsonNode page = search(a, 20, null);
      assertThat(page.get("missingRegions")).extracting(JsonNode::asText).containsExactly("a");
      assertThat(page.get("traces"))
          .extracting(t -> t.get("traceId").asText())
          .containsExactly(
              newestFirst.get(0).toHex(),
              newestFirst.get(2).toHex(),
              newestFirst.get(4).toHex(),
              split.toHex());
      store.rollback();
    }
    String metrics = QueryClient.text(TwoRegions.get(a, "/q/metrics"));
    assertThat(failures(metrics, "a", "timeout")).isGreaterThanOrEqualTo(2);

    HttpResponse<byte[]> own = TwoRegions.get(a, "/api/v1/traces/" + onlyInA.toHex());
    assertThat(own.statusCode()).as(QueryClient.text(own)).isEqualTo(200);
    assertThat(own.headers().firstValue("Cairn-Missing-Regions")).isEmpty();
  }

  @Test
  @Order(6)
  void aHungRegionIsMissingFromAnAnswerGivenWithoutIt() throws Exception {
    b.signal("STOP");

    JsonNode page = search(a, 20, null);
    assertThat(page.get("missingRegions")).extracting(JsonNode::asText).containsExactly("b");
    assertThat(page.get("traces"))
        .extracting(t -> t.get("traceId").asText())
        .containsExactly(
            newestFirst.get(1).toHex(),
            newestFirst.get(3).toHex(),
            newestFirst.get(5).toHex(),
            split.toHex());

    HttpResponse<byte[]> own = TwoRegions.get(a, "/api/v1/traces/" + onlyInA.toHex());
    assertThat(own.statusCode()).as(QueryClient.text(own)).isEqualTo(200);
    assertThat(own.headers().firstValue("Cairn-Missing-Regions")).contains("b");

    HttpResponse<byte[]> elsewhere = TwoRegions.get(a, "/api/v1/traces/" + onlyInB.toHex());
    assertThat(elsewhere.statusCode()).isEqualTo(404);
    assertThat(QueryClient.text(elsewhere)).contains("b did not answer");

    b.signal("CONT");
  }

  @Test
  @Order(7)
  void aStoppedRegionIsMissingOnEverySurfaceAndCounted() throws Exception {
    b.kill();

    JsonNode page = search(a, 20, null);
    assertThat(page.get("missingRegions")).extracting(JsonNode::asText).containsExactly("b");
    assertThat(page.get("traces")).hasSize(4);

    HttpResponse<byte[]> view = TwoRegions.get(a, "/api/v1/traces/" + split.toHex() + "/view");
    assertThat(view.statusCode()).as(QueryClient.text(view)).isEqualTo(200);
    JsonNode partial = JSON.readTree(view.body());
    assertThat(partial.get("spans")).hasSize(1);
    assertThat(partial.get("missingRegions")).extracting(JsonNode::asText).containsExactly("b");

    HttpResponse<byte[]> graphql =
        TwoRegions.HTTP.send(
            TwoRegions.request(a, "/graphql")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        JSON.writeValueAsString(
                            Map.of(
                                "query",
                                "{ traces(first: 20, filter: {start: \""
                                    + Instant.now().minusSeconds(3600)
                                    + "\"}) { missingRegions edges { node { traceId } } } }"))))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(graphql.statusCode()).as(QueryClient.text(graphql)).isEqualTo(200);
    JsonNode traces = JSON.readTree(graphql.body()).at("/data/traces");
    assertThat(traces.get("missingRegions")).extracting(JsonNode::asText).containsExactly("b");
    assertThat(traces.get("edges")).hasSize(4);

    HttpResponse<byte[]> jaeger =
        TwoRegions.get(a, "/jaeger/api/traces?service=shop-a&lookback=1h&limit=20");
    assertThat(jaeger.statusCode()).as(QueryClient.text(jaeger)).isEqualTo(200);
    JsonNode envelope = JSON.readTree(jaeger.body());
    assertThat(envelope.get("data")).hasSize(3);
    assertThat(envelope.get("errors"))
        .extracting(e -> e.get("msg").asText())
        .anySatisfy(msg -> assertThat(msg).contains("region b did not answer"));

    String metrics = QueryClient.text(TwoRegions.get(a, "/q/metrics"));
    assertThat(failures(metrics, "b", "timeout")).isGreaterThanOrEqualTo(1);
    assertThat(failures(metrics, "b", "unreachable")).isGreaterThanOrEqualTo(1);
  }

  /** {@code cairn_query_federation_peer_failures_total{reason, region}}. */
  private static double failures(String metrics, String region, String reason) {
    return metrics
        .lines()
        .filter(l -> l.startsWith("cairn_query_federation_peer_failures_total{"))
        .filter(
            l -> l.contains("reason=\"" + reason + "\"") && l.contains("region=\"" + region + "\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }

  private JsonNode search(ServiceProcess region, int limit, String cursor)
      throws IOException, InterruptedException {
    String start =
        URLEncoder.encode(Instant.now().minusSeconds(3600).toString(), StandardCharsets.UTF_8);
    HttpResponse<byte[]> response =
        TwoRegions.get(
            region,
            "/api/v1/traces?start="
                + start
                + "&limit="
                + limit
                + (cursor == null ? "" : "&cursor=" + cursor));
    assertThat(response.statusCode()).as(QueryClient.text(response)).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
