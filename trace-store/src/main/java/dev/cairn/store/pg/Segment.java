package dev.cairn.store.pg;

import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.store.EncodedSpans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The spans of one trace that one write adds, and what the segment row and the trace summary need
 * of them, worked out in one pass when it is made. Pure: computed from spans only.
 */
final class Segment {

  private final TraceId traceId;
  private final List<Span> spans;
  private final BitSet late;
  private final byte[] encoded;
  private final long minStart;
  private final long maxStart;
  private final long maxEnd;
  private final long minDuration;
  private final long maxDuration;
  private final int errorCount;
  private final Span root;

  Segment(TraceId traceId, List<Span> spans, BitSet late) {
    this(traceId, spans, late, null);
  }

  /**
   * @param encoded the spans as one OTLP TracesData message, as they arrived; null when they must
   *     be encoded ({@link SegmentCodec#raw(Segment)})
   */
  Segment(TraceId traceId, List<Span> spans, BitSet late, byte[] encoded) {
    if (spans.isEmpty()) {
      throw new IllegalArgumentException("a segment holds at least one span");
    }
    this.traceId = traceId;
    this.spans = spans;
    this.late = late;
    this.encoded = encoded;
    long lowStart = Long.MAX_VALUE;
    long highStart = Long.MIN_VALUE;
    long highEnd = Long.MIN_VALUE;
    long shortest = Long.MAX_VALUE;
    long longest = Long.MIN_VALUE;
    int errors = 0;
    Span best = null;
    for (Span span : spans) {
      lowStart = Math.min(lowStart, span.startTimeUnixNano());
      highStart = Math.max(highStart, span.startTimeUnixNano());
      highEnd = Math.max(highEnd, span.endTimeUnixNano());
      shortest = Math.min(shortest, span.durationNanos());
      longest = Math.max(longest, span.durationNanos());
      if (span.status().code() == StatusCode.ERROR) {
        errors++;
      }
      if (best == null || ROOT_ORDER.compare(span, best) < 0) {
        best = span;
      }
    }
    this.minStart = lowStart;
    this.maxStart = highStart;
    this.maxEnd = highEnd;
    this.minDuration = shortest;
    this.maxDuration = longest;
    this.errorCount = errors;
    this.root = best;
  }

  TraceId traceId() {
    return traceId;
  }

  List<Span> spans() {
    return spans;
  }

  /** Which of {@link #spans} were published after their trace's decision, by index. */
  BitSet late() {
    return late;
  }

  /** The spans as one OTLP TracesData message, as they arrived; null when not known. */
  byte[] encoded() {
    return encoded;
  }

  int lateSpanCount() {
    return late.cardinality();
  }

  /** A span's identity in the store: the same span id and start is the same span. */
  record SpanKey(long spanId, long startUnixNano) {
    static SpanKey of(Span span) {
      return new SpanKey(span.spanId().value(), span.startTimeUnixNano());
    }

    // written out (the record's generated ones go through method handles): a replayed batch's
    // spans are all looked up by their key
    @Override
    public boolean equals(Object other) {
      return other instanceof SpanKey that
          && spanId == that.spanId
          && startUnixNano == that.startUnixNano;
    }

    @Override
    public int hashCode() {
      return Long.hashCode(spanId * 31 + startUnixNano);
    }
  }

  // a span without parent first; ties by start, then service, then name (strict: the first wins)
  private static final Comparator<Span> ROOT_ORDER =
      Comparator.comparing((Span s) -> !s.isRoot())
          .thenComparingLong(Span::startTimeUnixNano)
          .thenComparing(Span::serviceName)
          .thenComparing(Span::name);

  private static final Comparator<Span> KEY_ORDER =
      Comparator.comparingLong((Span s) -> s.spanId().value())
          .thenComparingLong(Span::startTimeUnixNano);

  /** A trace's spans while a batch is grouped. */
  private static final class Group {
    final List<Span> spans = new ArrayList<>();
    final BitSet late = new BitSet();

    /** The bytes of the trace's records that hold only its spans, in order. */
    final List<byte[]> records = new ArrayList<>(1);

    /** The spans those records hold. */
    int recordSpans;

    /** Whether a record of the trace has no bytes or holds spans of another trace too. */
    boolean unencoded;
  }

  /**
   * Groups a batch by trace, in order of first appearance, each span once (the first of equal
   * keys); {@code late} marks by index the spans published after their trace's decision.
   */
  static List<Segment> group(List<Span> spans, BitSet late) {
    Map<TraceId, Group> groups = groups(spans, late);
    List<Segment> segments = new ArrayList<>(groups.size());
    groups.forEach((id, group) -> segments.add(new Segment(id, group.spans, group.late)));
    return segments;
  }

  private static Map<TraceId, Group> groups(List<Span> spans, BitSet late) {
    BitSet repeated = repeatedIdentities(spans);
    Map<TraceId, Group> groups = new LinkedHashMap<>();
    Group last = null;
    for (int i = 0; i < spans.size(); i++) {
      if (repeated.get(i)) {
        continue;
      }
      Span span = spans.get(i);
      if (last == null || !last.spans.get(0).traceId().equals(span.traceId())) {
        last = groups.computeIfAbsent(span.traceId(), t -> new Group());
      }
      if (late.get(i)) {
        last.late.set(last.spans.size());
      }
      last.spans.add(span);
    }
    return groups;
  }

  /**
   * Which spans repeat the identity (trace id, span id, start) of an earlier one: an
   * open-addressing table of span indices, no key object per span (a HashSet of keys per trace had
   * a tenth of the writer threads' samples).
   */
  static BitSet repeatedIdentities(List<Span> spans) {
    int size = spans.size();
    int capacity = Integer.highestOneBit(Math.max(2, size) * 2 - 1) << 1; // load below 1/2
    int mask = capacity - 1;
    int[] slots = new int[capacity];
    Arrays.fill(slots, -1);
    BitSet repeated = new BitSet();
    for (int i = 0; i < size; i++) {
      Span span = spans.get(i);
      int slot = identityHash(span) & mask;
      while (slots[slot] >= 0 && !sameIdentity(spans.get(slots[slot]), span)) {
        slot = (slot + 1) & mask;
      }
      if (slots[slot] >= 0) {
        repeated.set(i);
      } else {
        slots[slot] = i;
      }
    }
    return repeated;
  }

  private static int identityHash(Span span) {
    long h = (span.spanId().value() ^ span.traceId().low()) * 0x9E3779B97F4A7C15L;
    h = (h ^ span.startTimeUnixNano()) * 0xff51afd7ed558ccdL;
    return (int) (h ^ (h >>> 32));
  }

  private static boolean sameIdentity(Span a, Span b) {
    return a.spanId().value() == b.spanId().value()
        && a.startTimeUnixNano() == b.startTimeUnixNano()
        && a.traceId().equals(b.traceId());
  }

  /**
   * As {@link #group(List, BitSet)} of the records' spans. A trace's segment keeps its records'
   * bytes, one after the other, when its spans are exactly theirs: each of those records holds only
   * this trace's spans and all of them (it has its bytes), and no span of theirs was left out as a
   * duplicate. Protobuf appends the repeated fields of concatenated messages, so those bytes decode
   * to the segment's spans in order.
   */
  static List<Segment> group(List<EncodedSpans> records) {
    Map<TraceId, Group> groups =
        groups(EncodedSpans.spansOf(records), EncodedSpans.lateOf(records));
    for (EncodedSpans record : records) {
      List<Span> spans = record.spans();
      if (spans.isEmpty()) {
        continue;
      }
      TraceId trace = spans.get(0).traceId();
      if (record.tracesData() == null || !allOf(trace, spans)) {
        spans.forEach(s -> groups.get(s.traceId()).unencoded = true);
        continue;
      }
      Group group = groups.get(trace);
      group.records.add(record.tracesData());
      group.recordSpans += spans.size();
    }
    List<Segment> segments = new ArrayList<>(groups.size());
    groups.forEach(
        (id, group) -> {
          boolean exact =
              !group.unencoded
                  && !group.records.isEmpty()
                  && group.recordSpans == group.spans.size();
          segments.add(
              new Segment(id, group.spans, group.late, exact ? concat(group.records) : null));
        });
    return segments;
  }

  private static boolean allOf(TraceId trace, List<Span> spans) {
    for (Span span : spans) {
      if (!span.traceId().equals(trace)) {
        return false;
      }
    }
    return true;
  }

  private static byte[] concat(List<byte[]> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    byte[] all = new byte[length];
    int at = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, all, at, part.length);
      at += part.length;
    }
    return all;
  }

  /**
   * This segment without the spans already stored (counted before); null when none is left, itself
   * when none is stored.
   */
  Segment without(Set<SpanKey> stored) {
    List<Span> left = new ArrayList<>(spans.size());
    BitSet leftLate = new BitSet();
    for (int i = 0; i < spans.size(); i++) {
      if (!stored.contains(SpanKey.of(spans.get(i)))) {
        if (late.get(i)) {
          leftLate.set(left.size());
        }
        left.add(spans.get(i));
      }
    }
    if (left.size() == spans.size()) {
      return this;
    }
    return left.isEmpty() ? null : new Segment(traceId, left, leftLate);
  }

  Instant startTime() {
    return SpanCopyEncoder.partitionTime(minStart);
  }

  Instant lastStartTime() {
    return SpanCopyEncoder.partitionTime(maxStart);
  }

  /** The segment's identity: a hash of its span keys, whatever their order in the batch. */
  long segmentId() {
    Span[] byKey = spans.toArray(new Span[0]);
    Arrays.sort(byKey, KEY_ORDER);
    long h = 0x9E3779B97F4A7C15L;
    for (Span span : byKey) {
      h = (h ^ span.spanId().value()) * 0xff51afd7ed558ccdL;
      h = (h ^ span.startTimeUnixNano()) * 0xc4ceb9fe1a85ec53L;
      h ^= h >>> 33;
    }
    return h;
  }

  long minDurationNanos() {
    return minDuration;
  }

  long maxDurationNanos() {
    return maxDuration;
  }

  long startUnixNano() {
    return minStart;
  }

  long endUnixNano() {
    return maxEnd;
  }

  /** A span without parent beats the earliest span (ties: service, then name). */
  Span root() {
    return root;
  }

  int errorCount() {
    return errorCount;
  }

  /** Distinct services, sorted. */
  List<String> services() {
    TreeSet<String> services = new TreeSet<>();
    Resource last = null;
    for (Span span : spans) {
      if (span.resource() != last) { // spans of one process share their resource
        last = span.resource();
        services.add(SpanCopyEncoder.clean(last.serviceName()));
      }
    }
    return List.copyOf(services);
  }
}
