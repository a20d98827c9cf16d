package dev.cairn.collector.transport;

import static dev.cairn.collector.OtlpFixtures.randomTraceId;
import static dev.cairn.collector.OtlpFixtures.request;
import static dev.cairn.collector.OtlpFixtures.resourceSpans;
import static dev.cairn.collector.OtlpFixtures.span;
import static dev.cairn.collector.OtlpFixtures.zeros;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Status;
import dev.cairn.collector.TopicReader;
import dev.cairn.collector.TopicReader.WireRecord;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpJson;
import dev.cairn.model.testing.HostileStrings;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import io.quarkus.grpc.runtime.GrpcServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Both OTLP transports against the real Kafka broker (a topic of this run's own). */
@QuarkusTest
class OtlpIngestIT {

  @Inject GrpcServer grpcServer;

  @TestHTTPResource URL http;

  @ConfigProperty(name = "cairn.collector.kafka.topic")
  String topic;

  @ConfigProperty(name = "cairn.collector.kafka.bootstrap-servers")
  String bootstrap;

  @ConfigProperty(name = "cairn.collector.ingest.max-request-bytes")
  int maxRequestBytes;

  private ManagedChannel channel;

  @BeforeEach
  void connect() {
    channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", grpcServer.getPort()).usePlaintext().build();
  }

  @AfterEach
  void disconnect() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Valid spans of two traces plus one span with an all-zero trace id. */
  private record MixedBatch(
      ByteString traceA, ByteString traceB, ExportTraceServiceRequest request) {
    static MixedBatch create() {
      ByteString a = randomTraceId();
      ByteString b = randomTraceId();
      return new MixedBatch(
          a,
          b,
          dev.cairn.collector.OtlpFixtures.request(
              resourceSpans(
                  "frontend",
                  List.of(
                      span(a, "a-root").build(),
                      span(zeros(16), "zero-trace").build(),
                      span(b, "b-root").build())),
              resourceSpans("backend", List.of(span(a, "a-child").build()))));
    }

    Set<TraceId> traceIds() {
      return Set.of(id(traceA), id(traceB));
    }
  }

  private static TraceId id(ByteString bytes) {
    return TraceId.fromBytes(bytes.toByteArray());
  }

  private void assertOnlyValidSpansArrived(MixedBatch batch) {
    List<WireRecord> records =
        TopicReader.read(bootstrap, topic, batch.traceIds(), 3, Duration.ofSeconds(1));
    assertThat(records)
        .extracting(WireRecord::key)
        .containsExactlyInAnyOrderElementsOf(batch.traceIds());
    Map<TraceId, List<String>> names =
        records.stream().collect(Collectors.toMap(WireRecord::key, WireRecord::spanNames));
    assertThat(names.get(id(batch.traceA()))).containsExactly("a-root", "a-child");
    assertThat(names.get(id(batch.traceB()))).containsExactly("b-root");
  }

  @Test
  void grpcExportOfAMixedBatchPublishesOneRecordPerTraceAndReportsTheRejectedSpan() {
    MixedBatch batch = MixedBatch.create();

    ExportTraceServiceResponse response =
        TraceServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .export(batch.request());

    assertThat(response.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(response.getPartialSuccess().getErrorMessage())
        .isEqualTo("1 span rejected: 1 invalid trace id (all zero)");
    assertOnlyValidSpansArrived(batch);
  }

  @Test
  void grpcAcceptsGzipAndAnEmptyRequest() {
    MixedBatch batch = MixedBatch.create();
    var stub =
        TraceServiceGrpc.newBlockingStub(channel)
            .withCompression("gzip")
            .withDeadlineAfter(20, TimeUnit.SECONDS);

    assertThat(stub.export(batch.request()).getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(stub.export(ExportTraceServiceRequest.getDefaultInstance()).hasPartialSuccess())
        .isFalse();
    assertOnlyValidSpansArrived(batch);
  }

  @Test
  void grpcRefusesAnOversizedMessage() {
    ExportTraceServiceRequest huge = oversizedRequest();

    assertThatThrownBy(
            () ->
                TraceServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .export(huge))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e ->
                assertThat(e.getStatus().getCode())
                    .isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED));
  }

  @Test
  void grpcRefusesAMessageThatOutgrowsTheLimitOnceDecompressed() {
    ExportTraceServiceRequest huge = oversizedRequest();

    assertThatThrownBy(
            () ->
                TraceServiceGrpc.newBlockingStub(channel)
                    .withCompression("gzip")
                    .withDeadlineAfter(20, TimeUnit.SECONDS)
                    .export(huge))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription()).contains("exceeds maximum size");
            });
  }

  /** One span with an attribute longer than the request limit; gzip shrinks it far below. */
  private ExportTraceServiceRequest oversizedRequest() {
    return request(
        resourceSpans(
            "big",
            List.of(
                span(randomTraceId(), "x")
                    .addAttributes(
                        dev.cairn.collector.OtlpFixtures.attribute(
                            "blob", "x".repeat(maxRequestBytes + 1)))
                    .build())));
  }

  @Test
  void httpProtobufExportOfAMixedBatch() throws Exception {
    MixedBatch batch = MixedBatch.create();

    Response response =
        given()
            .contentType("application/x-protobuf")
            .body(batch.request().toByteArray())
            .post("/v1/traces");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/x-protobuf");
    ExportTraceServiceResponse body = ExportTraceServiceResponse.parseFrom(response.asByteArray());
    assertThat(body.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(body.getPartialSuccess().getErrorMessage()).contains("invalid trace id (all zero)");
    assertOnlyValidSpansArrived(batch);
  }

  @Test
  void httpJsonExportOfAMixedBatchIsAnsweredInJson() {
    MixedBatch batch = MixedBatch.create();

    Response response =
        given()
            .contentType("application/json")
            .body(OtlpJson.print(batch.request()).getBytes(StandardCharsets.UTF_8))
            .post("/v1/traces");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    assertThat(String.valueOf(response.jsonPath().getString("partialSuccess.rejectedSpans")))
        .isEqualTo("1");
    assertThat(response.jsonPath().getString("partialSuccess.errorMessage"))
        .isEqualTo("1 span rejected: 1 invalid trace id (all zero)");
    assertOnlyValidSpansArrived(batch);
  }

  @Test
  void httpGzipBodiesInBothEncodings() throws Exception {
    MixedBatch protobuf = MixedBatch.create();
    MixedBatch json = MixedBatch.create();

    given()
        .contentType("application/x-protobuf")
        .header("Content-Encoding", "gzip")
        .body(gzip(protobuf.request().toByteArray()))
        .post("/v1/traces")
        .then()
        .statusCode(200);
    given()
        .contentType("application/json")
        .header("Content-Encoding", "gzip")
        .body(gzip(OtlpJson.print(json.request()).getBytes(StandardCharsets.UTF_8)))
        .post("/v1/traces")
        .then()
        .statusCode(200)
        .body(containsString("invalid trace id (all zero)"));

    assertOnlyValidSpansArrived(protobuf);
    assertOnlyValidSpansArrived(json);
  }

  @Test
  void malformedBodiesGet400WithAReason() throws Exception {
    double protobufBefore = malformedRequests("http_protobuf");
    double jsonBefore = malformedRequests("http_json");

    Response protobuf =
        given()
            .contentType("application/x-protobuf")
            .body(new byte[] {0x0a, 0x7f, 0x01, 0x02})
            .post("/v1/traces");
    assertThat(protobuf.statusCode()).isEqualTo(400);
    assertThat(Status.parseFrom(protobuf.asByteArray()).getMessage())
        .startsWith("malformed OTLP protobuf body");

    given()
        .contentType("application/json")
        .body("{\"resourceSpans\": [ {")
        .post("/v1/traces")
        .then()
        .statusCode(400)
        .body(containsString("malformed OTLP JSON body"));

    given()
        .contentType("application/x-protobuf")
        .header("Content-Encoding", "gzip")
        .body("not gzip at all".getBytes(StandardCharsets.UTF_8))
        .post("/v1/traces")
        .then()
        .statusCode(400);

    assertThat(malformedRequests("http_protobuf")).isEqualTo(protobufBefore + 2);
    assertThat(malformedRequests("http_json")).isEqualTo(jsonBefore + 1);
  }

  @Test
  void anOversizedBodyGets413BeforeItIsSent() throws IOException {
    // Announce a body far over the limit and send none of it: the answer must not wait for it.
    try (Socket socket = new Socket(http.getHost(), http.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/traces HTTP/1.1\r\nHost: localhost\r\n"
                  + "Content-Type: application/x-protobuf\r\n"
                  + "Content-Length: "
                  + (10L * maxRequestBytes)
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] statusLine = new byte[12];
      int read = in.readNBytes(statusLine, 0, statusLine.length);
      assertThat(new String(statusLine, 0, read, StandardCharsets.US_ASCII))
          .isEqualTo("HTTP/1.1 413");
    }
  }

  @Test
  void aChunkedBodyOverTheLimitGets413() throws IOException {
    // No Content-Length: the limit must be enforced while the body streams in.
    try (Socket socket = new Socket(http.getHost(), http.getPort())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("POST /v1/traces HTTP/1.1\r\nHost: localhost\r\n"
                  + "Content-Type: application/x-protobuf\r\n"
                  + "Transfer-Encoding: chunked\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[64 * 1024];
      byte[] header =
          (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      try {
        for (long sent = 0; sent <= 2L * maxRequestBytes; sent += chunk.length) {
          out.write(header);
          out.write(chunk);
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.flush();
      } catch (IOException closedByServer) {
        // The server may answer and close before the client finished writing: that is the point.
      }
      byte[] statusLine = new byte[12];
      int read = socket.getInputStream().readNBytes(statusLine, 0, statusLine.length);
      String status = new String(statusLine, 0, read, StandardCharsets.US_ASCII);
      assertThat(status).isEqualTo("HTTP/1.1 413");
    }
  }

  @Test
  void grpcRefusesAMalformedMessageWithInvalidArgumentAndKeepsServing() {
    double before = malformedRequests("grpc");

    // Field 1 announces 127 bytes and two follow.
    assertThatThrownBy(() -> exportRawBytes(new byte[] {0x0a, 0x7f, 0x01, 0x02}, null))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .startsWith("malformed ExportTraceServiceRequest: ")
                  .contains("input ended unexpectedly");
            });
    assertThat(malformedRequests("grpc")).isEqualTo(before + 1);

    // The same channel (connection) goes on serving.
    assertThat(
            TraceServiceGrpc.newBlockingStub(channel)
                .withDeadlineAfter(20, TimeUnit.SECONDS)
                .export(MixedBatch.create().request())
                .getPartialSuccess()
                .getRejectedSpans())
        .isEqualTo(1);
  }

  @Test
  void grpcRefusesAMalformedGzipMessageWithInvalidArgument() {
    byte[] notProtobuf = "not a protobuf message at all".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> exportRawBytes(notProtobuf, "gzip"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
              assertThat(e.getStatus().getDescription())
                  .startsWith("malformed ExportTraceServiceRequest: ");
            });
  }

  /** A valid span of one trace, and a span of another with invalid UTF-8 in every string field. */
  private record HostileBatch(ByteString neighbourTrace, ByteString hostileTrace, byte[] protobuf) {
    static HostileBatch create() {
      ByteString neighbour = randomTraceId();
      ByteString hostile = randomTraceId();
      ExportTraceServiceRequest request =
          request(
              resourceSpans("frontend", List.of(span(neighbour, "neighbour").build())),
              HostileStrings.everyStringField(
                  "hostile",
                  hostile,
                  dev.cairn.collector.OtlpFixtures.randomSpanId(),
                  dev.cairn.collector.OtlpFixtures.START,
                  HostileStrings.MARKER));
      return new HostileBatch(
          neighbour,
          hostile,
          HostileStrings.replaceAll(
              request.toByteArray(), MARKER, HostileStrings.INVALID_UTF8_MARKER));
    }

    byte[] json() throws InvalidProtocolBufferException {
      // The same request in OTLP JSON, with the same invalid bytes in its strings.
      String clean =
          OtlpJson.print(
              ExportTraceServiceRequest.parseFrom(
                  HostileStrings.replaceAll(protobuf, HostileStrings.INVALID_UTF8_MARKER, MARKER)));
      return HostileStrings.replaceAll(
          clean.getBytes(StandardCharsets.UTF_8), MARKER, HostileStrings.INVALID_UTF8_MARKER);
    }

    void assertBothTracesArrived(String bootstrap, String topic) {
      List<WireRecord> records =
          TopicReader.read(
              bootstrap,
              topic,
              Set.of(id(neighbourTrace), id(hostileTrace)),
              2,
              Duration.ofSeconds(1));
      Map<TraceId, List<String>> names =
          records.stream().collect(Collectors.toMap(WireRecord::key, WireRecord::spanNames));
      assertThat(names.get(id(neighbourTrace))).containsExactly("neighbour");
      assertThat(names.get(id(hostileTrace)))
          .containsExactly("op " + HostileStrings.REPLACED_MARKER);
      WireRecord hostileRecord =
          records.stream().filter(r -> r.key().equals(id(hostileTrace))).findFirst().orElseThrow();
      String published = OtlpJson.print(hostileRecord.value());
      assertThat(HostileStrings.count(published, HostileStrings.REPLACED_MARKER))
          .isEqualTo(HostileStrings.STRING_FIELDS);
    }
  }

  private static final byte[] MARKER = HostileStrings.MARKER.getBytes(StandardCharsets.US_ASCII);

  private static final String INVALID_UTF8_WARNING =
      (2 * HostileStrings.STRING_FIELDS)
          + " characters replaced with U+FFFD: "
          + (2 * HostileStrings.STRING_FIELDS)
          + " invalid UTF-8";

  @Test
  void grpcInvalidUtf8InEveryStringFieldIsReplacedAndTheNeighbourKept() throws Exception {
    HostileBatch batch = HostileBatch.create();

    ExportTraceServiceResponse response =
        ExportTraceServiceResponse.parseFrom(exportRawBytes(batch.protobuf(), null));

    assertThat(response.getPartialSuccess().getRejectedSpans()).isZero();
    assertThat(response.getPartialSuccess().getErrorMessage()).isEqualTo(INVALID_UTF8_WARNING);
    batch.assertBothTracesArrived(bootstrap, topic);
  }

  @Test
  void httpProtobufInvalidUtf8IsReplacedAndTheNeighbourKept() throws Exception {
    HostileBatch batch = HostileBatch.create();

    Response response =
        given().contentType("application/x-protobuf").body(batch.protobuf()).post("/v1/traces");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(
            ExportTraceServiceResponse.parseFrom(response.asByteArray())
                .getPartialSuccess()
                .getErrorMessage())
        .isEqualTo(INVALID_UTF8_WARNING);
    batch.assertBothTracesArrived(bootstrap, topic);
  }

  @Test
  void httpJsonInvalidUtf8IsReplacedAndTheNeighbourKept() throws Exception {
    HostileBatch batch = HostileBatch.create();

    given()
        .contentType("application/json")
        .body(batch.json())
        .post("/v1/traces")
        .then()
        .statusCode(200)
        .body(containsString(INVALID_UTF8_WARNING));
    batch.assertBothTracesArrived(bootstrap, topic);
    assertThat(given().get("/q/metrics").asString())
        .containsPattern(
            "cairn_collector_characters_replaced_total\\{.*reason=\"invalid_utf8\".*} [1-9]");
  }

  @Test
  void spansOutsideTheTimeWindowAreRejectedOverBothTransports() {
    ByteString trace = randomTraceId();
    long year2200 = TimeUnit.SECONDS.toNanos(7_258_118_400L);
    ExportTraceServiceRequest request =
        request(
            resourceSpans(
                "clock",
                List.of(
                    span(trace, "in-range").build(),
                    span(trace, "1970").setStartTimeUnixNano(1).setEndTimeUnixNano(2).build(),
                    span(trace, "2200")
                        .setStartTimeUnixNano(year2200)
                        .setEndTimeUnixNano(year2200 + 1)
                        .build())));

    ExportTraceServiceResponse grpc =
        TraceServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(20, TimeUnit.SECONDS)
            .export(request);
    given()
        .contentType("application/json")
        .body(OtlpJson.print(request).getBytes(StandardCharsets.UTF_8))
        .post("/v1/traces")
        .then()
        .statusCode(200)
        .body(containsString("2 spans rejected: 2 timestamp out of range"));

    assertThat(grpc.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(grpc.getPartialSuccess().getErrorMessage())
        .startsWith("2 spans rejected: 2 timestamp out of range");
    List<WireRecord> records =
        TopicReader.read(bootstrap, topic, Set.of(id(trace)), 2, Duration.ofSeconds(1));
    assertThat(records.stream().flatMap(r -> r.spanNames().stream()))
        .containsExactly("in-range", "in-range");
  }

  /** Sends bytes as the Export request message, bypassing the client's protobuf marshaller. */
  private byte[] exportRawBytes(byte[] message, String compression) {
    MethodDescriptor.Marshaller<byte[]> raw =
        new MethodDescriptor.Marshaller<>() {
          @Override
          public InputStream stream(byte[] value) {
            return new java.io.ByteArrayInputStream(value);
          }

          @Override
          public byte[] parse(InputStream stream) {
            try {
              return stream.readAllBytes();
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        };
    MethodDescriptor<byte[], byte[]> export =
        MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(TraceServiceGrpc.getExportMethod().getFullMethodName())
            .setRequestMarshaller(raw)
            .setResponseMarshaller(raw)
            .build();
    return ClientCalls.blockingUnaryCall(
        channel,
        export,
        io.grpc.CallOptions.DEFAULT
            .withCompression(compression)
            .withDeadlineAfter(20, TimeUnit.SECONDS),
        message);
  }

  /** {@code cairn_collector_requests_rejected_total{reason="malformed"}} of one transport. */
  private static double malformedRequests(String transport) {
    Matcher value =
        Pattern.compile(
                "(?m)^cairn_collector_requests_rejected_total\\{(?=[^}]*reason=\"malformed\")"
                    + "(?=[^}]*transport=\""
                    + transport
                    + "\")[^}]*} (\\S+)$")
            .matcher(given().get("/q/metrics").asString());
    assertThat(value.find()).as("malformed-request counter of " + transport).isTrue();
    return Double.parseDouble(value.group(1));
  }

  @Test
  void aGzipBombGets413() throws IOException {
    byte[] bomb = gzip(new byte[maxRequestBytes + 1]);
    assertThat(bomb.length).isLessThan(maxRequestBytes / 10);

    given()
        .contentType("application/x-protobuf")
        .header("Content-Encoding", "gzip")
        .body(bomb)
        .post("/v1/traces")
        .then()
        .statusCode(413);
  }

  @Test
  void healthIsReadyAndMetricsCountTheSpans() {
    MixedBatch batch = MixedBatch.create();
    TraceServiceGrpc.newBlockingStub(channel).export(batch.request());

    given().get("/q/health/ready").then().statusCode(200).body(containsString("kafka"));
    String metrics = given().get("/q/metrics").asString();
    assertThat(metrics)
        .containsPattern("cairn_collector_spans_received_total\\{.*transport=\"grpc\".*} [1-9]")
        .containsPattern(
            "cairn_collector_spans_rejected_total\\{.*reason=\"trace_id_zero\".*} [1-9]")
        .containsPattern("cairn_collector_spans_published_total(\\{.*})? [1-9]")
        .contains("cairn_collector_attributes_truncated_total")
        .contains("cairn_collector_publish_failures_total")
        .contains("cairn_collector_request_duration_seconds");
  }

  static byte[] gzip(byte[] data) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(data);
    }
    return out.toByteArray();
  }
}
