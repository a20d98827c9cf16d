package dev.cairn.query.transport.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.Span;
import dev.cairn.model.SpanEvent;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.SpanLink;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OTel-to-Jaeger conventions of OpenTelemetry Collector contrib's Jaeger translator. */
class JaegerTraceMapperTest {

  private static final TraceId TRACE = TraceId.fromHex("4bf92f3577b34da6a3ce929d0e0e4736");

  @Test
  void statusKindScopeAndTraceStateBecomeTagsInTheTranslatorsOrder() {
    Span span =
        SpanFixtures.span(TRACE, "shop", "GET /cart")
            .kind(SpanKind.CLIENT)
            .scope(SpanFixtures.scope("io.opentelemetry.okhttp", "2.1"))
            .attributes(List.of(Attribute.of("http.response.status_code", 503)))
            .error("upstream down")
            .traceState("ot=th:8")
            .build();

    List<JaegerModel.KeyValue> tags = single(span).tags();

    assertThat(tags)
        .containsExactly(
            new JaegerModel.KeyValue("otel.scope.name", "string", "io.opentelemetry.okhttp"),
            new JaegerModel.KeyValue("otel.scope.version", "string", "2.1"),
            new JaegerModel.KeyValue("http.response.status_code", "int64", 503L),
            new JaegerModel.KeyValue("span.kind", "string", "client"),
            new JaegerModel.KeyValue("otel.status_code", "string", "ERROR"),
            new JaegerModel.KeyValue("error", "bool", true),
            new JaegerModel.KeyValue("otel.status_description", "string", "upstream down"),
            new JaegerModel.KeyValue("w3c.tracestate", "string", "ot=th:8"));
  }

  @Test
  void valuesKeepTheirJaegerTypesAndJavaScriptSafeNumbers() {
    Span span =
        SpanFixtures.span(TRACE, "shop", "x")
            .kind(SpanKind.UNSPECIFIED)
            .attributes(
                List.of(
                    Attribute.of("big", Long.MIN_VALUE),
                    Attribute.of("small", -42),
                    new Attribute("nan", AttributeValue.of(Double.NaN)),
                    new Attribute(
                        "list",
                        new AttributeValue.ArrayValue(
                            List.of(AttributeValue.of("a"), AttributeValue.of(1L)))),
                    new Attribute(
                        "map", new AttributeValue.KeyValueList(List.of(Attribute.of("k", "v")))),
                    new Attribute("bytes", new AttributeValue.BytesValue(new byte[] {1, 2}))))
            .build();

    assertThat(single(span).tags())
        .containsExactly(
            new JaegerModel.KeyValue("big", "int64", "-9223372036854775808"),
            new JaegerModel.KeyValue("small", "int64", -42L),
            new JaegerModel.KeyValue("nan", "float64", "NaN"),
            new JaegerModel.KeyValue("list", "string", "[\"a\",1]"),
            new JaegerModel.KeyValue("map", "string", "{\"k\":\"v\"}"),
            new JaegerModel.KeyValue("bytes", "binary", "AQI="));
  }

  @Test
  void theParentComesFirstAndLinksFollowFromUnlessTheyRetypeTheParent() {
    SpanId parent = new SpanId(0x10);
    TraceId producerTrace = new TraceId(0, 0xabc);
    Span span =
        SpanFixtures.span(TRACE, "shop", "consume")
            .parent(parent)
            .links(
                List.of(
                    new SpanLink(producerTrace, new SpanId(0x20), "", List.of(), 0, 0),
                    new SpanLink(
                        TRACE,
                        parent,
                        "",
                        List.of(Attribute.of(JaegerTraceMapper.REF_TYPE_ATTRIBUTE, "follows_from")),
                        0,
                        0)))
            .build();

    assertThat(single(span).references())
        .containsExactly(
            new JaegerModel.Reference("FOLLOWS_FROM", TRACE.toHex(), "0000000000000010"),
            new JaegerModel.Reference("FOLLOWS_FROM", "0000000000000abc", "0000000000000020"));
  }

  @Test
  void eventsBecomeLogsNamedByAnEventFieldUnlessAnAttributeHasThatKey() {
    long at = 1_700_000_000_123_456_789L;
    Span span =
        SpanFixtures.span(TRACE, "shop", "x")
            .events(
                List.of(
                    new SpanEvent(at, "exception", List.of(Attribute.of("exception.type", "E")), 0),
                    new SpanEvent(at, "named", List.of(Attribute.of("event", "own")), 0)))
            .build();

    List<JaegerModel.Log> logs = single(span).logs();

    assertThat(logs.get(0).timestamp()).isEqualTo(1_700_000_000_123_456L);
    assertThat(logs.get(0).fields())
        .containsExactly(
            new JaegerModel.KeyValue("event", "string", "exception"),
            new JaegerModel.KeyValue("exception.type", "string", "E"));
    assertThat(logs.get(1).fields())
        .containsExactly(new JaegerModel.KeyValue("event", "string", "own"));
  }

  @Test
  void spansOfOneResourceShareAProcessAndTimesAreMicroseconds() {
    Span a = SpanFixtures.span(TRACE, "shop", "a").start(1_000_999).end(3_000_000).build();
    Span b = SpanFixtures.span(TRACE, "shop", "b").build();
    Span c = SpanFixtures.span(TRACE, "payments", "c").build();

    JaegerModel.Trace trace = JaegerTraceMapper.toTrace(List.of(a, b, c), Map.of(), List.of());

    assertThat(trace.spans())
        .extracting(JaegerModel.Span::processID)
        .containsExactly("p1", "p1", "p2");
    assertThat(trace.processes().get("p1").serviceName()).isEqualTo("shop");
    assertThat(trace.processes().get("p1").tags())
        .extracting(JaegerModel.KeyValue::key)
        .doesNotContain("service.name")
        .contains("host.name");
    assertThat(trace.spans().get(0).startTime()).isEqualTo(1_000);
    assertThat(trace.spans().get(0).duration()).isEqualTo(1_999);
    assertThat(trace.warnings()).isNull();
  }

  private static JaegerModel.Span single(Span span) {
    return JaegerTraceMapper.toTrace(List.of(span), Map.of(), List.of()).spans().get(0);
  }
}
