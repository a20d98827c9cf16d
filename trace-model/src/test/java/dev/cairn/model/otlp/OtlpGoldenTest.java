package dev.cairn.model.otlp;

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
import dev.cairn.model.testing.SpanFixtures;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Golden files both ways. Regenerate {@code three-service-trace.json} after an intended change of
 * the fixture with {@code -Dcairn.golden.update=true} and review the diff; {@code
 * hand-written.json} is written by hand from the OTLP specification and never regenerated.
 */
class OtlpGoldenTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  static final TraceId GOLDEN_TRACE = TraceId.fromHex("5b8efff798038103d269b633813fc60c");
  static final long GOLDEN_START = 1_700_000_000_000_000_000L;

  @Test
  void modelPrintsAsTheGoldenJson() throws IOException {
    List<Span> spans = SpanFixtures.threeServiceTrace(GOLDEN_TRACE, GOLDEN_START);
    String printed = OtlpJson.print(OtlpSpanMapper.toTracesData(spans));
    if (Boolean.getBoolean("cairn.golden.update")) {
      Files.writeString(
          Path.of("src/test/resources/golden/three-service-trace.json"),
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(printed)) + "\n");
    }
    assertThat(JSON.readTree(printed)).isEqualTo(golden("three-service-trace.json"));
  }

  @Test
  void goldenJsonReadsAsTheModel() throws IOException {
    TracesData data = OtlpJson.parseTracesData(goldenBytes("three-service-trace.json"));
    assertThat(OtlpSpanMapper.toSpans(data))
        .isEqualTo(SpanFixtures.threeServiceTrace(GOLDEN_TRACE, GOLDEN_START));
  }

  @Test
  void goldenJsonGroupsSpansByServiceAndScope() throws IOException {
    JsonNode resourceSpans = golden("three-service-trace.json").get("resourceSpans");
    assertThat(resourceSpans).hasSize(3);
    // frontend's two spans come from two scopes; checkout likewise; payments one.
    assertThat(resourceSpans.get(0).get("scopeSpans")).hasSize(2);
    assertThat(resourceSpans.get(0).get("resource").get("attributes").get(0).get("value"))
        .isEqualTo(JSON.readTree("{\"stringValue\":\"frontend\"}"));
    JsonNode root = resourceSpans.get(0).get("scopeSpans").get(0).get("spans").get(0);
    assertThat(root.get("traceId").asText()).isEqualTo(GOLDEN_TRACE.toHex());
    assertThat(root.get("kind").isInt()).isTrue();
    assertThat(root.get("startTimeUnixNano").isTextual()).isTrue();
    assertThat(root.has("parentSpanId")).isFalse();
  }

  @Test
  void handWrittenJsonReadsAsTheExpectedModel() throws IOException {
    TracesData data = OtlpJson.parseTracesData(goldenBytes("hand-written.json"));
    Resource resource =
        new Resource(
            List.of(
                Attribute.of("service.name", "inventory"),
                new Attribute("service.replicas", AttributeValue.of(3L))),
            2,
            "https://opentelemetry.io/schemas/1.21.0");
    InstrumentationScope scope =
        new InstrumentationScope(
            "my.library",
            "1.0.0",
            List.of(Attribute.of("my.scope.attribute", "some scope attribute")),
            1,
            "https://opentelemetry.io/schemas/1.20.0");
    TraceId traceId = TraceId.fromHex("5B8EFFF798038103D269B633813FC60C");
    Span expected =
        new Span(
            traceId,
            SpanId.fromHex("eee19b7ec3c1b174"),
            Optional.of(SpanId.fromHex("eee19b7ec3c1b173")),
            "ot=th:c",
            257,
            "I'm a server span",
            SpanKind.SERVER,
            1544712660000000000L,
            1544712661000000000L,
            List.of(
                Attribute.of("my.span.attr", "some value"),
                new Attribute("ratio", AttributeValue.of(0.25)),
                new Attribute("ok", AttributeValue.of(true)),
                new Attribute("big", AttributeValue.of(9007199254740993L)),
                new Attribute("small", AttributeValue.of(-7L)),
                new Attribute(
                    "raw", new AttributeValue.BytesValue(new byte[] {1, 2, 3, (byte) 255})),
                new Attribute(
                    "list",
                    new AttributeValue.ArrayValue(
                        List.of(AttributeValue.of("x"), AttributeValue.of(1L)))),
                new Attribute(
                    "map",
                    new AttributeValue.KeyValueList(
                        List.of(
                            Attribute.of("inner", "v"),
                            new Attribute("nothing", new AttributeValue.Empty())))),
                new Attribute("nothing", new AttributeValue.Empty())),
            4,
            List.of(
                new SpanEvent(
                    1544712660500000000L,
                    "retry",
                    List.of(new Attribute("attempt", AttributeValue.of(2L))),
                    0)),
            5,
            List.of(
                new SpanLink(
                    TraceId.fromHex("0af7651916cd43dd8448eb211c80319c"),
                    SpanId.fromHex("b7ad6b7169203331"),
                    "congo=t61rcWkgMzE",
                    List.of(Attribute.of("link.kind", "batch")),
                    0,
                    1)),
            6,
            new SpanStatus(StatusCode.ERROR, "out of stock"),
            resource,
            scope);
    Span root =
        new Span(
            traceId,
            SpanId.fromHex("eee19b7ec3c1b173"),
            Optional.empty(),
            "",
            0,
            "root",
            SpanKind.UNSPECIFIED,
            1544712659000000000L,
            1544712662000000000L,
            List.of(),
            0,
            List.of(),
            0,
            List.of(),
            0,
            SpanStatus.UNSET,
            resource,
            InstrumentationScope.EMPTY);

    assertThat(OtlpSpanMapper.toSpans(data)).containsExactly(expected, root);
  }

  private static JsonNode golden(String name) throws IOException {
    return JSON.readTree(goldenBytes(name));
  }

  static byte[] goldenBytes(String name) throws IOException {
    try (InputStream in = OtlpGoldenTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden file %s", name).isNotNull();
      return in.readAllBytes();
    }
  }
}
