package dev.cairn.model.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.nio.charset.StandardCharsets;
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
}
