package dev.cairn.query.trace;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import java.util.List;
import java.util.Optional;

/**
 * One span of a {@link TraceView}: the span as stored, where it hangs in the tree, its clock-skew
 * adjustment and its share of the critical path.
 *
 * @param span the span exactly as stored (raw timestamps, attributes, events, links, resource)
 * @param depth 0 for a span that heads a subtree ({@link ParentRelation#isTop()}), else its
 *     parent's depth plus one
 * @param childSpanIds the children in the answer, ordered by adjusted start time
 * @param adjustedStartTimeUnixNano the raw start plus {@code clockSkew.appliedNanos()}
 * @param adjustedEndTimeUnixNano the raw end plus {@code clockSkew.appliedNanos()}
 * @param onCriticalPath the span is a link of the chain that determined its subtree's latency
 * @param criticalPathSelfNanos time during which this span itself (not a child) was on the critical
 *     path; 0 when it is not on it
 */
public record SpanView(
    Span span,
    ParentRelation parentRelation,
    int depth,
    List<SpanId> childSpanIds,
    long adjustedStartTimeUnixNano,
    long adjustedEndTimeUnixNano,
    ClockSkew clockSkew,
    boolean onCriticalPath,
    long criticalPathSelfNanos) {

  public SpanView {
    childSpanIds = List.copyOf(childSpanIds);
  }

  public SpanId spanId() {
    return span.spanId();
  }

  public Optional<SpanId> parentSpanId() {
    return span.parentSpanId();
  }

  public String service() {
    return span.serviceName();
  }

  /** As stored. */
  public long startTimeUnixNano() {
    return span.startTimeUnixNano();
  }

  /** As stored. */
  public long endTimeUnixNano() {
    return span.endTimeUnixNano();
  }

  public long durationNanos() {
    return span.durationNanos();
  }
}
