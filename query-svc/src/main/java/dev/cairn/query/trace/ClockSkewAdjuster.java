package dev.cairn.query.trace;

import dev.cairn.model.Span;
import java.time.Duration;

/**
 * Shifts spans timed by another host's clock into their parent, after Jaeger's clock-skew adjuster.
 * Parents are adjusted before their children, so each child is compared with its parent's adjusted
 * times. A child on the same host as its parent moves with it; a child on another host (or whose
 * host is unknown) that starts before its parent or ends after it is shifted:
 *
 * <ul>
 *   <li>when it is not longer than the parent, so that the time the parent did not spend in it is
 *       split evenly before and after it (network latency assumed symmetric);
 *   <li>when it is longer (an asynchronous child, or a parent that timed out), only so that it does
 *       not start before the parent.
 * </ul>
 *
 * The child's duration is always kept. A shift larger than the maximum is not applied and is
 * flagged ({@link ClockSkew.Reason#EXCEEDS_MAX_ADJUSTMENT}); its same-host descendants then stay as
 * they are too. Follows-from children are never shifted into their producer.
 */
public final class ClockSkewAdjuster {

  private final long maxAdjustmentNanos;

  /**
   * @param maxAdjustment the largest shift applied; zero disables adjustment (every needed shift is
   *     flagged instead)
   */
  public ClockSkewAdjuster(Duration maxAdjustment) {
    if (maxAdjustment.isNegative()) {
      throw new IllegalArgumentException(
          "cairn.query.clock-skew.max-adjustment must not be negative, got " + maxAdjustment);
    }
    this.maxAdjustmentNanos = maxAdjustment.toNanos();
  }

  /** The adjustment of each span of the tree, by index. */
  ClockSkew[] adjust(SpanTree tree) {
    ClockSkew[] skews = new ClockSkew[tree.size()];
    for (int at : tree.preOrder(tree.children)) {
      int p = tree.parent[at];
      skews[at] = p < 0 ? ClockSkew.NONE : skewOf(tree, at, p, skews[p].appliedNanos());
    }
    return skews;
  }

  private ClockSkew skewOf(SpanTree tree, int child, int parent, long parentShift) {
    Span c = tree.spans.get(child);
    Span p = tree.spans.get(parent);
    String host = tree.hostKeys[child];
    if (tree.relation[child] == ParentRelation.FOLLOWS_FROM) {
      long wouldBe = shiftInto(p, parentShift, c);
      return wouldBe == 0
          ? ClockSkew.NONE
          : new ClockSkew(0, wouldBe, ClockSkew.Reason.ASYNC_NOT_ADJUSTED);
    }
    if (!host.isEmpty() && host.equals(tree.hostKeys[parent])) {
      return parentShift == 0
          ? ClockSkew.NONE
          : new ClockSkew(parentShift, parentShift, ClockSkew.Reason.SHIFTED_WITH_PARENT);
    }
    long shift = shiftInto(p, parentShift, c);
    if (shift == 0) {
      return ClockSkew.NONE;
    }
    if (Math.abs(shift) > maxAdjustmentNanos) {
      return new ClockSkew(0, shift, ClockSkew.Reason.EXCEEDS_MAX_ADJUSTMENT);
    }
    return new ClockSkew(shift, shift, ClockSkew.Reason.SHIFTED_INTO_PARENT);
  }

  /** The shift that moves the child into the (already shifted) parent; 0 when it fits. */
  static long shiftInto(Span parent, long parentShift, Span child) {
    long parentStart = parent.startTimeUnixNano() + parentShift;
    long parentEnd = parent.endTimeUnixNano() + parentShift;
    long childStart = child.startTimeUnixNano();
    long childEnd = child.endTimeUnixNano();
    long parentDuration = parentEnd - parentStart;
    long childDuration = childEnd - childStart;
    if (childDuration > parentDuration) {
      return childStart < parentStart ? parentStart - childStart : 0;
    }
    if (childStart >= parentStart && childEnd <= parentEnd) {
      return 0;
    }
    long latency = (parentDuration - childDuration) / 2;
    return parentStart + latency - childStart;
  }
}
