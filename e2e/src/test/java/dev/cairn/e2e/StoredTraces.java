package dev.cairn.e2e;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpJson;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.store.pg.StoredSpans;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.stream.Collectors;

/**
 * What the pipeline stored of a set of traces, seen two ways: what TimescaleDB holds (spans decoded
 * from the trace's segments, distinct spans, the span count of the trace summary) and the spans
 * {@code GET /api/v1/traces/{id}} returns.
 */
final class StoredTraces {

  private static final int CONCURRENT_READS = 4;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * Rows of one trace in the database.
   *
   * @param rows spans stored in its segments
   * @param distinctSpans distinct span ids among them
   * @param summarySpans span count of its summary rows (0 when there is none)
   */
  record Rows(long rows, long distinctSpans, long summarySpans) {
    static final Rows NONE = new Rows(0, 0, 0);
  }

  /**
   * What the REST API returned for one trace.
   *
   * @param status HTTP status
   * @param spans spans in the answer
   * @param distinctSpans distinct span ids among them
   */
  record Answer(int status, long spans, long distinctSpans) {}

  private StoredTraces() {}

  /** Rows per trace id (lower-case hex) in the pipeline's database; absent traces are omitted. */
  static Map<String, Rows> rows(Collection<String> traceIdsHex) throws SQLException {
    String[] uuids = traceIdsHex.stream().map(StoredTraces::uuid).toArray(String[]::new);
    Map<String, Rows> found = new HashMap<>();
    try (Connection connection =
        DriverManager.getConnection(Pipeline.jdbcUrl(), Pipeline.DB_USER, Pipeline.DB_PASSWORD)) {
      List<TraceId> ids = traceIdsHex.stream().map(TraceId::fromHex).toList();
      Map<String, List<Span>> byTrace =
          StoredSpans.of(connection, ids).stream()
              .collect(Collectors.groupingBy(s -> s.traceId().toHex()));
      Map<String, Long> summarySpans = new HashMap<>();
      try (PreparedStatement statement =
          connection.prepareStatement(
              "SELECT trace_id::text, sum(span_count) FROM trace_summaries_all"
                  + " WHERE trace_id = ANY(?::uuid[]) GROUP BY trace_id")) {
        statement.setArray(1, connection.createArrayOf("text", uuids));
        try (ResultSet result = statement.executeQuery()) {
          while (result.next()) {
            summarySpans.put(result.getString(1).replace("-", ""), result.getLong(2));
          }
        }
      }
      byTrace.forEach(
          (id, spans) ->
              found.put(
                  id,
                  new Rows(
                      spans.size(),
                      spans.stream().map(s -> s.spanId().toHex()).distinct().count(),
                      summarySpans.getOrDefault(id, 0L))));
    }
    return found;
  }

  /** Reads every trace through {@code GET /api/v1/traces/{id}}, a few at a time. */
  static Map<String, Answer> read(Pipeline pipeline, Collection<String> traceIdsHex)
      throws InterruptedException {
    Semaphore permits = new Semaphore(CONCURRENT_READS);
    Map<String, CompletableFuture<Answer>> answers = new HashMap<>();
    for (String id : traceIdsHex) {
      permits.acquire();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(pipeline.queryUrl("/api/v1/traces/" + id)))
              .timeout(Duration.ofSeconds(15))
              .build();
      answers.put(
          id,
          HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
              .handle(
                  (response, error) -> {
                    permits.release();
                    return error != null ? new Answer(-1, 0, 0) : answer(response);
                  }));
    }
    return answers.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().join()));
  }

  private static Answer answer(HttpResponse<byte[]> response) {
    if (response.statusCode() != 200) {
      return new Answer(response.statusCode(), 0, 0);
    }
    try {
      List<Span> spans = OtlpSpanMapper.toSpans(OtlpJson.parseTracesData(response.body()));
      long distinct =
          spans.stream().map(s -> s.spanId().toHex()).collect(Collectors.toSet()).size();
      return new Answer(200, spans.size(), distinct);
    } catch (RuntimeException unreadable) {
      return new Answer(-2, 0, 0);
    }
  }

  /** A trace id as the database's uuid text. */
  static String uuid(String hex) {
    return hex.substring(0, 8)
        + "-"
        + hex.substring(8, 12)
        + "-"
        + hex.substring(12, 16)
        + "-"
        + hex.substring(16, 20)
        + "-"
        + hex.substring(20);
  }
}
