package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.model.Span;
import dev.cairn.model.otlp.OtlpJson;
import dev.cairn.model.otlp.OtlpSpanMapper;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** query-svc's REST API as the e2e tests use it: the one place they read traces back. */
final class QueryClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Pipeline pipeline;

  QueryClient(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  HttpResponse<byte[]> get(String pathAndQuery) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(pipeline.queryUrl(pathAndQuery)))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The stored trace, empty while query-svc has no span of it (404). */
  Optional<TracesData> trace(String traceIdHex) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = get("/api/v1/traces/" + traceIdHex);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    return Optional.of(OtlpJson.parseTracesData(response.body()));
  }

  /** Polls GET /api/v1/traces/{id} until the trace has at least {@code spanCount} spans. */
  TracesData awaitTrace(String traceIdHex, int spanCount, Duration within) {
    List<TracesData> found = new ArrayList<>(List.of(TracesData.getDefaultInstance()));
    await()
        .atMost(within)
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              Optional<TracesData> data = trace(traceIdHex);
              data.ifPresent(d -> found.set(0, d));
              return data.isPresent() && spanCount(data.get()) >= spanCount;
            });
    return found.get(0);
  }

  /** As {@link #awaitTrace(String, int, Duration)}, as model spans. */
  List<Span> awaitSpans(String traceIdHex, int spanCount, Duration within) {
    return OtlpSpanMapper.toSpans(awaitTrace(traceIdHex, spanCount, within));
  }

  /** Trace ids found by GET /api/v1/traces with the given filters over the last hour. */
  List<String> search(String query) throws IOException, InterruptedException {
    String start =
        URLEncoder.encode(Instant.now().minusSeconds(3600).toString(), StandardCharsets.UTF_8);
    HttpResponse<byte[]> response = get("/api/v1/traces?" + query + "&start=" + start);
    assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    for (JsonNode trace : JSON.readTree(response.body()).get("traces")) {
      ids.add(trace.get("traceId").asText());
    }
    return ids;
  }

  static String text(HttpResponse<byte[]> response) {
    return response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8);
  }

  private static int spanCount(TracesData data) {
    int spans = 0;
    for (var resource : data.getResourceSpansList()) {
      for (var scope : resource.getScopeSpansList()) {
        spans += scope.getSpansCount();
      }
    }
    return spans;
  }
}
