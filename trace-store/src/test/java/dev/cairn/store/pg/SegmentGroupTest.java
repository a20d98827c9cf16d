package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.store.EncodedSpans;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which segments keep the bytes their spans arrived in, and that those bytes decode to them. */
class SegmentGroupTest {

  private static final long T0 = 1_700_000_000_000_000_000L;

  @Test
  void aTracesRecordsAcrossTheBatchMakeItsSegmentInOrder() {
    TraceId a = randomTraceId();
    TraceId b = randomTraceId();
    List<Span> a1 = spans(a, "checkout", 3);
    List<Span> b1 = spans(b, "cart", 2);
    List<Span> a2 = spans(a, "payments", 2);
    List<Segment> segments = Segment.group(List.of(record(a1), record(b1), record(a2)));

    assertThat(segments).extracting(Segment::traceId).containsExactly(a, b);
    Segment segmentA = segments.get(0);
    assertThat(segmentA.spans()).containsExactlyElementsOf(concat(a1, a2));
    assertThat(decode(segmentA.encoded())).containsExactlyElementsOf(segmentA.spans());
    assertThat(segmentA.late().get(3)).isTrue(); // a2 came late
    assertThat(segmentA.late().cardinality()).isEqualTo(2);
    assertThat(decode(segments.get(1).encoded())).containsExactlyElementsOf(b1);
  }

  @Test
  void aTraceWithARecordWithoutItsBytesIsEncodedAgain() {
    TraceId a = randomTraceId();
    List<Span> whole = spans(a, "checkout", 2);
    List<Span> partial = spans(a, "payments", 2);
    List<Segment> segments =
        Segment.group(List.of(record(whole), new EncodedSpans(partial, null, false)));
    assertThat(segments.get(0).encoded()).isNull();
    assertThat(SegmentCodec.raw(segments.get(0)))
        .isEqualTo(SegmentCodec.raw(concat(whole, partial)));
  }

  @Test
  void aTraceWithADuplicateSpanInTheBatchIsEncodedAgain() {
    TraceId a = randomTraceId();
    List<Span> first = spans(a, "checkout", 2);
    List<Span> replayed = List.of(first.get(1));
    Segment segment = Segment.group(List.of(record(first), record(replayed))).get(0);
    assertThat(segment.spans()).containsExactlyElementsOf(first);
    assertThat(segment.encoded()).isNull();
  }

  @Test
  void theTracesOfARecordHoldingMoreThanOneAreEncodedAgain() {
    TraceId a = randomTraceId();
    TraceId b = randomTraceId();
    List<Span> mixed = concat(spans(a, "checkout", 1), spans(b, "cart", 1));
    List<Span> onlyB = spans(b, "cart", 1);
    List<Segment> segments = Segment.group(List.of(record(mixed), record(onlyB)));
    assertThat(segments).extracting(Segment::encoded).containsExactly(null, null);
  }

  @Test
  void aSegmentKeepsItsBytesOnlyWhileNoneOfItsSpansIsLeftOut() {
    List<Span> spans = spans(randomTraceId(), "checkout", 3);
    Segment segment = Segment.group(List.of(record(spans))).get(0);
    assertThat(segment.without(Set.of()).encoded()).isSameAs(segment.encoded());
    Segment left = segment.without(Set.of(Segment.SpanKey.of(spans.get(0))));
    assertThat(left.spans()).containsExactlyElementsOf(spans.subList(1, 3));
    assertThat(left.encoded()).isNull();
  }

  /** A record as the sampler publishes it; the third of a test late. */
  private int records;

  private EncodedSpans record(List<Span> spans) {
    boolean late = records++ == 2;
    return new EncodedSpans(spans, TraceWireCodec.encode(OtlpSpanMapper.toTracesData(spans)), late);
  }

  private static List<Span> decode(byte[] tracesData) {
    return OtlpSpanMapper.toSpans(TraceWireCodec.decode(tracesData));
  }

  private static List<Span> spans(TraceId trace, String service, int count) {
    List<Span> spans = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      spans.add(
          span(trace, randomSpanId(), Optional.empty(), service, "op-" + i, T0 + i, 1_000 + i));
    }
    return spans;
  }

  private static List<Span> concat(List<Span> first, List<Span> second) {
    List<Span> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
