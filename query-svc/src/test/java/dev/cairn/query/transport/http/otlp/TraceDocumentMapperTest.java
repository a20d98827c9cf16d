package dev.cairn.query.transport.http.otlp;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.cairn.model.otlp.OtlpJson;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TraceDocumentMapperTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TraceId TRACE = new TraceId(0x4bf92f3577b34da6L, 0xa3ce929d0e0e4736L);
  private static final Resource FRONTEND =
      new Resource(
          List.of(Attribute.of("service.name", "frontend"), Attribute.of("host.name", "h1")),
          1,
          "https://opentelemetry.io/schemas/1.24.0");
  private static final Resource PAYMENTS =
      new Resource(List.of(Attribute.of("service.name", "payments")), 0, "");
  private static final InstrumentationScope HTTP =
      new InstrumentationScope(
          "io.opentelemetry.netty-4.1", "2.33.1", List.of(Attribute.of("s", "x")), 2, "scope-url");
  private static final InstrumentationScope JDBC =
      new InstrumentationScope("io.opentelemetry.jdbc", "2.33.1", List.of(), 0, "");

  @Test
  void printsOtlpJsonThatOtlpReadersTakeBackUnchanged() throws Exception {
    List<Span> spans = trace();

    byte[] body = JSON.writeValueAsBytes(TraceDocumentMapper.toDocument(spans));

    assertThat(OtlpSpanMapper.toSpans(OtlpJson.parseTracesData(body)))
        .containsExactlyInAnyOrderElementsOf(spans);
  }

  @Test
  void randomSpansOfEveryShapeComeBackUnchanged() throws Exception {
    Random random = new Random(20261125L);
    for (int i = 0; i < 200; i++) {
      List<Span> spans = List.of(SpanFixtures.randomSpan(random), SpanFixtures.randomSpan(random));

      byte[] body = JSON.writeValueAsBytes(TraceDocumentMapper.toDocument(spans));

      assertThat(OtlpSpanMapper.toSpans(OtlpJson.parseTracesData(body)))
          .as("round %d", i)
          .containsExactlyInAnyOrderElementsOf(spans);
    }
  }

  @Test
  void theSharedThreeServiceFixtureComesBackUnchanged() throws Exception {
    List<Span> spans =
        SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), 1_795_629_600_000_000_000L);

    byte[] body = JSON.writeValueAsBytes(TraceDocumentMapper.toDocument(spans));

    assertThat(OtlpSpanMapper.toSpans(OtlpJson.parseTracesData(body)))
        .containsExactlyInAnyOrderElementsOf(spans);
  }

  @Test
  void groupsSpansByResourceThenScopeInOrderOfAppearance() throws Exception {
    JsonNode document = JSON.valueToTree(TraceDocumentMapper.toDocument(trace()));

    JsonNode resourceSpans = document.get("resourceSpans");
    assertThat(resourceSpans).hasSize(2);
    assertThat(resourceSpans.get(0).get("schemaUrl").asText())
        .isEqualTo("https://opentelemetry.io/schemas/1.24.0");
    assertThat(resourceSpans.get(0).get("resource").get("droppedAttributesCount").asInt())
        .isEqualTo(1);
    JsonNode frontendScopes = resourceSpans.get(0).get("scopeSpans");
    assertThat(frontendScopes).hasSize(2);
    assertThat(frontendScopes.get(0).get("scope").get("name").asText())
        .isEqualTo("io.opentelemetry.netty-4.1");
    assertThat(frontendScopes.get(0).get("spans")).hasSize(2);
    assertThat(frontendScopes.get(1).get("spans")).hasSize(1);
    assertThat(resourceSpans.get(1).get("scopeSpans").get(0).get("spans")).hasSize(1);
  }

  @Test
  void namesAndEncodesSpanFieldsAsOtlpJson() {
    JsonNode root =
        JSON.valueToTree(TraceDocumentMapper.toDocument(trace()))
            .get("resourceSpans")
            .get(0)
            .get("scopeSpans")
            .get(0)
            .get("spans")
            .get(0);

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
    assertThat(
            attributes
                .get(6)
                .get("value")
                .get("kvlistValue")
                .get("values")
                .get(0)
                .get("key")
                .asText())
        .isEqualTo("nested");
    assertThat(attributes.get(7).get("value").isEmpty()).isTrue();

    JsonNode event = root.get("events").get(0);
    assertThat(event.get("timeUnixNano").asText()).isEqualTo("1795629600100000000");
    assertThat(event.get("name").asText()).isEqualTo("cache miss");
    JsonNode link = root.get("links").get(0);
    assertThat(link.get("traceId").asText()).isEqualTo("0000000000000001000000000000000f");
    assertThat(link.get("spanId").asText()).isEqualTo("0000000000000007");
    assertThat(link.get("flags").asInt()).isEqualTo(1);
  }

  @Test
  void printsNonFiniteDoublesAsProtobufJsonStrings() {
    JsonNode value =
        JSON.valueToTree(TraceDocumentMapper.anyValue(new AttributeValue.DoubleValue(Double.NaN)));

    assertThat(value.get("doubleValue").asText()).isEqualTo("NaN");
  }

  private static List<Span> trace() {
    SpanId root = new SpanId(0x00f067aa0ba902b7L);
    long start = 1_795_629_600_000_000_000L;
    Span server =
        new Span(
            TRACE,
            root,
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
                new Attribute("empty", new AttributeValue.Empty())),
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
            FRONTEND,
            HTTP);
    Span client =
        child(server, 2, "POST /api/charge", SpanKind.CLIENT, FRONTEND, HTTP, SpanStatus.UNSET);
    Span query =
        child(server, 3, "SELECT orders", SpanKind.CLIENT, FRONTEND, JDBC, SpanStatus.UNSET);
    Span payments =
        child(
            client,
            4,
            "POST /api/charge",
            SpanKind.SERVER,
            PAYMENTS,
            HTTP,
            new SpanStatus(StatusCode.ERROR, "card declined"));
    return List.of(server, client, query, payments);
  }

  private static Span child(
      Span parent,
      long id,
      String name,
      SpanKind kind,
      Resource resource,
      InstrumentationScope scope,
      SpanStatus status) {
    return new Span(
        TRACE,
        new SpanId(id),
        Optional.of(parent.spanId()),
        "",
        1,
        name,
        kind,
        parent.startTimeUnixNano() + id * 1_000_000L,
        parent.startTimeUnixNano() + id * 2_000_000L,
        List.of(),
        0,
        List.of(),
        0,
        List.of(),
        0,
        status,
        resource,
        scope);
  }
}
