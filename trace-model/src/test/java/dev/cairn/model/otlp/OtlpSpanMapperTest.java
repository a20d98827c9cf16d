package dev.cairn.model.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.cairn.model.Attribute;
import dev.cairn.model.InstrumentationScope;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OtlpSpanMapperTest {

  @Test
  void randomSpansSurviveModelToOtlpToModel() {
    Random random = new Random(20261125L);
    for (int round = 0; round < 300; round++) {
      List<Span> spans = new ArrayList<>();
      for (int i = random.nextInt(6) + 1; i > 0; i--) {
        spans.add(SpanFixtures.randomSpan(random));
      }
      List<Span> back = OtlpSpanMapper.toSpans(OtlpSpanMapper.toTracesData(spans));
      // Grouping may reorder spans of different resources: compare as multisets, and exactly
      // when all spans share one resource and scope.
      assertThat(back).containsExactlyInAnyOrderElementsOf(spans);
    }
  }

  @Test
  void randomSpansSurviveOtlpBytesAndJson() throws Exception {
    Random random = new Random(7L);
    for (int round = 0; round < 200; round++) {
      Span span = SpanFixtures.randomSpan(random);
      TracesData data = OtlpSpanMapper.toTracesData(List.of(span));
      assertThat(OtlpSpanMapper.toSpans(TracesData.parseFrom(data.toByteArray())))
          .containsExactly(span);
      assertThat(OtlpJson.parseTracesData(OtlpJson.print(data).getBytes())).isEqualTo(data);
    }
  }

  @Test
  void otlpToModelToOtlpIsEqual() throws Exception {
    TracesData data = OtlpJson.parseTracesData(OtlpGoldenTest.goldenBytes("hand-written.json"));
    assertThat(OtlpSpanMapper.toTracesData(OtlpSpanMapper.toSpans(data))).isEqualTo(data);
  }

  @Test
  void groupsEqualResourcesAndScopesInFirstAppearanceOrder() {
    TraceId trace = SpanFixtures.randomTraceId();
    InstrumentationScope scopeA = SpanFixtures.scope("a", "1");
    // Equal but distinct instances, as a decoder or a database reader would produce.
    Span a1 = SpanFixtures.span(trace, "svc-1", "a1").scope(scopeA).build();
    Span b1 = SpanFixtures.span(trace, "svc-2", "b1").build();
    Span a2 = SpanFixtures.span(trace, "svc-1", "a2").scope(SpanFixtures.scope("b", "1")).build();
    Span a3 = SpanFixtures.span(trace, "svc-1", "a3").scope(SpanFixtures.scope("a", "1")).build();
    assertThat(a1.resource()).isNotSameAs(a3.resource()).isEqualTo(a3.resource());

    TracesData data = OtlpSpanMapper.toTracesData(List.of(a1, b1, a2, a3));

    assertThat(data.getResourceSpansCount()).isEqualTo(2);
    ResourceSpans first = data.getResourceSpans(0);
    assertThat(first.getSchemaUrl()).isEqualTo(a1.resource().schemaUrl());
    assertThat(first.getScopeSpansList())
        .extracting(s -> s.getScope().getName())
        .containsExactly("a", "b");
    assertThat(first.getScopeSpans(0).getSpansList())
        .extracting(s -> s.getName())
        .containsExactly("a1", "a3");
    assertThat(data.getResourceSpans(1).getScopeSpans(0).getSpans(0).getName()).isEqualTo("b1");
    assertThat(OtlpSpanMapper.toSpans(data)).containsExactly(a1, a3, a2, b1);
  }

  @Test
  void emptyParentIsARootAndDefaultsAreEmpty() {
    io.opentelemetry.proto.trace.v1.Span span =
        io.opentelemetry.proto.trace.v1.Span.newBuilder()
            .setTraceId(ByteString.copyFrom(new byte[16]))
            .setSpanId(ByteString.copyFrom(new byte[8]))
            .setParentSpanId(ByteString.EMPTY)
            .build();
    Span model =
        OtlpSpanMapper.toSpans(
                TracesData.newBuilder()
                    .addResourceSpans(
                        ResourceSpans.newBuilder()
                            .addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
                    .build())
            .get(0);
    assertThat(model.parentSpanId()).isEmpty();
    assertThat(model.isRoot()).isTrue();
    assertThat(model.resource()).isEqualTo(Resource.EMPTY);
    assertThat(model.scope()).isEqualTo(InstrumentationScope.EMPTY);
    assertThat(model.resource().serviceName()).isEqualTo(Resource.UNKNOWN_SERVICE);
  }

  @Test
  void wrongIdLengthsAreNamed() {
    io.opentelemetry.proto.trace.v1.Span span =
        io.opentelemetry.proto.trace.v1.Span.newBuilder()
            .setTraceId(ByteString.copyFrom(new byte[16]))
            .setSpanId(ByteString.copyFrom(new byte[8]))
            .setParentSpanId(ByteString.copyFrom(new byte[3]))
            .build();
    TracesData data =
        TracesData.newBuilder()
            .addResourceSpans(
                ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.newBuilder().addSpans(span)))
            .build();
    assertThatThrownBy(() -> OtlpSpanMapper.toSpans(data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("parent span id must be 8 bytes, got 3");
  }

  @Test
  void resourceAndScopeAreSharedBySpansOfOneGroup() {
    List<Span> spans =
        OtlpSpanMapper.toSpans(
            OtlpSpanMapper.toTracesData(
                SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), 1L)));
    assertThat(spans.get(0).resource()).isSameAs(spans.get(1).resource());
    assertThat(spans.get(0).resource().attributes())
        .contains(Attribute.of(Resource.SERVICE_NAME, SpanFixtures.FRONTEND));
  }
}
