package dev.cairn.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpJson;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.HostileStrings;
import dev.cairn.model.testing.SpanFixtures;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile input against the whole pipeline (services as processes): broken bodies, gzip bombs,
 * timestamps out of range, NUL and invalid UTF-8 in every string field, hostile query parameters.
 * Each gets an answer below 500 that names the problem, and the valid spans of the same request are
 * stored and come back from query-svc. gRPC's parse path is the same parser (OtlpIngestIT covers it
 * against the collector); this test speaks OTLP/HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputE2E {

  private static final Duration STORED_WITHIN = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON_TYPE = "application/json";
  private static final byte[] MARKER = HostileStrings.MARKER.getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_REQUEST_BYTES = 8 * 1024 * 1024;

  private Pipeline pipeline;
  private QueryClient query;

  @BeforeAll
  void startPipeline() throws Exception {
    pipeline = Pipeline.start();
    query = new QueryClient(pipeline);
  }

  @AfterAll
  void stopPipeline() throws Exception {
    if (pipeline != null) {
      pipeline.close();
    }
  }

  // --- bodies that cannot be read -----------------------------------------------------------

  @Test
  void truncatedAndRandomProtobufGet400NamingTheProblem() throws Exception {
    byte[] valid = request(SpanFixtures.randomTraceId()).toByteArray();
    Answer truncated = post(Arrays.copyOf(valid, valid.length - 7), PROTOBUF, null);
    assertThat(truncated.status()).isEqualTo(400);
    assertThat(truncated.reason())
        .startsWith("malformed OTLP protobuf body")
        .contains("input ended unexpectedly");

    Random random = new Random(5);
    for (int i = 0; i < 30; i++) {
      byte[] body = new byte[1 + random.nextInt(2_000)];
      random.nextBytes(body);
      Answer answer = post(body, PROTOBUF, null);
      // Random bytes can happen to be a valid (empty or unknown-field) message: then 200.
      assertThat(answer.status()).as(answer.toString()).isIn(200, 400);
      if (answer.status() == 400) {
        assertThat(answer.reason()).startsWith("malformed OTLP protobuf body: ");
      }
    }
  }

  @Test
  void randomBytesAsJsonGet400NamingTheProblem() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 20; i++) {
      byte[] body = new byte[1 + random.nextInt(2_000)];
      random.nextBytes(body);
      Answer answer = post(body, JSON_TYPE, null);
      assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
      assertThat(answer.reason()).startsWith("malformed OTLP JSON body: ");
    }
    Answer notOtlp =
        post("{\"resourceSpans\": 42}".getBytes(StandardCharsets.UTF_8), JSON_TYPE, null);
    assertThat(notOtlp.status()).isEqualTo(400);
    assertThat(notOtlp.reason()).contains("does not match OTLP JSON");
  }

  @Test
  void gzipBombsGet413NamingTheLimit() throws Exception {
    byte[] bomb = gzip(new byte[MAX_REQUEST_BYTES + 1]);
    assertThat(bomb.length).isLessThan(64 * 1024);

    for (String type : List.of(PROTOBUF, JSON_TYPE)) {
      Answer answer = post(bomb, type, "gzip");
      assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
      assertThat(answer.reason()).contains("exceeds the limit of " + MAX_REQUEST_BYTES + " bytes");
    }
    Answer notGzip = post("plain".getBytes(StandardCharsets.UTF_8), PROTOBUF, "gzip");
    assertThat(notGzip.status()).isEqualTo(400);
    assertThat(notGzip.reason()).startsWith("malformed gzip body");
  }

  // --- spans that are refused, next to spans that are stored --------------------------------

  @Test
  void spansOutOfRangeAreRejectedAndTheirNeighboursStored() throws Exception {
    TraceId trace = SpanFixtures.randomTraceId();
    ExportTraceServiceRequest valid = request(trace);
    Span template = valid.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    long year2200 = TimeUnit.SECONDS.toNanos(7_258_118_400L);
    long tomorrow = nowNanos() + TimeUnit.DAYS.toNanos(1);
    long lastYear = nowNanos() - TimeUnit.DAYS.toNanos(365);
    ResourceSpans.Builder resource = valid.getResourceSpans(0).toBuilder();
    resource
        .getScopeSpansBuilder(0)
        .addSpans(at(template, 1, 2))
        .addSpans(at(template, lastYear, lastYear + 1))
        .addSpans(at(template, tomorrow, tomorrow + 1))
        .addSpans(at(template, year2200, year2200 + 1));
    ExportTraceServiceRequest mixed = valid.toBuilder().setResourceSpans(0, resource).build();

    for (String type : List.of(PROTOBUF, JSON_TYPE)) {
      Answer answer = post(encode(mixed, type), type, null);
      assertThat(answer.status()).isEqualTo(200);
      assertThat(answer.rejectedSpans()).isEqualTo(4);
      assertThat(answer.reason()).startsWith("4 spans rejected: 4 timestamp out of range");
    }
    assertThat(awaitTrace(trace, SpanFixtures.THREE_SERVICE_SPAN_COUNT).spans())
        .hasSize(SpanFixtures.THREE_SERVICE_SPAN_COUNT);
  }

  @Test
  void invalidUtf8InEveryStringFieldIsReplacedAndStoredNextToItsNeighbours() throws Exception {
    for (String type : List.of(PROTOBUF, JSON_TYPE)) {
      Hostile hostile = new Hostile(pipeline.runId + "-utf8-" + type.length());
      byte[] clean = encode(hostile.request(HostileStrings.MARKER), type);
      byte[] body = HostileStrings.replaceAll(clean, MARKER, HostileStrings.INVALID_UTF8_MARKER);

      Answer answer = post(body, type, null);

      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      assertThat(answer.rejectedSpans()).isZero();
      int replaced = 2 * HostileStrings.STRING_FIELDS;
      assertThat(answer.reason())
          .isEqualTo(replaced + " characters replaced with U+FFFD: " + replaced + " invalid UTF-8");
      hostile.assertStored();
    }
  }

  @Test
  void nulInEveryStringFieldIsReplacedAndStoredNextToItsNeighbours() throws Exception {
    for (String type : List.of(PROTOBUF, JSON_TYPE)) {
      Hostile hostile = new Hostile(pipeline.runId + "-nul-" + type.length());

      Answer answer = post(encode(hostile.request(HostileStrings.NUL_MARKER), type), type, null);

      assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
      int replaced = 2 * HostileStrings.STRING_FIELDS;
      assertThat(answer.reason())
          .isEqualTo(replaced + " characters replaced with U+FFFD: " + replaced + " NUL (U+0000)");
      hostile.assertStored();
    }
  }

  @Test
  void unpairedSurrogateEscapesInJsonAreReplacedAndStored() throws Exception {
    Hostile hostile = new Hostile(pipeline.runId + "-surrogate");
    String json =
        OtlpJson.print(hostile.request(HostileStrings.MARKER))
            .replace(HostileStrings.MARKER, "\\ud800bad\\udfff");

    Answer answer = post(json.getBytes(StandardCharsets.UTF_8), JSON_TYPE, null);

    assertThat(answer.status()).isEqualTo(200);
    int replaced = 2 * HostileStrings.STRING_FIELDS;
    assertThat(answer.reason())
        .isEqualTo(
            replaced
                + " characters replaced with U+FFFD: "
                + replaced
                + " unpaired UTF-16 surrogate");
    hostile.assertStored();
  }

  /** A valid three-service trace and, in the same request, one span with text in every string. */
  private final class Hostile {
    final TraceId neighbour = SpanFixtures.randomTraceId();
    final TraceId hostile = SpanFixtures.randomTraceId();
    final String service;

    private Hostile(String service) {
      this.service = service;
    }

    ExportTraceServiceRequest request(String text) {
      ResourceSpans strings =
          HostileStrings.everyStringField(
              "hostile-" + service,
              ByteString.copyFrom(hostile.toBytes()),
              ByteString.copyFrom(SpanFixtures.randomSpanId().toBytes()),
              nowNanos(),
              text);
      return BadInputE2E.request(neighbour).toBuilder().addResourceSpans(strings).build();
    }

    void assertStored() {
      assertThat(awaitTrace(neighbour, SpanFixtures.THREE_SERVICE_SPAN_COUNT).spans())
          .hasSize(SpanFixtures.THREE_SERVICE_SPAN_COUNT);
      Stored stored = awaitTrace(hostile, 1);
      assertThat(stored.json()).doesNotContain("\\u0000", HostileStrings.MARKER, "bad\\ud");
      assertThat(HostileStrings.count(stored.json(), HostileStrings.REPLACED_MARKER))
          .as(stored.json())
          .isEqualTo(HostileStrings.STRING_FIELDS);
    }
  }

  // --- hostile query parameters ---------------------------------------------------------------

  @Test
  void hostileQueryParametersGetAClearAnswerBelow500() throws Exception {
    String huge = "a".repeat(3_000);
    List<String> searches =
        List.of(
            "service=" + encode("' OR 1=1--"),
            "service=" + encode("x'); DROP TABLE spans_standard;--"),
            "operation=" + encode("GET /x\u0000"),
            "service=" + huge,
            "service=a&service=b",
            "tag=a:b&".repeat(40) + "service=x",
            "tag=" + encode("nocolon"),
            "limit=99999999999999999999",
            "limit=-1",
            "cursor=not-a-cursor",
            "cursor=" + encode("eyJhIjoxfQ=="),
            "minDuration=1e400h",
            "minDuration=" + encode("-5s"),
            "start=" + encode("2200-01-01T00:00:00Z") + "&end=" + encode("1970-01-01T00:00:00Z"),
            "start=yesterday",
            "unknown=1",
            "error=maybe");
    for (String search : searches) {
      HttpResponse<byte[]> response = query.get("/api/v1/traces?" + search);
      assertProblem(response, "search " + search.substring(0, Math.min(80, search.length())));
    }
    List<String> traceIds =
        List.of(
            "zzzz",
            "00000000000000000000000000000000",
            "f".repeat(1_000),
            "%00",
            encode("' OR 1=1--"),
            "4bf92f3577b34da6a3ce929d0e0e473%2F");
    for (String id : traceIds) {
      HttpResponse<byte[]> response = query.get("/api/v1/traces/" + id);
      assertProblem(response, "trace " + id.substring(0, Math.min(40, id.length())));
    }
    // SQL-looking values that are valid are plain values: nothing matches, the tables are intact.
    HttpResponse<byte[]> sqlTag =
        query.get(
            "/api/v1/traces?tag="
                + encode("k:v' OR '1'='1")
                + "&start="
                + encode(Instant.now().minusSeconds(600).toString()));
    assertThat(sqlTag.statusCode()).as(QueryClient.text(sqlTag)).isEqualTo(200);
    assertThat(JSON.readTree(sqlTag.body()).get("traces")).isEmpty();
    TraceId afterwards = SpanFixtures.randomTraceId();
    assertThat(post(request(afterwards).toByteArray(), PROTOBUF, null).status()).isEqualTo(200);
    assertThat(awaitTrace(afterwards, SpanFixtures.THREE_SERVICE_SPAN_COUNT).spans())
        .hasSize(SpanFixtures.THREE_SERVICE_SPAN_COUNT);
  }

  /** A 4xx with, when query-svc itself answered (not the HTTP layer), a problem naming a reason. */
  private static void assertProblem(HttpResponse<byte[]> response, String what) throws IOException {
    assertThat(response.statusCode())
        .as(what + ": " + QueryClient.text(response))
        .isBetween(400, 499);
    if (response.statusCode() == 400 || response.statusCode() == 404) {
      assertThat(response.headers().firstValue("Content-Type").orElse(""))
          .as(what)
          .startsWith("application/problem+json");
      JsonNode problem = JSON.readTree(response.body());
      assertThat(problem.path("detail").asText())
          .as(what + ": " + QueryClient.text(response))
          .isNotBlank();
    }
  }

  // --- talking to the services ----------------------------------------------------------------

  /** The collector's answer: status, the reason it gives, and the rejected span count. */
  private record Answer(int status, String reason, long rejectedSpans) {}

  private Answer post(byte[] body, String type, String encoding)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(pipeline.otlpHttpUrl()))
            .header("Content-Type", type)
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      request.header("Content-Encoding", encoding);
    }
    HttpResponse<byte[]> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    int status = response.statusCode();
    boolean json = type.equals(JSON_TYPE);
    if (status == 200) {
      ExportTraceServiceResponse answer =
          json
              ? parseJsonResponse(response.body())
              : ExportTraceServiceResponse.parseFrom(response.body());
      return new Answer(
          status,
          answer.getPartialSuccess().getErrorMessage(),
          answer.getPartialSuccess().getRejectedSpans());
    }
    // A google.rpc.Status: its message is field 2.
    String reason =
        json
            ? JSON.readTree(response.body()).path("message").asText()
            : UnknownFieldSet.parseFrom(response.body())
                .getField(2)
                .getLengthDelimitedList()
                .get(0)
                .toStringUtf8();
    return new Answer(status, reason, 0);
  }

  private static ExportTraceServiceResponse parseJsonResponse(byte[] body) throws IOException {
    JsonNode partial = JSON.readTree(body).path("partialSuccess");
    return ExportTraceServiceResponse.newBuilder()
        .setPartialSuccess(
            io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess.newBuilder()
                .setRejectedSpans(partial.path("rejectedSpans").asLong(0))
                .setErrorMessage(partial.path("errorMessage").asText("")))
        .build();
  }

  private record Stored(List<dev.cairn.model.Span> spans, String json) {}

  /** Polls GET /api/v1/traces/{id} until the trace has its spans. */
  private Stored awaitTrace(TraceId traceId, int spanCount) {
    TracesData data = query.awaitTrace(traceId.toHex(), spanCount, STORED_WITHIN);
    return new Stored(OtlpSpanMapper.toSpans(data), OtlpJson.print(data));
  }

  private static ExportTraceServiceRequest request(TraceId trace) {
    return ExportTraceServiceRequest.newBuilder()
        .addAllResourceSpans(
            OtlpSpanMapper.toTracesData(SpanFixtures.threeServiceTrace(trace, nowNanos()))
                .getResourceSpansList())
        .build();
  }

  private static Span at(Span template, long start, long end) {
    return template.toBuilder()
        .setSpanId(ByteString.copyFrom(SpanFixtures.randomSpanId().toBytes()))
        .setStartTimeUnixNano(start)
        .setEndTimeUnixNano(end)
        .build();
  }

  private static byte[] encode(ExportTraceServiceRequest request, String type) {
    return type.equals(JSON_TYPE)
        ? OtlpJson.print(request).getBytes(StandardCharsets.UTF_8)
        : request.toByteArray();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }
}
