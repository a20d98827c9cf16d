package dev.cairn.collector.zipkin;

import static dev.cairn.collector.zipkin.ZipkinRequestParserTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.cairn.collector.ingest.IngestLimits;
import dev.cairn.collector.ingest.ParsedRequest;
import dev.cairn.collector.ingest.RejectReason;
import dev.cairn.collector.ingest.SanitizedBatch;
import dev.cairn.collector.ingest.SpanSanitizer;
import dev.cairn.collector.zipkin.ZipkinSpan.Endpoint;
import dev.cairn.collector.zipkin.ZipkinSpan.Kind;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.Status.StatusCode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What Zipkin's fields mean in OTLP, and how bad ones reach the collector's one sanitizer. */
class ZipkinSpanMapperTest {

  private static final String TRACE = "463ac35c9f6413ad48485a3953bb6124";
  private static final long NOW_MICROS = Instant.now().toEpochMilli() * 1000;

  @ParameterizedTest
  @CsvSource({
    "CLIENT, SPAN_KIND_CLIENT",
    "SERVER, SPAN_KIND_SERVER",
    "PRODUCER, SPAN_KIND_PRODUCER",
    "CONSUMER, SPAN_KIND_CONSUMER",
    "ABSENT, SPAN_KIND_INTERNAL",
    "UNKNOWN, SPAN_KIND_UNSPECIFIED"
  })
  void kinds(Kind zipkin, SpanKind otlp) {
    assertThat(map(span("a2fb4a1d1a96d312", "", zipkin, Map.of())).getKind()).isEqualTo(otlp);
  }

  @Test
  void kindsAreReadFromJsonByName() throws Exception {
    String body =
        "[{\"traceId\":\"%s\",\"id\":\"a2fb4a1d1a96d312\",\"kind\":\"CONSUMER\"},"
            + "{\"traceId\":\"%s\",\"id\":\"a2fb4a1d1a96d313\",\"kind\":\"BROKER\"},"
            + "{\"traceId\":\"%s\",\"id\":\"a2fb4a1d1a96d314\"}]";
    List<Span> spans =
        spans(ZipkinRequestParser.json(String.format(body, TRACE, TRACE, TRACE).getBytes()));
    assertThat(spans)
        .extracting(Span::getKind)
        .containsExactly(
            SpanKind.SPAN_KIND_CONSUMER,
            SpanKind.SPAN_KIND_UNSPECIFIED,
            SpanKind.SPAN_KIND_INTERNAL);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "error=connection refused                  | STATUS_CODE_ERROR | connection refused",
        "error=true                                | STATUS_CODE_ERROR | ''",
        "error=                                    | STATUS_CODE_ERROR | ''",
        "otel.status_code=ERROR,error=card declined | STATUS_CODE_ERROR | card declined",
        "otel.status_code=STATUS_CODE_ERROR,otel.status_description=boom | STATUS_CODE_ERROR | boom",
        "otel.status_code=Ok                        | STATUS_CODE_OK    | ''",
        "http.status_code=500                       | STATUS_CODE_UNSET | ''"
      })
  void status(String tags, StatusCode code, String message) {
    Span span = map(span("a2fb4a1d1a96d312", "", Kind.SERVER, tags(tags)));
    assertThat(span.getStatus())
        .isEqualTo(Status.newBuilder().setCode(code).setMessage(message).build());
    assertThat(span.getAttributesList())
        .extracting(a -> a.getKey())
        .doesNotContain("error", "otel.status_code", "otel.status_description");
  }

  @Test
  void anUnknownStatusCodeStaysAnAttribute() {
    Span span = map(span("a2fb4a1d1a96d312", "", Kind.SERVER, tags("otel.status_code=MAYBE")));
    assertThat(span.getStatus().getCode()).isEqualTo(StatusCode.STATUS_CODE_UNSET);
    assertThat(span.getAttributesList())
        .containsExactly(ZipkinRequestParserTest.string("otel.status_code", "MAYBE"));
  }

  @Test
  void aTagWinsOverTheAttributeAnEndpointWouldAdd() {
    ZipkinSpan zipkin =
        new ZipkinSpan(
            ZipkinIds.traceIdFromHex(TRACE),
            ByteString.EMPTY,
            ZipkinIds.spanIdFromHex("a2fb4a1d1a96d312"),
            Kind.CLIENT,
            "call",
            NOW_MICROS,
            10,
            Endpoint.ABSENT,
            new Endpoint("inventory", "", "", 0),
            List.of(),
            tags("peer.service=inventory-v2"),
            false,
            false);
    assertThat(map(zipkin).getAttributesList())
        .containsExactly(ZipkinRequestParserTest.string("peer.service", "inventory-v2"));
  }

  @Test
  void badIdsAndMissingTimestampsAreRejectedBySpanSanitizerAndTheRestKept() throws Exception {
    String body =
        "["
            + span(TRACE, "a2fb4a1d1a96d312", "", NOW_MICROS) // valid
            + ","
            + span("not-hex", "a2fb4a1d1a96d313", "", NOW_MICROS)
            + ","
            + span("0000000000000000", "a2fb4a1d1a96d314", "", NOW_MICROS)
            + ","
            + span(TRACE, "a2fb4a1d1a96d315a2", "", NOW_MICROS) // 18 digits
            + ","
            + span(TRACE, "0000000000000000", "", NOW_MICROS)
            + ","
            + span(TRACE, "a2fb4a1d1a96d316", "xyz", NOW_MICROS)
            + ","
            + span(TRACE, "a2fb4a1d1a96d317", "", 0) // no timestamp
            + ","
            + "{\"id\":\"a2fb4a1d1a96d318\",\"timestamp\":"
            + NOW_MICROS
            + "}" // no trace id
            + "]";

    SanitizedBatch batch =
        new SpanSanitizer(IngestLimits.DEFAULTS)
            .sanitize(ZipkinRequestParser.json(body.getBytes(StandardCharsets.UTF_8)));

    assertThat(batch.acceptedSpans()).isEqualTo(1);
    assertThat(batch.rejected())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                RejectReason.TRACE_ID_LENGTH, 2,
                RejectReason.TRACE_ID_ZERO, 1,
                RejectReason.SPAN_ID_LENGTH, 1,
                RejectReason.SPAN_ID_ZERO, 1,
                RejectReason.PARENT_SPAN_ID_LENGTH, 1,
                RejectReason.TIMESTAMP_OUT_OF_RANGE, 1));
  }

  @Test
  void shortHexIdsArePaddedOnTheLeftAsZipkinDoes() {
    assertThat(hex(ZipkinIds.traceIdFromHex("abc"))).isEqualTo("0".repeat(29) + "abc");
    assertThat(hex(ZipkinIds.traceIdFromHex("1" + "0".repeat(16))))
        .isEqualTo("0".repeat(15) + "1" + "0".repeat(16));
    assertThat(hex(ZipkinIds.spanIdFromHex("ABC"))).isEqualTo("0000000000000abc");
    assertThat(ZipkinIds.spanIdFromHex("１２")).isEqualTo(ZipkinIds.INVALID);
  }

  @Test
  void aSharedServerSpanGetsAnIdOfItsOwnUnderTheClientAndTakesItsLocalChildrenAlong() {
    ZipkinSpan client = span("a2fb4a1d1a96d312", "", Kind.CLIENT, Map.of());
    ZipkinSpan server =
        from(span("a2fb4a1d1a96d312", "", Kind.SERVER, Map.of()), "checkout", false, true);
    ZipkinSpan child =
        from(
            span("b2fb4a1d1a96d312", "a2fb4a1d1a96d312", Kind.ABSENT, Map.of()),
            "checkout",
            false,
            false);

    List<Span> spans = spans(ZipkinSpanMapper.toRequest(List.of(client, server, child)));
    Span mappedServer = spans.get(1);

    assertThat(mappedServer.getSpanId()).isNotEqualTo(client.id()).hasSize(8);
    assertThat(mappedServer.getParentSpanId()).isEqualTo(client.id());
    assertThat(spans.get(2).getParentSpanId()).isEqualTo(mappedServer.getSpanId());
    assertThat(spans.get(0).getSpanId()).isEqualTo(client.id());
    // Deterministic: a retried request maps to the same ids (storage writes are idempotent).
    assertThat(spans(ZipkinSpanMapper.toRequest(List.of(server))).get(0).getSpanId())
        .isEqualTo(mappedServer.getSpanId());
  }

  @Test
  void aDebugSpanIsMarkedForTailSampling() {
    ZipkinSpan debug =
        from(span("a2fb4a1d1a96d312", "", Kind.SERVER, Map.of()), "checkout", true, false);
    assertThat(map(debug).getAttributesList())
        .anySatisfy(
            a -> {
              assertThat(a.getKey()).isEqualTo("cairn.debug");
              assertThat(a.getValue().getBoolValue()).isTrue();
            });
  }

  private static String span(String traceId, String id, String parentId, long timestamp) {
    return "{\"traceId\":\""
        + traceId
        + "\",\"id\":\""
        + id
        + "\",\"parentId\":\""
        + parentId
        + "\",\"timestamp\":"
        + timestamp
        + "}";
  }

  private static ZipkinSpan span(String id, String parentId, Kind kind, Map<String, String> tags) {
    return new ZipkinSpan(
        ZipkinIds.traceIdFromHex(TRACE),
        ZipkinIds.parentIdFromHex(parentId),
        ZipkinIds.spanIdFromHex(id),
        kind,
        "op",
        NOW_MICROS,
        10,
        Endpoint.ABSENT,
        Endpoint.ABSENT,
        List.of(),
        tags,
        false,
        false);
  }

  /** The span as sent by {@code service}, with the given flags. */
  private static ZipkinSpan from(ZipkinSpan s, String service, boolean debug, boolean shared) {
    return new ZipkinSpan(
        s.traceId(),
        s.parentId(),
        s.id(),
        s.kind(),
        s.name(),
        s.timestampMicros(),
        s.durationMicros(),
        new Endpoint(service, "", "", 0),
        s.remoteEndpoint(),
        s.annotations(),
        s.tags(),
        debug,
        shared);
  }

  /** "k=v,k2=v2" as tags, in order. */
  private static Map<String, String> tags(String text) {
    Map<String, String> tags = new LinkedHashMap<>();
    for (String pair : text.split(",")) {
      int eq = pair.indexOf('=');
      tags.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return tags;
  }

  private static Span map(ZipkinSpan span) {
    return spans(ZipkinSpanMapper.toRequest(List.of(span))).get(0);
  }

  private static List<Span> spans(ParsedRequest parsed) {
    return spans(parsed.request());
  }

  private static List<Span> spans(
      io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest request) {
    return request.getResourceSpansList().stream()
        .flatMap(r -> r.getScopeSpansList().stream())
        .flatMap(s -> s.getSpansList().stream())
        .toList();
  }
}
