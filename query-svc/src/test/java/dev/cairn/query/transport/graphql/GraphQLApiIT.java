package dev.cairn.query.transport.graphql;

import static dev.cairn.query.transport.graphql.GraphQLClient.post;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.query.testing.TestStore;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GraphQL over the real TimescaleDB: each query field, the span tree, links across traces and
 * cursor pagination shared with REST. Every run uses fresh trace ids and service names.
 */
@io.quarkus.test.junit.QuarkusTest
class GraphQLApiIT {

  private static final long MS = 1_000_000L;
  private static final String RUN =
      HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final String PREFIX = "gql" + RUN + "-";
  private static final String PAYMENTS = PREFIX + SpanFixtures.PAYMENTS;
  private static final String WORKER = PREFIX + "worker";
  private static final String PAGER = PREFIX + "pager";
  private static final int PAGED_TRACES = 5;

  private static List<Span> checkout;
  private static TraceId checkoutId;
  private static TraceId consumerId;
  private static List<TraceId> pagedNewestFirst;

  @BeforeAll
  static void seed() {
    long now = Instant.now().getEpochSecond() * 1_000_000_000L;
    checkoutId = SpanFixtures.randomTraceId();
    checkout =
        TestStore.withServicePrefix(
            PREFIX, SpanFixtures.threeServiceTrace(checkoutId, now - 10 * 60_000 * MS));
    // The span the checkout server's link points to: a consumer in a trace of its own.
    consumerId = SpanFixtures.linkedTraceId(checkoutId);
    Span consumer =
        SpanFixtures.span(consumerId, WORKER, "orders process")
            .spanId(SpanFixtures.derivedSpanId(consumerId, 9))
            .kind(SpanKind.CONSUMER)
            .start(now - 9 * 60_000 * MS)
            .end(now - 9 * 60_000 * MS + 3 * MS)
            .build();
    List<Span> all = new ArrayList<>(checkout);
    all.add(consumer);
    pagedNewestFirst = new ArrayList<>();
    for (int i = 0; i < PAGED_TRACES; i++) {
      TraceId id = SpanFixtures.randomTraceId();
      long start = now - 20 * 60_000 * MS - i * 1_000 * MS;
      all.add(SpanFixtures.span(id, PAGER, "job").start(start).end(start + 5 * MS).build());
      pagedNewestFirst.add(id);
    }
    TestStore.write(all);
  }

  @Test
  void traceByIdAnswersSpansWithTypedAttributesEventsStatusAndTiming() {
    JsonPath json =
        post(
            """
            { trace(id: "%s") {
                traceId spanCount storedSpanCount truncated services
                completeness { rootFound missingParentSpanIds lateSpanCount complete }
                criticalPath { spanId durationNanos }
                spans { spanId parentSpanId name kind service statusCode statusMessage
                        startTimeUnixNano endTimeUnixNano durationNanos
                        adjustedStartTimeUnixNano adjustedEndTimeUnixNano
                        clockSkew { appliedNanos reason adjusted } onCriticalPath
                        scopeName droppedAttributesCount droppedEventsCount
                        attributes { key text value { type stringValue intValue boolValue
                                                      doubleValue bytesValue
                                                      arrayValue { type text }
                                                      kvlistValue { key text } } }
                        events { name timeUnixNano droppedAttributesCount
                                 attributes { key value { type intValue boolValue } } } } } }
            """
                .formatted(checkoutId.toHex()));

    assertThat(json.getList("errors")).isNull();
    assertThat(json.getString("data.trace.traceId")).isEqualTo(checkoutId.toHex());
    assertThat(json.getInt("data.trace.spanCount")).isEqualTo(checkout.size());
    assertThat(json.getInt("data.trace.storedSpanCount")).isEqualTo(checkout.size());
    assertThat(json.getBoolean("data.trace.truncated")).isFalse();
    assertThat(json.getList("data.trace.services", String.class))
        .containsExactly(PREFIX + "checkout", PREFIX + "frontend", PAYMENTS);
    assertThat(json.getBoolean("data.trace.completeness.rootFound")).isTrue();
    assertThat(json.getList("data.trace.criticalPath")).isNotEmpty();

    Span payments = checkout.get(4);
    Map<String, Object> span = spanById(json, payments.spanId().toHex());
    assertThat(span.get("name")).isEqualTo("POST /api/charge");
    assertThat(span.get("kind")).isEqualTo("SERVER");
    assertThat(span.get("service")).isEqualTo(PAYMENTS);
    assertThat(span.get("parentSpanId")).isEqualTo(checkout.get(3).spanId().toHex());
    assertThat(span.get("statusCode")).isEqualTo("ERROR");
    assertThat(span.get("statusMessage")).isEqualTo("card declined");
    assertThat(span.get("startTimeUnixNano"))
        .isEqualTo(Long.toString(payments.startTimeUnixNano()));
    assertThat(span.get("endTimeUnixNano")).isEqualTo(Long.toString(payments.endTimeUnixNano()));
    assertThat(((Number) span.get("durationNanos")).longValue()).isEqualTo(200 * MS);
    // One host's clock: nothing to adjust, adjusted times are the raw ones.
    assertThat(span.get("adjustedStartTimeUnixNano")).isEqualTo(span.get("startTimeUnixNano"));
    assertThat(span.get("clockSkew"))
        .isEqualTo(Map.of("appliedNanos", 0, "reason", "NONE", "adjusted", false));
    assertThat(span.get("droppedEventsCount")).isEqualTo(3);
    assertThat(json.getString(path(json, payments) + ".events[0].name")).isEqualTo("exception");
    assertThat(
            json.getString(
                path(json, payments)
                    + ".attributes.find { it.key == 'payment.amount_cents' }.value.intValue"))
        .isEqualTo("12999");
    assertThat(
            json.getString(
                path(json, payments)
                    + ".attributes.find { it.key == 'payment.amount_cents' }.value.type"))
        .isEqualTo("INT");

    // The root carries one attribute of every OTLP type; each comes back with its type.
    Map<String, Object> root = spanById(json, checkout.get(0).spanId().toHex());
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> attributes = (List<Map<String, Object>>) root.get("attributes");
    assertThat(attributes.stream().map(a -> (String) ((Map<?, ?>) a.get("value")).get("type")))
        .contains("STRING", "BOOL", "INT", "DOUBLE", "BYTES", "ARRAY", "KVLIST");
    assertThat(root.get("onCriticalPath")).isEqualTo(true);
    @SuppressWarnings("unchecked")
    Map<String, Object> event = ((List<Map<String, Object>>) root.get("events")).get(0);
    assertThat(event.get("name")).isEqualTo("cache.miss");
    assertThat(event.get("droppedAttributesCount")).isEqualTo(1);
  }

  @Test
  void parentAndChildrenWalkTheTreeOfTheLoadedTrace() {
    JsonPath json =
        post(
            """
            { trace(id: "%s") { rootSpans { spanId parent { spanId }
                children { spanId parent { spanId }
                  children { spanId children { spanId children { spanId service } } } } } } }
            """
                .formatted(checkoutId.toHex()));

    assertThat(json.getList("errors")).isNull();
    assertThat(json.getList("data.trace.rootSpans")).hasSize(1);
    assertThat(json.getString("data.trace.rootSpans[0].spanId"))
        .isEqualTo(checkout.get(0).spanId().toHex());
    assertThat(json.getString("data.trace.rootSpans[0].parent")).isNull();
    assertThat(json.getString("data.trace.rootSpans[0].children[0].spanId"))
        .isEqualTo(checkout.get(1).spanId().toHex());
    assertThat(json.getString("data.trace.rootSpans[0].children[0].parent.spanId"))
        .isEqualTo(checkout.get(0).spanId().toHex());
    assertThat(
            json.getString(
                "data.trace.rootSpans[0].children[0].children[0].children[0].children[0].service"))
        .isEqualTo(PAYMENTS);
  }

  @Test
  void spanByIdWithinATrace() {
    JsonPath json =
        post(
            """
            { trace(id: "%s") { span(spanId: "%s") { name } none: span(spanId: "00000000000000ff") { name } } }
            """
                .formatted(checkoutId.toHex(), checkout.get(2).spanId().toHex()));

    assertThat(json.getString("data.trace.span.name")).isEqualTo("POST /api/orders");
    assertThat(json.getString("data.trace.none")).isNull();
  }

  @Test
  void aMalformedSpanIdNamesTheArgument() {
    JsonPath json =
        post(
            "{ trace(id: \"%s\") { span(spanId: \"xyz\") { name } } }"
                .formatted(checkoutId.toHex()));

    assertThat(json.getString("errors[0].message")).contains("spanId: a span id is 16 hex digits");
  }

  @Test
  void aLinkResolvesToTheLinkedTraceAndSpan() {
    JsonPath json =
        post(
            """
            { trace(id: "%s") { spans { spanId links { traceId spanId attributes { key text }
                span { name kind service spanId }
                trace { traceId spanCount rootSpans { name } } } } } }
            """
                .formatted(checkoutId.toHex()));

    assertThat(json.getList("errors")).isNull();
    String server = path(json, checkout.get(2));
    assertThat(json.getString(server + ".links[0].traceId")).isEqualTo(consumerId.toHex());
    assertThat(json.getString(server + ".links[0].span.name")).isEqualTo("orders process");
    assertThat(json.getString(server + ".links[0].span.kind")).isEqualTo("CONSUMER");
    assertThat(json.getString(server + ".links[0].span.service")).isEqualTo(WORKER);
    assertThat(json.getString(server + ".links[0].trace.traceId")).isEqualTo(consumerId.toHex());
    assertThat(json.getInt(server + ".links[0].trace.spanCount")).isEqualTo(1);
    assertThat(json.getString(server + ".links[0].attributes[0].text")).isEqualTo("process");
  }

  @Test
  void anUnknownTraceIsNull() {
    JsonPath json =
        post("{ trace(id: \"%s\") { traceId } }".formatted(SpanFixtures.randomTraceId().toHex()));

    assertThat(json.getList("errors")).isNull();
    assertThat(json.getMap("data")).containsEntry("trace", null);
  }

  @Test
  void searchPagesWithTheSameCursorsAsRest() {
    List<String> seen = new ArrayList<>();
    String after = null;
    int pages = 0;
    boolean more = true;
    while (more) {
      JsonPath json =
          post(
              """
              { traces(filter: { service: "%s" }, first: 2%s) {
                  edges { cursor node { traceId rootServiceName rootSpanName spanCount services } }
                  pageInfo { hasNextPage endCursor } } }
              """
                  .formatted(PAGER, after == null ? "" : ", after: \"" + after + "\""));
      assertThat(json.getList("errors")).isNull();
      seen.addAll(json.getList("data.traces.edges.node.traceId", String.class));
      assertThat(json.getList("data.traces.edges.node.rootServiceName", String.class))
          .allMatch(PAGER::equals);
      more = json.getBoolean("data.traces.pageInfo.hasNextPage");
      after = json.getString("data.traces.pageInfo.endCursor");
      if (more) {
        List<String> cursors = json.getList("data.traces.edges.cursor", String.class);
        assertThat(after).isEqualTo(cursors.get(cursors.size() - 1));
      }
      pages++;
      assertThat(pages).isLessThanOrEqualTo(PAGED_TRACES);
    }
    assertThat(seen)
        .containsExactlyElementsOf(pagedNewestFirst.stream().map(TraceId::toHex).toList());

    // REST's first page of two ends where GraphQL's does, and its cursor continues in GraphQL.
    String restCursor =
        given()
            .queryParam("service", PAGER)
            .queryParam("limit", 2)
            .get("/api/v1/traces")
            .then()
            .statusCode(200)
            .extract()
            .jsonPath()
            .getString("nextCursor");
    JsonPath second =
        post(
            "{ traces(filter: { service: \"%s\" }, first: 2, after: \"%s\") { edges { node { traceId } } } }"
                .formatted(PAGER, restCursor));
    assertThat(second.getList("data.traces.edges.node.traceId", String.class))
        .containsExactly(pagedNewestFirst.get(2).toHex(), pagedNewestFirst.get(3).toHex());
  }

  @Test
  void searchFiltersByOperationTagsAndErrors() {
    JsonPath json =
        post(
            """
            { traces(filter: { service: "%s", operation: "POST /api/charge",
                               tags: ["http.route:/api/charge"], error: true,
                               minDuration: "100ms" }) { edges { node { traceId errorCount } } } }
            """
                .formatted(PAYMENTS));

    assertThat(json.getList("errors")).isNull();
    assertThat(json.getList("data.traces.edges.node.traceId", String.class))
        .containsExactly(checkoutId.toHex());
    assertThat(json.getInt("data.traces.edges[0].node.errorCount")).isEqualTo(1);
  }

  @Test
  void servicesAndOperations() {
    JsonPath json =
        post("{ services operations(service: \"%s\") { name spanKind } }".formatted(PAYMENTS));

    assertThat(json.getList("data.services", String.class)).contains(PAYMENTS, WORKER, PAGER);
    assertThat(json.getList("data.operations"))
        .containsExactly(Map.of("name", "POST /api/charge", "spanKind", "SERVER"));
  }

  @Test
  void dependenciesAndServiceMetricsAnswerTheirWindow() {
    JsonPath json =
        post(
            """
            { dependencies(from: "2026-01-01T00:00:30Z", to: "2026-01-01T00:02:00Z") {
                start end truncated edges { parent child callCount } }
              serviceMetrics(service: "%s", from: "2026-01-01T00:00:00Z",
                             to: "2026-01-01T00:03:00Z", step: "1m") {
                service stepSeconds points { start requests errorRate latency { p50 } } } }
            """
                .formatted(PAYMENTS));

    assertThat(json.getList("errors")).isNull();
    // rounded out to whole minutes, as REST does
    assertThat(json.getString("data.dependencies.start")).startsWith("2026-01-01T00:00:00");
    assertThat(json.getBoolean("data.dependencies.truncated")).isFalse();
    assertThat(json.getString("data.serviceMetrics.service")).isEqualTo(PAYMENTS);
    assertThat(json.getInt("data.serviceMetrics.stepSeconds")).isEqualTo(60);
    // a window without data is one zero point per step
    assertThat(json.getList("data.serviceMetrics.points.requests", Float.class))
        .containsExactly(0f, 0f, 0f);
    assertThat(json.getList("data.serviceMetrics.points.errorRate")).containsOnlyNulls();
  }

  private static Map<String, Object> spanById(JsonPath json, String spanId) {
    return json.getMap("data.trace.spans.find { it.spanId == '" + spanId + "' }");
  }

  private static String path(JsonPath json, Span span) {
    List<String> ids = json.getList("data.trace.spans.spanId", String.class);
    return "data.trace.spans[" + ids.indexOf(span.spanId().toHex()) + "]";
  }
}
