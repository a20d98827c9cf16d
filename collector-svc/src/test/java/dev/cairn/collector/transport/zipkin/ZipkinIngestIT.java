package dev.cairn.collector.transport.zipkin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.collector.TopicReader;
import dev.cairn.collector.TopicReader.WireRecord;
import dev.cairn.model.TraceId;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import zipkin2.Endpoint;
import zipkin2.Span;
import zipkin2.codec.SpanBytesEncoder;

/** {@code POST /api/v2/spans} on the receiver's own port, against the real Kafka broker. */
@QuarkusTest
class ZipkinIngestIT {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Inject ZipkinReceiver receiver;

  @ConfigProperty(name = "cairn.collector.kafka.topic")
  String topic;

  @ConfigProperty(name = "cairn.collector.kafka.bootstrap-servers")
  String bootstrap;

  @ConfigProperty(name = "cairn.collector.ingest.max-request-bytes")
  int maxRequestBytes;

  @Test
  void jsonPlainAndGzipIsPublishedPerTraceAndTheBadSpanNamed() throws Exception {
    for (boolean gzip : new boolean[] {false, true}) {
      String traceA = randomHex(16);
      String traceB = randomHex(8); // 64-bit, as older Zipkin clients send
      String body =
          "["
              + jsonSpan(traceA, "GET /Cart", "Frontend")
              + ","
              + jsonSpan("zz-not-an-id", "lost", "Frontend")
              + ","
              + jsonSpan(traceB, "charge", "payments")
              + "]";
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

      HttpResponse<String> response =
          post("application/json", gzip ? gzip(bytes) : bytes, gzip ? "gzip" : null);

      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      assertThat(response.body()).isEqualTo("1 span rejected: 1 invalid trace id (not 16 bytes)");
      Map<TraceId, List<WireRecord>> records = read(Set.of(traceId(traceA), traceId(traceB)), 2);
      assertThat(records.get(traceId(traceA)))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.spanNames()).containsExactly("GET /Cart");
                assertThat(serviceName(r.value().getResourceSpans(0))).isEqualTo("Frontend");
              });
      assertThat(records.get(traceId(traceB)))
          .singleElement()
          .satisfies(r -> assertThat(r.spanNames()).containsExactly("charge"));
    }
  }

  @Test
  void proto3FromZipkinsEncoderIsPublished() throws Exception {
    String trace = randomHex(16);
    long now = nowMicros();
    List<Span> spans =
        List.of(
            Span.newBuilder()
                .traceId(trace)
                .id(randomHex(8))
                .kind(Span.Kind.CLIENT)
                .name("send")
                .timestamp(now)
                .duration(1200)
                .localEndpoint(Endpoint.newBuilder().serviceName("orders").build())
                .putTag("error", "broker unreachable")
                .build(),
            Span.newBuilder()
                .traceId(trace)
                .id(randomHex(8))
                .name("local work")
                .timestamp(now + 10)
                .duration(5)
                .localEndpoint(Endpoint.newBuilder().serviceName("orders").build())
                .build());

    HttpResponse<String> response =
        post("application/x-protobuf", gzip(SpanBytesEncoder.PROTO3.encodeList(spans)), "gzip");

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(response.body()).isEmpty();
    WireRecord record = read(Set.of(traceId(trace)), 2).get(traceId(trace)).get(0);
    assertThat(record.spanNames()).containsExactly("send", "local work");
    var client = record.value().getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(client.getStatus().getMessage()).isEqualTo("broker unreachable");
  }

  @Test
  void malformedBodiesAreRefusedWith400NamingTheProblem() throws Exception {
    assertAnswer(
        post("application/json", bytes("{\"traceId\": 1}"), null),
        400,
        "malformed Zipkin v2 JSON body: expected a JSON array of spans at line 1, column 1");
    assertAnswer(
        post("application/x-protobuf", new byte[] {0x0a, 0x7f}, null),
        400,
        "malformed Zipkin v2 proto3 body: ");
    assertAnswer(post("application/json", bytes("[]"), "gzip"), 400, "malformed gzip body: ");
  }

  @Test
  void oversizedBodiesGet413OnTheWireAndWhenDecompressed() throws Exception {
    byte[] large = bytes("[" + " ".repeat(maxRequestBytes) + "]");
    assertAnswer(post("application/json", large, null), 413, "exceeds the limit");
    assertAnswer(post("application/json", gzip(large), "gzip"), 413, "exceeds the limit");
  }

  @Test
  void otherMediaTypesAndEncodingsGet415() throws Exception {
    assertAnswer(post("application/thrift", bytes("[]"), null), 415, "unsupported Content-Type");
    assertAnswer(post("application/json", bytes("[]"), "br"), 415, "unsupported Content-Encoding");
    assertAnswer(post("application/json; charset=utf-8", bytes("[]"), null), 202, "");
  }

  private HttpResponse<String> post(String contentType, byte[] body, String encoding)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + receiver.port() + ZipkinReceiver.SPANS_PATH))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (encoding != null) {
      request.header("Content-Encoding", encoding);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private Map<TraceId, List<WireRecord>> read(Set<TraceId> traces, int spans) {
    return TopicReader.read(bootstrap, topic, traces, spans, Duration.ofMillis(500)).stream()
        .collect(Collectors.groupingBy(WireRecord::key));
  }

  private static void assertAnswer(HttpResponse<String> response, int status, String text) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body()).contains(text);
  }

  private static String jsonSpan(String traceId, String name, String service) {
    return String.format(
        "{\"traceId\":\"%s\",\"id\":\"%s\",\"kind\":\"SERVER\",\"name\":\"%s\",\"timestamp\":%d,"
            + "\"duration\":1500,\"localEndpoint\":{\"serviceName\":\"%s\"}}",
        traceId, randomHex(8), name, nowMicros(), service);
  }

  private static TraceId traceId(String hex) {
    return TraceId.fromHex("0".repeat(32 - hex.length()) + hex);
  }

  private static String serviceName(ResourceSpans resource) {
    return resource.getResource().getAttributes(0).getValue().getStringValue();
  }

  private static String randomHex(int bytes) {
    byte[] id = new byte[bytes];
    RANDOM.nextBytes(id);
    id[0] |= 0x10; // never all zero
    return HEX.formatHex(id);
  }

  private static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(body);
    }
    return out.toByteArray();
  }
}
