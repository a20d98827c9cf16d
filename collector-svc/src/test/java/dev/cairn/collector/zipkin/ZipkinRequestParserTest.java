package dev.cairn.collector.zipkin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.cairn.collector.OtlpFixtures;
import dev.cairn.collector.ingest.ParsedRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import zipkin2.Endpoint;
import zipkin2.codec.SpanBytesEncoder;

/** Both Zipkin v2 encodings into OTLP: a hand-written JSON fixture, and Zipkin's own encoder. */
class ZipkinRequestParserTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void jsonFixtureMapsEveryFieldToOtlp() throws Exception {
    ParsedRequest parsed = ZipkinRequestParser.json(fixture("zipkin/v2-spans.json"));

    assertThat(parsed.invalidUtf8Replaced()).isZero();
    assertThat(parsed.mayHoldUnpairedSurrogates()).isTrue();
    List<ResourceSpans> resources = parsed.request().getResourceSpansList();
    // One resource per local service, in order of appearance; names keep their case.
    assertThat(resources).extracting(r -> serviceName(r)).containsExactly("Frontend", "checkout");

    Span server = resources.get(0).getScopeSpans(0).getSpans(0);
    assertThat(hex(server.getTraceId())).isEqualTo("00000000000000005af7183fb1d4cf5f");
    assertThat(hex(server.getSpanId())).isEqualTo("352bff9a74ca9ad2");
    assertThat(server.getParentSpanId()).isEmpty();
    assertThat(server.getName()).isEqualTo("GET /Checkout");
    assertThat(server.getKind()).isEqualTo(SpanKind.SPAN_KIND_SERVER);
    assertThat(server.getStartTimeUnixNano()).isEqualTo(1_700_000_000_000_000_000L);
    assertThat(server.getEndTimeUnixNano()).isEqualTo(1_700_000_000_250_000_000L);
    assertThat(server.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(server.getStatus().getMessage()).isEqualTo("upstream timed out");
    assertThat(server.getAttributesList())
        .containsExactly(
            string("http.method", "GET"),
            string("http.path", "/checkout"),
            string("http.status_code", "500"),
            string("net.host.ip", "10.1.2.3"),
            integer("net.host.port", 8080),
            string("net.peer.ip", "2001:db8::c001"),
            integer("net.peer.port", 51234));
    assertThat(server.getEventsList())
        .containsExactly(
            Span.Event.newBuilder()
                .setTimeUnixNano(1_700_000_000_010_000_000L)
                .setName("wr")
                .build());

    assertThat(resources.get(0).getScopeSpansList()).hasSize(2);
    var clientScope = resources.get(0).getScopeSpans(1);
    assertThat(clientScope.getScope().getName()).isEqualTo("io.acme.http");
    assertThat(clientScope.getScope().getVersion()).isEqualTo("2.1.0");
    Span client = clientScope.getSpans(0);
    assertThat(hex(client.getParentSpanId())).isEqualTo("352bff9a74ca9ad2");
    assertThat(client.getKind()).isEqualTo(SpanKind.SPAN_KIND_CLIENT);
    assertThat(client.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_OK);
    assertThat(client.getAttributesList())
        .containsExactly(
            string("peer.service", "payments"),
            string("net.peer.ip", "10.9.8.7"),
            integer("net.peer.port", 443),
            KeyValue.newBuilder()
                .setKey(ZipkinTags.DEBUG_ATTRIBUTE)
                .setValue(AnyValue.newBuilder().setBoolValue(true))
                .build());

    var localScope = resources.get(1).getScopeSpans(0);
    assertThat(localScope.getScope().getName()).isEqualTo("io.acme.legacy");
    Span local = localScope.getSpans(0);
    assertThat(hex(local.getTraceId())).isEqualTo("463ac35c9f6413ad48485a3953bb6124");
    assertThat(local.getParentSpanId()).as("all-zero parent is no parent").isEmpty();
    assertThat(local.getKind()).isEqualTo(SpanKind.SPAN_KIND_INTERNAL);
    assertThat(local.getTraceState()).isEqualTo("ot=th:8");
    assertThat(local.getDroppedAttributesCount()).isEqualTo(2);
    assertThat(local.getAttributesList()).containsExactly(string("retries", "2"));
    assertThat(local.getEndTimeUnixNano() - local.getStartTimeUnixNano()).isEqualTo(1_500_000);
    assertThat(local.getEventsList())
        .containsExactly(
            Span.Event.newBuilder()
                .setTimeUnixNano(1_700_000_001_000_700_000L)
                .setName("cart.validated")
                .addAttributes(integer("cart.items", 3))
                .addAttributes(
                    KeyValue.newBuilder()
                        .setKey("cart.total")
                        .setValue(AnyValue.newBuilder().setDoubleValue(99.5)))
                .addAttributes(
                    KeyValue.newBuilder()
                        .setKey("gift")
                        .setValue(AnyValue.newBuilder().setBoolValue(true)))
                .addAttributes(
                    KeyValue.newBuilder()
                        .setKey("skus")
                        .setValue(
                            AnyValue.newBuilder()
                                .setArrayValue(
                                    ArrayValue.newBuilder()
                                        .addValues(AnyValue.newBuilder().setStringValue("a"))
                                        .addValues(AnyValue.newBuilder().setStringValue("b")))))
                .build(),
            Span.Event.newBuilder()
                .setTimeUnixNano(1_700_000_001_000_800_000L)
                .setName("\"not\":{json")
                .build());
  }

  @Test
  void proto3AndJsonWrittenByZipkinsOwnEncoderMapToTheSameRequest() throws Exception {
    List<zipkin2.Span> spans =
        List.of(
            zipkin2.Span.newBuilder()
                .traceId("463ac35c9f6413ad48485a3953bb6124")
                .id("a2fb4a1d1a96d312")
                .kind(zipkin2.Span.Kind.PRODUCER)
                .name("send orders")
                .timestamp(1_700_000_000_000_000L)
                .duration(1234)
                .localEndpoint(
                    Endpoint.newBuilder().serviceName("orders").ip("10.0.0.1").port(9000).build())
                .remoteEndpoint(
                    Endpoint.newBuilder().serviceName("kafka").ip("2001:db8::1").port(9092).build())
                .addAnnotation(1_700_000_000_000_100L, "ws")
                .putTag("messaging.system", "kafka")
                .putTag("error", "")
                .debug(true)
                .build(),
            zipkin2.Span.newBuilder()
                .traceId("5af7183fb1d4cf5f")
                .parentId("a2fb4a1d1a96d312")
                .id("352bff9a74ca9ad2")
                .kind(zipkin2.Span.Kind.CONSUMER)
                .name("receive orders")
                .timestamp(1_700_000_000_002_000L)
                .duration(50)
                .localEndpoint(Endpoint.newBuilder().serviceName("billing").build())
                .build());

    ParsedRequest json = ZipkinRequestParser.json(SpanBytesEncoder.JSON_V2.encodeList(spans));
    ParsedRequest proto = ZipkinRequestParser.proto3(SpanBytesEncoder.PROTO3.encodeList(spans));

    assertThat(proto.request()).isEqualTo(json.request());
    assertThat(proto.mayHoldUnpairedSurrogates()).isFalse();
    Span producer = json.request().getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(producer.getKind()).isEqualTo(SpanKind.SPAN_KIND_PRODUCER);
    assertThat(producer.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_ERROR);
    assertThat(producer.getStatus().getMessage()).isEmpty();
    assertThat(producer.getAttributesList())
        .contains(string("net.peer.ip", "2001:db8::1"), string("peer.service", "kafka"));
    Span consumer = json.request().getResourceSpans(1).getScopeSpans(0).getSpans(0);
    assertThat(consumer.getKind()).isEqualTo(SpanKind.SPAN_KIND_CONSUMER);
    assertThat(hex(consumer.getTraceId()))
        .as("a 64-bit trace id is the low half of a 128-bit one")
        .isEqualTo("00000000000000005af7183fb1d4cf5f");
  }

  @Test
  void emptyListIsAnEmptyRequest() throws Exception {
    assertThat(ZipkinRequestParser.json("[]".getBytes(StandardCharsets.UTF_8)).request())
        .satisfies(r -> assertThat(r.getResourceSpansCount()).isZero());
    assertThat(ZipkinRequestParser.proto3(new byte[0]).request().getResourceSpansCount()).isZero();
  }

  @Test
  void malformedJsonIsRefusedNamingWhatAndWhere() {
    assertMalformedJson(
        "{\"traceId\":\"a\"}", "expected a JSON array of spans at line 1, column 1");
    assertMalformedJson("[{\"id\": 5}]", "id: expected a string at line 1, column 9");
    assertMalformedJson("[{\"timestamp\": \"soon\"}]", "timestamp: expected an integer");
    assertMalformedJson("[{\"timestamp\": 1.5}]", "timestamp: expected an integer");
    assertMalformedJson("[{\"tags\": {\"k\": {\"nested\": 1}}}]", "tag k: expected a string");
    assertMalformedJson("[{\"debug\": \"yes\"}]", "debug: expected true or false");
    assertMalformedJson("[{\"localEndpoint\": \"frontend\"}]", "expected localEndpoint object");
    assertMalformedJson("[{\"annotations\": {}}]", "expected annotations array");
    assertMalformedJson("[{\"id\": \"ab\"}] []", "unexpected content after the array of spans");
    assertMalformedJson("[{\"id\": \"ab\"", "Unexpected end-of-input");
    assertMalformedJson("[1]", "expected a span object");
    assertMalformedJson("", "expected a JSON array of spans");
  }

  @Test
  void malformedProto3IsRefused() {
    assertThatThrownBy(() -> ZipkinRequestParser.proto3(new byte[] {0x0a, 0x7f, 0x01}))
        .isInstanceOf(ZipkinFormatException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void invalidUtf8InJsonIsReplacedAndCountedInsteadOfRefusingTheBody() throws Exception {
    byte[] prefix =
        "[{\"traceId\":\"5af7183fb1d4cf5f\",\"id\":\"352bff9a74ca9ad2\",\"name\":\"ab"
            .getBytes(StandardCharsets.UTF_8);
    byte[] suffix = "cd\",\"timestamp\":1}]".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[prefix.length + 2 + suffix.length];
    System.arraycopy(prefix, 0, body, 0, prefix.length);
    body[prefix.length] = (byte) 0xc3; // a lead byte followed by no continuation byte
    body[prefix.length + 1] = (byte) 0xff;
    System.arraycopy(suffix, 0, body, prefix.length + 2, suffix.length);

    ParsedRequest parsed = ZipkinRequestParser.json(body);

    assertThat(parsed.invalidUtf8Replaced()).isEqualTo(2);
    assertThat(parsed.request().getResourceSpans(0).getScopeSpans(0).getSpans(0).getName())
        .isEqualTo("ab\uFFFD\uFFFDcd");
  }

  private static void assertMalformedJson(String body, String message) {
    assertThatThrownBy(() -> ZipkinRequestParser.json(body.getBytes(StandardCharsets.UTF_8)))
        .as(body)
        .isInstanceOf(ZipkinFormatException.class)
        .hasMessageContaining(message);
  }

  static byte[] fixture(String name) throws IOException {
    try (InputStream in =
        ZipkinRequestParserTest.class.getClassLoader().getResourceAsStream(name)) {
      return in.readAllBytes();
    }
  }

  private static String serviceName(ResourceSpans resource) {
    return resource.getResource().getAttributesList().stream()
        .filter(a -> a.getKey().equals("service.name"))
        .map(a -> a.getValue().getStringValue())
        .findFirst()
        .orElse("");
  }

  static String hex(ByteString bytes) {
    return HEX.formatHex(bytes.toByteArray());
  }

  static KeyValue string(String key, String value) {
    return OtlpFixtures.attribute(key, value);
  }

  static KeyValue integer(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }
}
