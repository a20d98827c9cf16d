package dev.cairn.model.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.InstrumentationScope;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.SpanEvent;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.SpanLink;
import dev.cairn.model.SpanStatus;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OtlpJsonTest {

  private static byte[] spanJson(String fields) {
    return ("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{" + fields + "}]}]}]}")
        .getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void readsHexIdsAndInt64AsStringOrNumber() {
    ExportTraceServiceRequest request =
        OtlpJson.parseExportRequest(
            spanJson(
                "\"traceId\":\"0102030405060708090a0b0c0d0e0f10\",\"spanId\":\"A1A2A3A4A5A6A7A8\","
                    + "\"startTimeUnixNano\":\"1700000000000000001\",\"endTimeUnixNano\":1700000000,"
                    + "\"kind\":3"));
    var span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getTraceId().toByteArray())
        .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16);
    assertThat(span.getSpanId().byteAt(0)).isEqualTo((byte) 0xa1);
    assertThat(span.getStartTimeUnixNano()).isEqualTo(1700000000000000001L);
    assertThat(span.getEndTimeUnixNano()).isEqualTo(1700000000L);
    assertThat(span.getKindValue()).isEqualTo(3);
  }

  @Test
  void acceptsProtoFieldNamesAndIgnoresUnknownFields() {
    ExportTraceServiceRequest request =
        OtlpJson.parseExportRequest(
            ("{\"resource_spans\":[{\"scope_spans\":[{\"spans\":[{\"trace_id\":"
                    + "\"0102030405060708090a0b0c0d0e0f10\",\"futureField\":1,\"name\":\"x\"}]}]}]}")
                .getBytes(StandardCharsets.UTF_8));
    var span = request.getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertThat(span.getTraceId().size()).isEqualTo(16);
    assertThat(span.getName()).isEqualTo("x");
  }

  @Test
  void badHexIdIsNamedWithItsPath() {
    assertThatThrownBy(() -> OtlpJson.parseExportRequest(spanJson("\"traceId\":\"zz02\"")))
        .isInstanceOf(OtlpJsonException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("resourceSpans[0].scopeSpans[0].spans[0].traceId")
        .hasMessageContaining("zz02");
    assertThatThrownBy(() -> OtlpJson.parseExportRequest(spanJson("\"spanId\":\"abc\"")))
        .hasMessageContaining("spans[0].spanId must be hex with an even number of digits");
    assertThatThrownBy(
            () ->
                OtlpJson.parseExportRequest(
                    spanJson("\"links\":[{\"traceId\":\"ab\"},{\"spanId\":\"AQIDBAUGBwg=\"}]")))
        .hasMessageContaining("spans[0].links[1].spanId");
    assertThatThrownBy(() -> OtlpJson.parseExportRequest(spanJson("\"traceId\":12")))
        .hasMessageContaining("traceId must be a hex string");
  }

  @Test
  void malformedDocumentsGetClearErrors() {
    assertThatThrownBy(() -> OtlpJson.parseExportRequest("{\"resourceSpans\":[".getBytes()))
        .isInstanceOf(OtlpJsonException.class)
        .hasMessageStartingWith("body is not valid JSON");
    assertThatThrownBy(() -> OtlpJson.parseExportRequest("[1]".getBytes()))
        .isInstanceOf(OtlpJsonException.class)
        .hasMessage("body must be a JSON object");
    assertThatThrownBy(() -> OtlpJson.parseExportRequest(spanJson("\"startTimeUnixNano\":\"x\"")))
        .isInstanceOf(OtlpJsonException.class)
        .hasMessageStartingWith("body does not match OTLP JSON");
    assertThatThrownBy(() -> OtlpJson.parseExportRequest(spanJson("\"kind\":{}")))
        .isInstanceOf(OtlpJsonException.class);
  }

  @Test
  void emptyBodyObjectIsAnEmptyRequest() {
    assertThat(OtlpJson.parseExportRequest("{}".getBytes()).getResourceSpansCount()).isZero();
  }

  /** What query-svc's trace endpoint serves: every field named and encoded as OTLP/JSON says. */
  @Test
  void printsSpanFieldsAsOtlpJson() throws Exception {
    long start = 1_795_629_600_000_000_000L;
    Span span =
        new Span(
            new TraceId(0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L),
            new SpanId(0x00f067aa0ba902b7L),
            Optional.empty(),
            "ot=th:0",
            0x301,
            "GET /checkout",
            SpanKind.SERVER,
            start,
            start + 250_000_000L,
            List.of(
                Attribute.of("http.method", "GET"),
                Attribute.of("retries", -42),
                new Attribute("ratio", new AttributeValue.DoubleValue(0.25)),
                new Attribute("cached", new AttributeValue.BoolValue(true)),
                new Attribute("raw", new AttributeValue.BytesValue(new byte[] {1, 2, (byte) 0xff})),
                new Attribute(
                    "list",
                    new AttributeValue.ArrayValue(
                        List.of(AttributeValue.of("a"), AttributeValue.of(7L)))),
                new Attribute(
                    "map", new AttributeValue.KeyValueList(List.of(Attribute.of("nested", "yes")))),
                new Attribute("nan", new AttributeValue.DoubleValue(Double.NaN))),
            3,
            List.of(
                new SpanEvent(
                    start + 100_000_000L, "cache miss", List.of(Attribute.of("k", 1)), 1)),
            4,
            List.of(
                new SpanLink(
                    new TraceId(1, 15),
                    new SpanId(7),
                    "ot=th:8",
                    List.of(Attribute.of("l", "v")),
                    2,
                    1)),
            5,
            new SpanStatus(StatusCode.OK, ""),
            new Resource(List.of(Attribute.of("service.name", "frontend")), 1, "resource-url"),
            new InstrumentationScope("io.opentelemetry.netty-4.1", "2.33.1", List.of(), 0, ""));

    JsonNode document =
        new ObjectMapper().readTree(OtlpJson.print(OtlpSpanMapper.toTracesData(List.of(span))));

    JsonNode resourceSpans = document.get("resourceSpans").get(0);
    assertThat(resourceSpans.get("schemaUrl").asText()).isEqualTo("resource-url");
    assertThat(resourceSpans.get("resource").get("droppedAttributesCount").asInt()).isEqualTo(1);
    JsonNode root = resourceSpans.get("scopeSpans").get(0).get("spans").get(0);
    assertThat(root.get("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(root.get("spanId").asText()).isEqualTo("00f067aa0ba902b7");
    assertThat(root.has("parentSpanId")).isFalse();
    assertThat(root.get("traceState").asText()).isEqualTo("ot=th:0");
    assertThat(root.get("flags").asInt()).isEqualTo(0x301);
    assertThat(root.get("kind").isInt()).isTrue();
    assertThat(root.get("kind").asInt()).isEqualTo(2);
    assertThat(root.get("startTimeUnixNano").isTextual()).isTrue();
    assertThat(root.get("startTimeUnixNano").asText()).isEqualTo("1795629600000000000");
    assertThat(root.get("endTimeUnixNano").asText()).isEqualTo("1795629600250000000");
    assertThat(root.get("status").get("code").asInt()).isEqualTo(1);
    assertThat(root.get("droppedAttributesCount").asInt()).isEqualTo(3);
    assertThat(root.get("droppedEventsCount").asInt()).isEqualTo(4);
    assertThat(root.get("droppedLinksCount").asInt()).isEqualTo(5);

    JsonNode attributes = root.get("attributes");
    assertThat(attributes.get(0).get("value").get("stringValue").asText()).isEqualTo("GET");
    assertThat(attributes.get(1).get("value").get("intValue").isTextual()).isTrue();
    assertThat(attributes.get(1).get("value").get("intValue").asText()).isEqualTo("-42");
    assertThat(attributes.get(2).get("value").get("doubleValue").asDouble()).isEqualTo(0.25);
    assertThat(attributes.get(3).get("value").get("boolValue").asBoolean()).isTrue();
    assertThat(attributes.get(4).get("value").get("bytesValue").asText()).isEqualTo("AQL/");
    assertThat(attributes.get(5).get("value").get("arrayValue").get("values")).hasSize(2);
    assertThat(attributes.get(6).get("value").get("kvlistValue").get("values").get(0).get("key"))
        .hasToString("\"nested\"");
    assertThat(attributes.get(7).get("value").get("doubleValue").asText()).isEqualTo("NaN");

    JsonNode event = root.get("events").get(0);
    assertThat(event.get("timeUnixNano").asText()).isEqualTo("1795629600100000000");
    assertThat(event.get("name").asText()).isEqualTo("cache miss");
    JsonNode link = root.get("links").get(0);
    assertThat(link.get("traceId").asText()).isEqualTo("0000000000000001000000000000000f");
    assertThat(link.get("spanId").asText()).isEqualTo("0000000000000007");
    assertThat(link.get("flags").asInt()).isEqualTo(1);
  }
}
