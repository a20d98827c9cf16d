package dev.cairn.model.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
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

    List<TracePart> parts = TraceWireCodec.splitByTrace(data.getResourceSpansList());

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
  }

  @Test
  void emptyBatchHasNoParts() {
    assertThat(TraceWireCodec.splitByTrace(List.of())).isEmpty();
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
}
