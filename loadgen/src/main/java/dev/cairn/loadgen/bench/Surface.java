package dev.cairn.loadgen.bench;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * A query surface of query-svc, and how it asks the same question as {@code /api/v1}: the trace by
 * id, or a search written in REST's parameters ({@code service}, {@code operation}, {@code tag},
 * {@code minDuration}, {@code maxDuration}, {@code error}, {@code start}/{@code end} in unix
 * nanoseconds, {@code limit}). Pure request building: no network.
 */
enum Surface {
  /** {@code GET /api/v1/traces/{id}} (OTLP JSON as stored) and {@code GET /api/v1/traces?...}. */
  REST,
  /** {@code GET /api/v1/traces/{id}/view}: the analysed trace the web UI draws; no search. */
  REST_VIEW,
  /** {@code POST /graphql}, asking for what REST answers, field for field. */
  GRAPHQL,
  /**
   * {@code POST /graphql} for the few fields a waterfall draws (trace by id only): how GraphQL's
   * cost follows the fields selected.
   */
  GRAPHQL_LEAN,
  /** {@code GET /jaeger/api/traces/{id}} and {@code /jaeger/api/traces?...} (whole traces). */
  JAEGER;

  /**
   * Every stored field of every span, as REST's OTLP document holds them (resource attributes per
   * span: GraphQL has no resource grouping).
   */
  static final String GRAPHQL_TRACE =
      "query($id: String!) { trace(id: $id) { traceId spanCount truncated spans {"
          + " spanId parentSpanId name kind service startTimeUnixNano endTimeUnixNano"
          + " statusCode statusMessage traceState flags droppedAttributesCount"
          + " droppedEventsCount droppedLinksCount scopeName scopeVersion"
          + " attributes { key value { type stringValue intValue doubleValue boolValue } }"
          + " events { name timeUnixNano attributes { key text } }"
          + " links { traceId spanId attributes { key text } }"
          + " resourceAttributes { key text } } } }";

  /** What a waterfall needs of each span. */
  static final String GRAPHQL_TRACE_LEAN =
      "query($id: String!) { trace(id: $id) { traceId spanCount truncated spans {"
          + " spanId parentSpanId name service startTimeUnixNano endTimeUnixNano statusCode } } }";

  /** The fields of REST's search page. */
  static final String GRAPHQL_SEARCH =
      "query($filter: TraceFilter, $first: Int) { traces(filter: $filter, first: $first) {"
          + " edges { cursor node { traceId rootServiceName rootSpanName startTimeUnixNano"
          + " endTimeUnixNano durationNanos spanCount errorCount services } }"
          + " pageInfo { hasNextPage endCursor } } }";

  private static final List<String> FILTER_STRINGS =
      List.of("service", "operation", "minDuration", "maxDuration", "start", "end");

  /** The name on the command line and in results. */
  String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static Surface ofLabel(String label) {
    return valueOf(label.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  boolean searches() {
    return this != REST_VIEW && this != GRAPHQL_LEAN;
  }

  /** The request for one trace by id (32 lowercase hex digits). */
  HttpRequest.Builder trace(String base, String traceId) {
    return switch (this) {
      case REST -> get(base + "/api/v1/traces/" + traceId);
      case REST_VIEW -> get(base + "/api/v1/traces/" + traceId + "/view");
      case GRAPHQL -> post(base, GRAPHQL_TRACE, "{\"id\":" + quote(traceId) + "}");
      case GRAPHQL_LEAN -> post(base, GRAPHQL_TRACE_LEAN, "{\"id\":" + quote(traceId) + "}");
      case JAEGER -> get(base + "/jaeger/api/traces/" + traceId);
    };
  }

  /** The request for the search {@code restQuery} (REST's query string). */
  HttpRequest.Builder search(String base, String restQuery) {
    Map<String, List<String>> parameters = parse(restQuery);
    return switch (this) {
      case REST -> get(base + "/api/v1/traces?" + restQuery);
      case REST_VIEW, GRAPHQL_LEAN ->
          throw new IllegalArgumentException(label() + " answers trace by id only");
      case GRAPHQL -> post(base, GRAPHQL_SEARCH, graphQLVariables(parameters));
      case JAEGER -> get(base + "/jaeger/api/traces?" + jaegerQuery(parameters));
    };
  }

  /** GraphQL variables {@code {"filter": {...}, "first": n}} for REST's parameters. */
  static String graphQLVariables(Map<String, List<String>> parameters) {
    StringJoiner filter = new StringJoiner(",", "{", "}");
    for (String name : FILTER_STRINGS) {
      String value = single(parameters, name);
      if (value != null) {
        filter.add(quote(name) + ":" + quote(value));
      }
    }
    List<String> tags = parameters.getOrDefault("tag", List.of());
    if (!tags.isEmpty()) {
      StringJoiner list = new StringJoiner(",", "[", "]");
      tags.forEach(t -> list.add(quote(t)));
      filter.add("\"tags\":" + list);
    }
    String error = single(parameters, "error");
    if (error != null) {
      filter.add("\"error\":" + Boolean.parseBoolean(error));
    }
    String limit = single(parameters, "limit");
    return "{\"filter\":"
        + filter
        + (limit != null ? ",\"first\":" + Integer.parseInt(limit) : "")
        + "}";
  }

  /**
   * Jaeger's parameters for REST's: times in microseconds (the end rounded up so that it still
   * excludes nothing REST includes), {@code error=true} as the tag {@code error:true}.
   */
  static String jaegerQuery(Map<String, List<String>> parameters) {
    List<String> out = new ArrayList<>();
    parameters.forEach(
        (name, values) -> {
          for (String value : values) {
            switch (name) {
              case "start" -> out.add(pair("start", Long.toString(Long.parseLong(value) / 1000)));
              case "end" ->
                  out.add(pair("end", Long.toString(-Math.floorDiv(-Long.parseLong(value), 1000))));
              case "error" -> {
                if (Boolean.parseBoolean(value)) {
                  out.add(pair("tag", "error:true"));
                }
              }
              case "service", "operation", "tag", "minDuration", "maxDuration", "limit" ->
                  out.add(pair(name, value));
              default ->
                  throw new IllegalArgumentException("no Jaeger equivalent for parameter " + name);
            }
          }
        });
    return String.join("&", out);
  }

  /** A query string's parameters in order, decoded; repeated names keep every value. */
  static Map<String, List<String>> parse(String query) {
    Map<String, List<String>> parameters = new LinkedHashMap<>();
    for (String part : query.split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String name = decode(eq < 0 ? part : part.substring(0, eq));
      String value = eq < 0 ? "" : decode(part.substring(eq + 1));
      parameters.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
    }
    return parameters;
  }

  static String quote(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  private static HttpRequest.Builder get(String uri) {
    return HttpRequest.newBuilder(URI.create(uri)).GET();
  }

  private static HttpRequest.Builder post(String base, String query, String variables) {
    String body = "{\"query\":" + quote(query) + ",\"variables\":" + variables + "}";
    return HttpRequest.newBuilder(URI.create(base + "/graphql"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static String single(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.get(name);
    return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
  }

  private static String pair(String name, String value) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8)
        + "="
        + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }
}
