package dev.cairn.store.pg;

import static dev.cairn.store.StoreTestSpans.randomSpanId;
import static dev.cairn.store.StoreTestSpans.randomTraceId;
import static dev.cairn.store.StoreTestSpans.span;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.store.EncodedSpans;
import java.util.ArrayList;
import java.util.BitSet;
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

  @Test
  void aSpanRepeatsAnotherOnlyWithTheSameTraceSpanIdAndStart() {
    TraceId a = randomTraceId();
    TraceId b = randomTraceId();
    SpanId id = randomSpanId();
    Span first = span(a, id, Optional.empty(), "checkout", "GET", T0, 1_000);
    Span again = span(a, id, Optional.empty(), "checkout", "GET /again", T0, 2_000);
    Span laterStart = span(a, id, Optional.empty(), "checkout", "GET", T0 + 1, 1_000);
    Span otherTrace = span(b, id, Optional.empty(), "checkout", "GET", T0, 1_000);
    List<Span> batch = List.of(first, laterStart, otherTrace, again);
    assertThat(Segment.repeatedIdentities(batch).stream().toArray()).containsExactly(3);

    BitSet late = new BitSet();
    late.set(1);
    late.set(3);
    List<Segment> segments = Segment.group(batch, late);
    assertThat(segments.get(0).spans()).containsExactly(first, laterStart);
    assertThat(segments.get(0).late().stream().toArray()).containsExactly(1);
    assertThat(segments.get(1).spans()).containsExactly(otherTrace);
    assertThat(segments.get(1).lateSpanCount()).isZero();
  }

  @Test
  void repeatsAreFoundAmongManySpans() {
    List<Span> batch = new ArrayList<>();
    for (int t = 0; t < 50; t++) {
      batch.addAll(spans(randomTraceId(), "svc-" + t, 40));
    }
    List<Span> replayed = new ArrayList<>(batch);
    for (int i = 0; i < batch.size(); i += 7) {
      replayed.add(batch.get(i));
    }
    BitSet repeated = Segment.repeatedIdentities(replayed);
    assertThat(repeated.cardinality()).isEqualTo(replayed.size() - batch.size());
    assertThat(repeated.nextSetBit(0)).isEqualTo(batch.size());
    assertThat(Segment.group(replayed, new BitSet()))
        .flatExtracting(Segment::spans)
        .containsExactlyElementsOf(batch);
  }

  @Test
  void aSegmentsFiguresAreThoseOfItsSpans() {
    TraceId a = randomTraceId();
    SpanId root = randomSpanId();
    Span child = span(a, randomSpanId(), Optional.of(root), "cart", "load", T0 - 5, 300);
    Span parentless = span(a, root, Optional.empty(), "checkout", "GET", T0, 1_000);
    Span late = span(a, randomSpanId(), Optional.of(root), "cart", "store", T0 + 900, 50);
    Segment segment = new Segment(a, List.of(child, parentless, late), new BitSet());
    assertThat(segment.startUnixNano()).isEqualTo(T0 - 5);
    assertThat(segment.endUnixNano()).isEqualTo(T0 + 1_000);
    assertThat(segment.minDurationNanos()).isEqualTo(50);
    assertThat(segment.maxDurationNanos()).isEqualTo(1_000);
    assertThat(segment.root()).isSameAs(parentless);
    assertThat(segment.services()).containsExactly("cart", "checkout");
    assertThat(segment.segmentId())
        .isEqualTo(new Segment(a, List.of(late, parentless, child), new BitSet()).segmentId());
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
