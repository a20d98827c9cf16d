package dev.cairn.query.trace;

import dev.cairn.model.SpanId;
import dev.cairn.model.TraceId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A trace as every query surface shows it: its spans as a tree with clock-skew-adjusted times, the
 * critical path, and what is known to be missing. Built by {@link TraceAnalyzer}; immutable.
 */
public final class TraceView {

  private final TraceId traceId;
  private final List<SpanView> spans;
  private final Map<SpanId, SpanView> bySpanId;
  private final List<CriticalPathSection> criticalPath;
  private final Completeness completeness;
  private final boolean clockSkewAdjusted;
  private final boolean truncated;
  private final int storedSpanCount;
  private final List<String> missingRegions;

  TraceView(
      TraceId traceId,
      List<SpanView> spans,
      List<CriticalPathSection> criticalPath,
      Completeness completeness,
      boolean clockSkewAdjusted,
      boolean truncated,
      int storedSpanCount,
      List<String> missingRegions) {
    if (spans.isEmpty()) {
      throw new IllegalArgumentException("a trace view needs at least one span");
    }
    this.traceId = traceId;
    this.spans = List.copyOf(spans);
    this.criticalPath = List.copyOf(criticalPath);
    this.completeness = completeness;
    this.clockSkewAdjusted = clockSkewAdjusted;
    this.truncated = truncated;
    this.storedSpanCount = storedSpanCount;
    this.missingRegions = List.copyOf(missingRegions);
    this.bySpanId = new HashMap<>(2 * this.spans.size());
    for (SpanView span : this.spans) {
      // With duplicated span ids the first one (in tree order) is the one children hang under.
      bySpanId.putIfAbsent(span.spanId(), span);
    }
  }

  public TraceId traceId() {
    return traceId;
  }

  /**
   * Every span of the answer in tree order: each subtree head ({@link ParentRelation#isTop()}, by
   * adjusted start), followed depth-first by its descendants, siblings by adjusted start time. A
   * waterfall draws them in this order.
   */
  public List<SpanView> spans() {
    return spans;
  }

  public Optional<SpanView> span(SpanId spanId) {
    return Optional.ofNullable(bySpanId.get(spanId));
  }

  /** The parent span, when it is in the answer. */
  public Optional<SpanView> parent(SpanView span) {
    return span.parentRelation().isTop()
        ? Optional.empty()
        : span.parentSpanId().flatMap(this::span);
  }

  public List<SpanView> children(SpanView span) {
    return span.childSpanIds().stream().map(bySpanId::get).toList();
  }

  /** Sections of the critical path in time order (one chain per subtree head). */
  public List<CriticalPathSection> criticalPath() {
    return criticalPath;
  }

  public Completeness completeness() {
    return completeness;
  }

  /** False for a raw view, whose adjusted times equal the stored ones. */
  public boolean clockSkewAdjusted() {
    return clockSkewAdjusted;
  }

  /** The trace has more spans than the answer holds: {@link #spans()} are its earliest ones. */
  public boolean truncated() {
    return truncated;
  }

  /** Spans the store counts for the trace (search's {@code spanCount}). */
  public int storedSpanCount() {
    return storedSpanCount;
  }

  /** Federated regions that did not answer in time: their spans may be missing. */
  public List<String> missingRegions() {
    return missingRegions;
  }

  /** Earliest adjusted start of any span. */
  public long startTimeUnixNano() {
    long start = Long.MAX_VALUE;
    for (SpanView span : spans) {
      start = Math.min(start, span.adjustedStartTimeUnixNano());
    }
    return start;
  }

  /** Latest adjusted end of any span. */
  public long endTimeUnixNano() {
    long end = Long.MIN_VALUE;
    for (SpanView span : spans) {
      end = Math.max(end, span.adjustedEndTimeUnixNano());
    }
    return end;
  }

  public long durationNanos() {
    return endTimeUnixNano() - startTimeUnixNano();
  }

  /** The view with the regions that did not answer recorded. */
  public TraceView withMissingRegions(List<String> regions) {
    return new TraceView(
        traceId,
        spans,
        criticalPath,
        completeness,
        clockSkewAdjusted,
        truncated,
        storedSpanCount,
        regions);
  }
}
