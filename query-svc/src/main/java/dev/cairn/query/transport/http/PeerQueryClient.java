package dev.cairn.query.transport.http;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpJson;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.query.federation.PeerCallException;
import dev.cairn.query.federation.PeerFailure;
import dev.cairn.query.search.SearchRequestParser;
import dev.cairn.store.Operation;
import dev.cairn.store.SearchCursor;
import dev.cairn.store.TracePage;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceReader;
import dev.cairn.store.TraceSpans;
import dev.cairn.store.TraceSummary;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.VertxException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.core.http.HttpClientRequest;
import io.vertx.mutiny.core.http.HttpClientResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.TimeoutException;

/**
 * A peer region's query-svc read as a {@link TraceReader}, over the peer's own {@code /api/v1}:
 * trace by id (OTLP JSON, read with trace-model's {@code OtlpJson}), search, services and
 * operations (this module's own response records, read with Quarkus's Jackson mapper). Every
 * request carries {@code cairn-federation: local} ({@link FederationScope}), so the peer answers
 * from its own store only: no fan-out loops, and only answers leave a region.
 *
 * <p>Vert.x's HTTP client, which Quarkus already runs on, rather than the Quarkus REST client: a
 * non-blocking call with no extra extension, and its connection pool (size and wait queue) is the
 * bound on concurrent calls to one peer. Every failure becomes a {@link PeerCallException} with its
 * reason. Bodies are buffered whole; the peer bounds them (its {@code max-spans}, the search
 * limit).
 */
final class PeerQueryClient implements TraceReader {

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final TypeReference<List<OperationResponse>> OPERATIONS = new TypeReference<>() {};

  private final String region;
  private final String base;
  private final HttpClient http;
  private final ObjectMapper json;
  private final long timeoutMillis;

  /**
   * @param timeout closes a request whose answer stalls this long (the federation's deadline cuts
   *     the call off in any case)
   */
  PeerQueryClient(String region, URI base, HttpClient http, ObjectMapper json, Duration timeout) {
    String url = base.toString();
    this.region = region;
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.http = http;
    this.json = json;
    this.timeoutMillis = Math.max(1, timeout.toMillis());
  }

  /** The peer caps the trace with its own {@code max-spans}; the merge applies {@code maxSpans}. */
  @Override
  public Uni<TraceSpans> findTrace(TraceId traceId, int maxSpans) {
    return get("/api/v1/traces/" + traceId.toHex(), true)
        .map(
            reply -> {
              if (reply.status() == 404) {
                return TraceSpans.ABSENT;
              }
              try {
                return new TraceSpans(
                    OtlpSpanMapper.toSpans(OtlpJson.parseTracesData(reply.body())),
                    Boolean.parseBoolean(reply.header(TraceResource.TRUNCATED_HEADER)),
                    intHeader(reply, TraceResource.STORED_HEADER),
                    intHeader(reply, TraceResource.LATE_HEADER));
              } catch (RuntimeException e) {
                throw badResponse("a trace that does not parse", e);
              }
            });
  }

  @Override
  public Uni<TracePage> search(TraceQuery query) {
    return get("/api/v1/traces?" + parameters(query), false)
        .map(
            reply -> {
              SearchResponse page = read(reply, SearchResponse.class);
              List<TraceSummary> traces = new ArrayList<>(page.traces().size());
              for (SearchResponse.Summary s : page.traces()) {
                traces.add(
                    new TraceSummary(
                        TraceId.fromHex(s.traceId()),
                        Long.parseLong(s.startTimeUnixNano()),
                        Long.parseLong(s.endTimeUnixNano()),
                        s.rootServiceName(),
                        s.rootSpanName(),
                        s.spanCount(),
                        s.errorCount(),
                        s.services()));
              }
              return new TracePage(
                  traces, Optional.ofNullable(page.nextCursor()).map(SearchCursor::decode));
            });
  }

  @Override
  public Uni<List<String>> services() {
    return get("/api/v1/services", false).map(reply -> read(reply, STRINGS));
  }

  @Override
  public Uni<List<Operation>> operations(String service) {
    return get("/api/v1/services/" + encode(service) + "/operations", false)
        .map(
            reply ->
                read(reply, OPERATIONS).stream()
                    .map(o -> new Operation(o.name(), SpanKind.forNumber(o.kind())))
                    .toList());
  }

  /** The search as the peer's REST API takes it: the same filters, window, limit and cursor. */
  static String parameters(TraceQuery query) {
    StringJoiner q = new StringJoiner("&");
    query.service().ifPresent(v -> q.add(SearchRequestParser.SERVICE + "=" + encode(v)));
    query.operation().ifPresent(v -> q.add(SearchRequestParser.OPERATION + "=" + encode(v)));
    for (TraceQuery.TagFilter tag : query.tags()) {
      q.add(SearchRequestParser.TAG + "=" + encode(tag.key() + ":" + tag.value()));
    }
    query
        .minDuration()
        .ifPresent(d -> q.add(SearchRequestParser.MIN_DURATION + "=" + d.toNanos() + "ns"));
    query
        .maxDuration()
        .ifPresent(d -> q.add(SearchRequestParser.MAX_DURATION + "=" + d.toNanos() + "ns"));
    if (query.errorsOnly()) {
      q.add(SearchRequestParser.ERROR + "=true");
    }
    q.add(SearchRequestParser.START + "=" + encode(query.start().toString()));
    q.add(SearchRequestParser.END + "=" + encode(query.end().toString()));
    q.add(SearchRequestParser.LIMIT + "=" + query.limit());
    query.after().ifPresent(c -> q.add(SearchRequestParser.CURSOR + "=" + c.encode()));
    return q.toString();
  }

  private record Reply(int status, byte[] body, HttpClientResponse response) {
    String header(String name) {
      return response.getHeader(name);
    }
  }

  /** A 2xx answer (or a 404 when {@code absentIs404}), else a failure saying why. */
  private Uni<Reply> get(String pathAndQuery, boolean absentIs404) {
    RequestOptions options =
        new RequestOptions()
            .setMethod(HttpMethod.GET)
            .setAbsoluteURI(base + pathAndQuery)
            .setIdleTimeout(timeoutMillis)
            .putHeader(FederationScope.HEADER, FederationScope.LOCAL)
            .putHeader("Accept", "application/json");
    return http.request(options)
        .chain(HttpClientRequest::send)
        .chain(
            response ->
                response
                    .body()
                    .map(body -> new Reply(response.statusCode(), body.getBytes(), response)))
        .onFailure()
        .transform(this::classify)
        // Parse off the event loop: a trace can be tens of megabytes of JSON.
        .emitOn(Infrastructure.getDefaultWorkerPool())
        .map(
            reply -> {
              int status = reply.status();
              if (status >= 200 && status < 300 || absentIs404 && status == 404) {
                return reply;
              }
              throw new PeerCallException(
                  status >= 500 ? PeerFailure.SERVER_ERROR : PeerFailure.BAD_RESPONSE,
                  region + " answered " + pathAndQuery + " with HTTP " + status);
            });
  }

  private Throwable classify(Throwable failure) {
    if (failure instanceof ConnectionPoolTooBusyException) {
      return new PeerCallException(
          PeerFailure.OVERLOADED, "too many calls to " + region + " in flight", failure);
    }
    if (failure instanceof TimeoutException) {
      return new PeerCallException(PeerFailure.TIMEOUT, region + " stalled", failure);
    }
    if (failure instanceof IOException || failure instanceof VertxException) {
      // Connection refused or reset, unknown host, connect timeout, connection closed.
      return new PeerCallException(PeerFailure.UNREACHABLE, region + " unreachable", failure);
    }
    return new PeerCallException(PeerFailure.BAD_RESPONSE, region + " call failed", failure);
  }

  private <T> T read(Reply reply, Class<T> type) {
    try {
      return json.readValue(reply.body(), type);
    } catch (IOException | RuntimeException e) {
      throw badResponse("a body that does not parse", e);
    }
  }

  private <T> T read(Reply reply, TypeReference<T> type) {
    try {
      return json.readValue(reply.body(), type);
    } catch (IOException | RuntimeException e) {
      throw badResponse("a body that does not parse", e);
    }
  }

  private int intHeader(Reply reply, String name) {
    String value = reply.header(name);
    return value == null ? 0 : Integer.parseInt(value);
  }

  private PeerCallException badResponse(String what, Throwable cause) {
    return new PeerCallException(PeerFailure.BAD_RESPONSE, region + " sent " + what, cause);
  }

  /** Percent-encoding for a path segment or a query value ({@code +} would mean a space). */
  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
