package dev.cairn.query.transport.graphql;

import static dev.cairn.query.transport.graphql.GraphQLClient.body;
import static dev.cairn.query.transport.graphql.GraphQLClient.post;
import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

/**
 * Abusive and malformed queries are refused with a GraphQL error that says why, never a server
 * error with internals: depth and complexity limits, bad ids, out-of-bounds and hostile arguments.
 */
@QuarkusTest
class GraphQLLimitsIT {

  private static final String SOME_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void aQueryDeeperThanTheLimitIsRefusedBeforeItRuns() {
    String deep = "spanId " + "children { ".repeat(20) + "spanId" + " }".repeat(20);
    JsonPath json = post("{ trace(id: \"%s\") { rootSpans { %s } } }".formatted(SOME_TRACE, deep));

    assertThat(json.getString("errors[0].message")).containsIgnoringCase("depth");
    assertThat(json.getMap("data")).isNull();
  }

  @Test
  void aQueryMoreComplexThanTheLimitIsRefusedBeforeItRuns() {
    StringBuilder query = new StringBuilder("{");
    for (int i = 0; i < 60; i++) {
      query.append(" t").append(i).append(": trace(id: \"").append(SOME_TRACE).append("\") {");
      query.append(" traceId spanCount storedSpanCount truncated services durationNanos");
      query.append(" spans { spanId name service durationNanos } }");
    }
    JsonPath json = post(query.append(" }").toString());

    assertThat(json.getString("errors[0].message")).containsIgnoringCase("complexity");
    assertThat(json.getMap("data")).isNull();
  }

  @Test
  void introspectionStaysWithinTheLimits() {
    JsonPath json =
        post(
            """
            { __schema { queryType { name } types { name kind fields { name args { name type {
                kind name ofType { kind name ofType { kind name ofType { kind name } } } } }
                type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
            """);

    assertThat(json.getList("errors")).isNull();
    assertThat(json.getList("data.__schema.types.name", String.class))
        .contains("Trace", "Span", "SpanLink", "TraceConnection", "AttributeValue");
  }

  @Test
  void aMalformedTraceIdNamesTheArgument() {
    JsonPath json = post("{ trace(id: \"not-a-trace\") { traceId } }");

    assertThat(json.getString("errors[0].message")).contains("id: a trace id is 32 hex digits");
    assertThat(json.getList("errors[0].path", String.class)).containsExactly("trace");
  }

  @Test
  void theAllZeroTraceIdIsRefused() {
    JsonPath json = post("{ trace(id: \"%s\") { traceId } }".formatted("0".repeat(32)));

    assertThat(json.getString("errors[0].message")).contains("the all-zero trace id is invalid");
  }

  @Test
  void firstOutOfBoundsIsRefusedNamingFirst() {
    JsonPath json = post("{ traces(first: 5000) { pageInfo { hasNextPage } } }");

    assertThat(json.getString("errors[0].message"))
        .contains("first: must be an integer between 1 and 1000");

    JsonPath zero = post("{ traces(first: 0) { pageInfo { hasNextPage } } }");
    assertThat(zero.getString("errors[0].message")).contains("first:");
  }

  @Test
  void aForeignCursorIsRefusedNamingAfter() {
    JsonPath json = post("{ traces(after: \"' OR 1=1 --\") { pageInfo { hasNextPage } } }");

    assertThat(json.getString("errors[0].message")).contains("after: not a cursor this API issued");
  }

  @Test
  void hostileFilterValuesAreRefusedWithTheirReason() {
    assertThat(
            post("{ traces(filter: { service: \"x'; DROP TABLE spans; --\" }) { edges { cursor } } }")
                .getString("errors[0].message"))
        .contains("service: service names may contain letters, digits");
    assertThat(
            post("{ traces(filter: { service: \"%s\" }) { edges { cursor } } }"
                    .formatted("s".repeat(300)))
                .getString("errors[0].message"))
        .contains("service: longer than 256 characters");
    assertThat(
            post("{ traces(filter: { minDuration: \"2s\", maxDuration: \"1s\" }) { edges { cursor } } }")
                .getString("errors[0].message"))
        .contains("maxDuration: must not be less than minDuration");
    assertThat(
            post("{ traces(filter: { tags: [\"novalue\"] }) { edges { cursor } } }")
                .getString("errors[0].message"))
        .contains("tag");
    assertThat(
            post("{ traces(filter: { start: \"yesterday\" }) { edges { cursor } } }")
                .getString("errors[0].message"))
        .contains("start:");
  }

  @Test
  void badMetricArgumentsNameTheGraphQLArgument() {
    assertThat(
            post("{ dependencies(from: \"2026-01-02T00:00:00Z\", to: \"2026-01-01T00:00:00Z\") { truncated } }")
                .getString("errors[0].message"))
        .contains("from: start must be before end");
    assertThat(
            post("{ serviceMetrics(service: \"a\", step: \"30s\") { stepSeconds } }")
                .getString("errors[0].message"))
        .contains("step: must be a whole number of minutes");
    assertThat(
            post("{ operations(service: \"bad\\u0000name\") { name } }")
                .getString("errors[0].message"))
        .contains("service:");
  }

  @Test
  void refusalsCarryNoStackTraceOrInternalClassNames() {
    String answer = body("{ trace(id: \"zz\") { traceId } }");

    assertThat(answer).doesNotContain("at dev.cairn").doesNotContain("stackTrace");
  }
}
