package dev.cairn.model.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceWireCodecTest {

  @Test
  void splitsOneTracePerPartKeepingResourcesAndScopes() {
    TraceId first = SpanFixtures.randomTraceId();
    TraceId second = SpanFixtures.randomTraceId();
    List<Span> a = SpanFixtures.threeServiceTrace(first, 1_000L);
    List<Span> b = SpanFixtures.threeServiceTrace(second, 2_000L);
    // Interleave the two traces in one batch, as an SDK exporting concurrent requests does.
    List<Span> batch = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      batch.add(b.get(i));
      batch.add(a.get(i));
    }
    TracesData data = OtlpSpanMapper.toTracesData(batch);

    TraceSplit split =
        TraceWireCodec.splitByTrace(
            data.getResourceSpansList(), TraceWireCodec.DEFAULT_MAX_RECORD_BYTES);
    List<TracePart> parts = split.parts();

    assertThat(parts).extracting(TracePart::traceId).containsExactly(second, first);
    assertThat(parts).extracting(TracePart::spanCount).containsExactly(b.size(), a.size());
    assertThat(OtlpSpanMapper.toSpans(parts.get(0).data())).containsExactlyInAnyOrderElementsOf(b);
    assertThat(OtlpSpanMapper.toSpans(parts.get(1).data())).containsExactlyInAnyOrderElementsOf(a);
    // Each part groups its spans under the resources and scopes they came with.
    ResourceSpans frontend = parts.get(1).data().getResourceSpans(0);
    assertThat(frontend.getSchemaUrl()).isEqualTo(data.getResourceSpans(0).getSchemaUrl());
    assertThat(frontend.getResource()).isEqualTo(data.getResourceSpans(0).getResource());
    assertThat(frontend.getScopeSpansCount()).isEqualTo(2);
    assertThat(frontend.getScopeSpans(0).getSchemaUrl()).isNotEmpty();
    assertThat(parts.get(1).data().getResourceSpansCount()).isEqualTo(3);
    assertThat(split.oversizedSpans()).isZero();
  }

  @Test
  void emptyBatchHasNoParts() {
    TraceSplit split = TraceWireCodec.splitByTrace(List.of(), 1000);
    assertThat(split.parts()).isEmpty();
    assertThat(split.oversizedSpans()).isZero();
  }

  @Test
  void encodeDecodeAndKeysRoundTrip() {
    TraceId id = SpanFixtures.randomTraceId();
    TracesData data = OtlpSpanMapper.toTracesData(SpanFixtures.threeServiceTrace(id, 5L));
    assertThat(TraceWireCodec.decode(TraceWireCodec.encode(data))).isEqualTo(data);
    assertThat(TraceWireCodec.key(id)).hasSize(16);
    assertThat(TraceWireCodec.traceIdOfKey(TraceWireCodec.key(id))).isEqualTo(id);
  }

  @Test
  void garbageIsAMalformedRecord() {
    assertThatThrownBy(() -> TraceWireCodec.decode(new byte[] {(byte) 0xff, 0x01, 0x02}))
        .isInstanceOf(MalformedRecordException.class);
  }

  // --- traces larger than one record ------------------------------------------------------

  private static final int SMALL_RECORD = 16 * 1024;

  @Test
  void aTraceLargerThanARecordIsCutIntoPartsThatEachFitAndKeepTheSpanOrder() {
    ByteString trace = randomTraceIdBytes();
    List<io.opentelemetry.proto.trace.v1.Span> spans = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      spans.add(otlpSpan(trace, i, "op-" + i));
    }
    ResourceSpans resource = resourceSpans("svc", "scope-a", spans);
    int wholeSize = TracesData.newBuilder().addResourceSpans(resource).build().getSerializedSize();
    assertThat(wholeSize).isGreaterThan(5 * SMALL_RECORD);

    TraceSplit split = TraceWireCodec.splitByTrace(List.of(resource), SMALL_RECORD);

    assertThat(split.oversizedSpans()).isZero();
    List<TracePart> parts = split.parts();
    assertThat(parts).extracting(TracePart::traceId).containsOnly(id(trace));
    List<io.opentelemetry.proto.trace.v1.Span> rejoined = new ArrayList<>();
    for (TracePart part : parts) {
      assertThat(part.data().getSerializedSize()).isLessThanOrEqualTo(SMALL_RECORD);
      ResourceSpans partResource = part.data().getResourceSpans(0);
      assertThat(partResource.getResource()).isEqualTo(resource.getResource());
      assertThat(partResource.getSchemaUrl()).isEqualTo(resource.getSchemaUrl());
      assertThat(partResource.getScopeSpans(0).getScope())
          .isEqualTo(resource.getScopeSpans(0).getScope());
      assertThat(partResource.getScopeSpans(0).getSchemaUrl())
          .isEqualTo(resource.getScopeSpans(0).getSchemaUrl());
      assertThat(part.spanCount()).isEqualTo(partResource.getScopeSpans(0).getSpansCount());
      rejoined.addAll(partResource.getScopeSpans(0).getSpansList());
    }
    // Every span exactly once, in the order received.
    assertThat(rejoined).containsExactlyElementsOf(spans);
    // Parts are filled: the bound leaves at most a few framing bytes unused per part.
    int spanBytes = spans.get(0).getSerializedSize() + 3;
    int perPart = (SMALL_RECORD - 200) / spanBytes;
    assertThat(parts.size()).isLessThanOrEqualTo((spans.size() + perPart - 1) / perPart);
  }

  @Test
  void partsOfSeveralTracesAndResourcesStayGroupedPerTraceInOrder() {
    ByteString big = randomTraceIdBytes();
    ByteString small = randomTraceIdBytes();
    List<io.opentelemetry.proto.trace.v1.Span> frontend = new ArrayList<>();
    List<io.opentelemetry.proto.trace.v1.Span> backend = new ArrayList<>();
    frontend.add(otlpSpan(small, 0, "front-small-root"));
    for (int i = 0; i < 600; i++) {
      frontend.add(otlpSpan(big, i, "front-" + i));
      backend.add(otlpSpan(big, 1_000 + i, "back-" + i));
    }
    List<ResourceSpans> batch =
        List.of(
            resourceSpans("frontend", "scope-a", frontend),
            resourceSpans("backend", "scope-b", backend));

    TraceSplit split = TraceWireCodec.splitByTrace(batch, SMALL_RECORD);

    List<TracePart> parts = split.parts();
    assertThat(parts.size()).isGreaterThan(3);
    // The small trace came first (its one part), then all parts of the big one.
    assertThat(parts.get(0).traceId()).isEqualTo(id(small));
    assertThat(parts.subList(1, parts.size())).extracting(TracePart::traceId).containsOnly(id(big));
    List<String> bigNames = new ArrayList<>();
    for (TracePart part : parts) {
      assertThat(part.data().getSerializedSize()).isLessThanOrEqualTo(SMALL_RECORD);
      for (ResourceSpans resource : part.data().getResourceSpansList()) {
        String service = resource.getResource().getAttributes(0).getValue().getStringValue();
        for (var scope : resource.getScopeSpansList()) {
          assertThat(scope.getScope().getName())
              .isEqualTo(service.equals("frontend") ? "scope-a" : "scope-b");
          for (var span : scope.getSpansList()) {
            assertThat(span.getName()).startsWith(service.equals("frontend") ? "front-" : "back-");
            if (span.getTraceId().equals(big)) {
              bigNames.add(span.getName());
            }
          }
        }
      }
    }
    assertThat(bigNames).hasSize(1_200).doesNotHaveDuplicates();
    assertThat(parts).extracting(TracePart::spanCount).containsOnlyOnce(1);
  }

  @Test
  void aSpanLargerThanARecordOnItsOwnIsLeftOutAndCounted() {
    ByteString trace = randomTraceIdBytes();
    io.opentelemetry.proto.trace.v1.Span huge =
        otlpSpan(trace, 1, "huge").toBuilder()
            .addAttributes(stringAttribute("blob", "x".repeat(SMALL_RECORD)))
            .build();
    ResourceSpans resource =
        resourceSpans(
            "svc",
            "scope-a",
            List.of(otlpSpan(trace, 0, "before"), huge, otlpSpan(trace, 2, "after")));

    TraceSplit split = TraceWireCodec.splitByTrace(List.of(resource), SMALL_RECORD);

    assertThat(split.oversizedSpans()).isEqualTo(1);
    assertThat(split.parts()).hasSize(1);
    assertThat(split.parts().get(0).data().getResourceSpans(0).getScopeSpans(0).getSpansList())
        .extracting(io.opentelemetry.proto.trace.v1.Span::getName)
        .containsExactly("before", "after");
  }

  @Test
  void aSpanThatExactlyFillsARecordIsKept() {
    ByteString trace = randomTraceIdBytes();
    ResourceSpans empty = resourceSpans("svc", "scope-a", List.of(otlpSpan(trace, 0, "x")));
    int base = TracesData.newBuilder().addResourceSpans(empty).build().getSerializedSize();
    // The framing bound is conservative by up to GROUP_FRAME_BYTES - 2 per group.
    int limit = base + 4 * TraceWireCodec.GROUP_FRAME_BYTES;

    TraceSplit split = TraceWireCodec.splitByTrace(List.of(empty), limit);

    assertThat(split.oversizedSpans()).isZero();
    assertThat(split.parts()).singleElement().extracting(TracePart::spanCount).isEqualTo(1);
    assertThat(TraceWireCodec.splitByTrace(List.of(empty), base - 1).oversizedSpans()).isEqualTo(1);
  }

  private static ByteString randomTraceIdBytes() {
    return ByteString.copyFrom(SpanFixtures.randomTraceId().toBytes());
  }

  private static TraceId id(ByteString bytes) {
    return TraceId.fromBytes(bytes.toByteArray());
  }

  private static io.opentelemetry.proto.trace.v1.Span otlpSpan(
      ByteString traceId, long index, String name) {
    return io.opentelemetry.proto.trace.v1.Span.newBuilder()
        .setTraceId(traceId)
        .setSpanId(ByteString.copyFrom(java.nio.ByteBuffer.allocate(8).putLong(index + 1).array()))
        .setName(name)
        .setStartTimeUnixNano(1_764_000_000_000_000_000L + index)
        .setEndTimeUnixNano(1_764_000_000_001_000_000L + index)
        .addAttributes(stringAttribute("http.route", "/checkout"))
        .build();
  }

  private static KeyValue stringAttribute(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static ResourceSpans resourceSpans(
      String service, String scope, List<io.opentelemetry.proto.trace.v1.Span> spans) {
    return ResourceSpans.newBuilder()
        .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
        .setResource(
            io.opentelemetry.proto.resource.v1.Resource.newBuilder()
                .addAttributes(stringAttribute("service.name", service)))
        .addScopeSpans(
            ScopeSpans.newBuilder()
                .setSchemaUrl("https://opentelemetry.io/schemas/1.24.0")
                .setScope(InstrumentationScope.newBuilder().setName(scope).setVersion("1"))
                .addAllSpans(spans))
        .build();
  }
}
