package dev.cairn.store.pg;

import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.store.EncodedSpans;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The spans of one trace that one write adds, and what the segment row and the trace summary need
 * of them. Pure: computed from spans only.
 *
 * @param encoded the spans as one OTLP TracesData message, as they arrived; null when they must be
 *     encoded ({@link SegmentCodec#raw(Segment)})
 */
record Segment(TraceId traceId, List<Span> spans, BitSet late, byte[] encoded) {

  Segment(TraceId traceId, List<Span> spans, BitSet late) {
    this(traceId, spans, late, null);
  }

  int lateSpanCount() {
    return late.cardinality();
  }

  /** A span's identity in the store: the same span id and start is the same span. */
  record SpanKey(long spanId, long startUnixNano) {
    static SpanKey of(Span span) {
      return new SpanKey(span.spanId().value(), span.startTimeUnixNano());
    }

    // written out, as OperationCache.Key's: every span of a batch is looked up by its key
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

  private static final Comparator<Span> ROOT_ORDER =
      Comparator.comparing((Span s) -> !s.isRoot())
          .thenComparingLong(Span::startTimeUnixNano)
          .thenComparing(Span::serviceName)
          .thenComparing(Span::name);

  /**
   * Groups a batch by trace, in order of first appearance, each span once (the first of equal
   * keys); {@code late} marks by index the spans published after their trace's decision.
   */
  static List<Segment> group(List<Span> spans, BitSet late) {
    Map<TraceId, List<Span>> byTrace = new LinkedHashMap<>();
    Map<TraceId, BitSet> lateByTrace = new LinkedHashMap<>();
    Map<TraceId, Set<SpanKey>> seen = new LinkedHashMap<>();
    for (int i = 0; i < spans.size(); i++) {
      Span span = spans.get(i);
      if (!seen.computeIfAbsent(span.traceId(), t -> new HashSet<>()).add(SpanKey.of(span))) {
        continue;
      }
      List<Span> list = byTrace.computeIfAbsent(span.traceId(), t -> new ArrayList<>());
      if (late.get(i)) {
        lateByTrace.computeIfAbsent(span.traceId(), t -> new BitSet()).set(list.size());
      }
      list.add(span);
    }
    List<Segment> segments = new ArrayList<>(byTrace.size());
    byTrace.forEach(
        (id, list) ->
            segments.add(new Segment(id, list, lateByTrace.getOrDefault(id, new BitSet()))));
    return segments;
  }

  /**
   * As {@link #group(List, BitSet)} of the records' spans. A trace's segment keeps its records'
   * bytes, one after the other, when its spans are exactly theirs: each of those records holds only
   * this trace's spans and all of them (it has its bytes), and no span of theirs was left out as a
   * duplicate. Protobuf appends the repeated fields of concatenated messages, so those bytes decode
   * to the segment's spans in order.
   */
  static List<Segment> group(List<EncodedSpans> records) {
    List<Segment> segments = group(EncodedSpans.spansOf(records), EncodedSpans.lateOf(records));
    Map<TraceId, List<byte[]>> bytes = new HashMap<>();
    Map<TraceId, Integer> counts = new HashMap<>();
    Set<TraceId> unencoded = new HashSet<>();
    for (EncodedSpans record : records) {
      List<Span> spans = record.spans();
      if (spans.isEmpty()) {
        continue;
      }
      TraceId trace = spans.get(0).traceId();
      if (record.tracesData() == null || !spans.stream().allMatch(s -> s.traceId().equals(trace))) {
        spans.forEach(s -> unencoded.add(s.traceId()));
        continue;
      }
      bytes.computeIfAbsent(trace, t -> new ArrayList<>()).add(record.tracesData());
      counts.merge(trace, spans.size(), Integer::sum);
    }
    List<Segment> encoded = new ArrayList<>(segments.size());
    for (Segment segment : segments) {
      TraceId trace = segment.traceId();
      boolean exact =
          bytes.containsKey(trace)
              && !unencoded.contains(trace)
              && counts.get(trace) == segment.spans().size();
      encoded.add(
          exact
              ? new Segment(trace, segment.spans(), segment.late(), concat(bytes.get(trace)))
              : segment);
    }
    return encoded;
  }

  private static byte[] concat(List<byte[]> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    byte[] all = new byte[parts.stream().mapToInt(p -> p.length).sum()];
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
    return SpanCopyEncoder.partitionTime(
        spans.stream().mapToLong(Span::startTimeUnixNano).min().orElseThrow());
  }

  Instant lastStartTime() {
    return SpanCopyEncoder.partitionTime(
        spans.stream().mapToLong(Span::startTimeUnixNano).max().orElseThrow());
  }

  /** The segment's identity: a hash of its span keys, whatever their order in the batch. */
  long segmentId() {
    long h = 0x9E3779B97F4A7C15L;
    for (SpanKey key :
        spans.stream()
            .map(SpanKey::of)
            .sorted(
                Comparator.comparingLong(SpanKey::spanId).thenComparingLong(SpanKey::startUnixNano))
            .toList()) {
      h = (h ^ key.spanId()) * 0xff51afd7ed558ccdL;
      h = (h ^ key.startUnixNano()) * 0xc4ceb9fe1a85ec53L;
      h ^= h >>> 33;
    }
    return h;
  }

  long minDurationNanos() {
    return spans.stream().mapToLong(Span::durationNanos).min().orElseThrow();
  }

  long maxDurationNanos() {
    return spans.stream().mapToLong(Span::durationNanos).max().orElseThrow();
  }

  long startUnixNano() {
    return spans.stream().mapToLong(Span::startTimeUnixNano).min().orElseThrow();
  }

  long endUnixNano() {
    return spans.stream().mapToLong(Span::endTimeUnixNano).max().orElseThrow();
  }

  /** A span without parent beats the earliest span (ties: service, then name). */
  Span root() {
    return spans.stream().min(ROOT_ORDER).orElseThrow();
  }

  int errorCount() {
    return (int) spans.stream().filter(s -> s.status().code() == StatusCode.ERROR).count();
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
