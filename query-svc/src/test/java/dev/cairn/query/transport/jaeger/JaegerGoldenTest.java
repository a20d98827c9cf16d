package dev.cairn.query.transport.jaeger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.SpanEvent;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.SpanLink;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpJson;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Pins the JSON the Jaeger API writes against Jaeger's own published fixtures (copied under {@code
 * src/test/resources/jaeger}, see the README there): the same OTLP input gives exactly Jaeger's
 * answer, and an equivalent of Jaeger's richest UI-model fixture has its structure (field names,
 * JSON types, nesting).
 */
class JaegerGoldenTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theOtlpDocumentOfJaegersTransformFixtureGivesExactlyJaegersAnswer() throws IOException {
    List<Span> spans =
        OtlpSpanMapper.toSpans(OtlpJson.parseTracesData(resource("otlp2jaeger-in.json")));

    JsonNode ours =
        written(
            JaegerModel.Response.of(
                List.of(JaegerTraceMapper.toTrace(spans, Map.of(), List.of()))));

    assertThat(ours).isEqualTo(JSON.readTree(resource("otlp2jaeger-out.json")));
  }

  @Test
  void aTraceLikeJaegersUiFixtureHasItsStructure() throws IOException {
    TraceId id = new TraceId(0, 1);
    TraceId other = new TraceId(0, 0xff);
    SpanId s2 = new SpanId(2);
    SpanId s4 = new SpanId(4);
    long start = 1_485_467_191_639_875_000L;
    Resource x = new Resource(List.of(Attribute.of(Resource.SERVICE_NAME, "service-x")), 0, "");
    Resource y = new Resource(List.of(Attribute.of(Resource.SERVICE_NAME, "service-y")), 0, "");
    List<Span> spans =
        List.of(
            SpanFixtures.span(id, "service-x", "test-general-conversion")
                .resource(x)
                .spanId(s2)
                .kind(SpanKind.UNSPECIFIED)
                .start(start)
                .durationNanos(5_000)
                .events(
                    List.of(
                        new SpanEvent(start, "some-event", List.of(), 0),
                        new SpanEvent(start, "", List.of(Attribute.of("x", "y")), 0)))
                .build(),
            SpanFixtures.span(id, "service-x", "some-operation")
                .resource(x)
                .spanId(s2)
                .kind(SpanKind.UNSPECIFIED)
                .start(start)
                .durationNanos(5_000)
                .attributes(
                    List.of(
                        Attribute.of("peer.service", "service-y"),
                        Attribute.of("peer.ipv4", 23456),
                        new Attribute("temperature", AttributeValue.of(72.5)),
                        Attribute.of("javascript_limit", 9223372036854775222L),
                        new Attribute(
                            "blob", new AttributeValue.BytesValue(new byte[] {0, 0, 48, 57}))))
                .error("")
                .build(),
            SpanFixtures.span(id, "service-y", "some-operation")
                .resource(y)
                .spanId(new SpanId(3))
                .parent(s2)
                .kind(SpanKind.UNSPECIFIED)
                .start(start)
                .durationNanos(5_000)
                .build(),
            SpanFixtures.span(id, "service-y", "reference-test")
                .resource(y)
                .spanId(s4)
                .parent(s2)
                .kind(SpanKind.UNSPECIFIED)
                .start(start)
                .durationNanos(5_000)
                .links(
                    List.of(
                        new SpanLink(
                            other,
                            new SpanId(0xff),
                            "",
                            List.of(Attribute.of(JaegerTraceMapper.REF_TYPE_ATTRIBUTE, "child_of")),
                            0,
                            0),
                        new SpanLink(id, new SpanId(9), "", List.of(), 0, 0)))
                .build(),
            SpanFixtures.span(id, "service-y", "preserveParentID-test")
                .resource(y)
                .spanId(new SpanId(5))
                .parent(s4)
                .kind(SpanKind.UNSPECIFIED)
                .start(start)
                .durationNanos(4_000)
                .build());

    JaegerModel.Trace trace =
        JaegerTraceMapper.toTrace(
            spans,
            Map.of(s4, List.of("some span warning"), new SpanId(5), List.of("some span warning")),
            List.of("some trace warning"));

    JsonNode fixture = JSON.readTree(resource("ui_01.json"));
    assertThat(structure(written(trace))).isEqualTo(structure(fixture));
    assertThat(trace.processes()).containsOnlyKeys("p1", "p2");
    assertThat(trace.traceID()).isEqualTo(fixture.get("traceID").asText());
  }

  /**
   * Every path to a value with its JSON type, array elements merged ({@code spans[].tags[].value
   * NUMBER}): two documents with the same set have the same field names, types and nesting.
   */
  static Set<String> structure(JsonNode node) {
    Set<String> paths = new TreeSet<>();
    collect("", node, paths);
    return paths;
  }

  private static void collect(String path, JsonNode node, Set<String> paths) {
    paths.add(path + " " + node.getNodeType());
    if (node.isObject()) {
      // Process ids are keys chosen per trace (p1, p2): one shape for all of them.
      boolean processMap = path.equals(".processes");
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        collect(path + "." + (processMap ? "*" : field.getKey()), field.getValue(), paths);
      }
    } else if (node.isArray()) {
      for (JsonNode element : node) {
        collect(path + "[]", element, paths);
      }
    }
  }

  /** As the API writes it, read back: numbers typed by their text, as in the fixtures. */
  static JsonNode written(Object value) throws IOException {
    return JSON.readTree(JSON.writeValueAsBytes(value));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = JaegerGoldenTest.class.getResourceAsStream("/jaeger/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }
}
