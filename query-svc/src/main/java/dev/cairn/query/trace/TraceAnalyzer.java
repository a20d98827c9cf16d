package dev.cairn.query.trace;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.TraceId;
import dev.cairn.store.TraceSpans;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns the stored spans of a trace into a {@link TraceView}: tree, clock-skew adjustment, critical
 * path on the adjusted times, completeness. Pure and thread-safe.
 */
public final class TraceAnalyzer {

  private final ClockSkewAdjuster adjuster;

  public TraceAnalyzer(ClockSkewAdjuster adjuster) {
    this.adjuster = adjuster;
  }

  /**
   * @param adjustClockSkew false for the raw view: adjusted times equal the stored ones
   * @throws IllegalArgumentException when {@code found} holds no span
   */
  public TraceView analyze(TraceId traceId, TraceSpans found, boolean adjustClockSkew) {
    if (found.isEmpty()) {
      throw new IllegalArgumentException("trace " + traceId.toHex() + " has no span to analyse");
    }
    SpanTree tree = SpanTree.of(found.spans());
    int n = tree.size();
    ClockSkew[] skews = new ClockSkew[n];
    if (adjustClockSkew) {
      skews = adjuster.adjust(tree);
    } else {
      Arrays.fill(skews, ClockSkew.NONE);
    }
    long[] start = new long[n];
    long[] end = new long[n];
    for (int i = 0; i < n; i++) {
      Span span = tree.spans.get(i);
      start[i] = span.startTimeUnixNano() + skews[i].appliedNanos();
      end[i] = span.endTimeUnixNano() + skews[i].appliedNanos();
    }
    CriticalPath path = CriticalPath.of(tree, start, end);
    int[][] byAdjustedStart = new int[n][];
    for (int i = 0; i < n; i++) {
      byAdjustedStart[i] =
          Arrays.stream(tree.children[i])
              .boxed()
              .sorted(Comparator.comparingLong(c -> start[c]))
              .mapToInt(Integer::intValue)
              .toArray();
    }
    int[] depth = new int[n];
    List<SpanView> views = new ArrayList<>(n);
    for (int at : tree.preOrder(byAdjustedStart)) {
      int p = tree.parent[at];
      depth[at] = p < 0 ? 0 : depth[p] + 1;
      List<SpanId> childIds = new ArrayList<>(byAdjustedStart[at].length);
      for (int c : byAdjustedStart[at]) {
        childIds.add(tree.spans.get(c).spanId());
      }
      views.add(
          new SpanView(
              tree.spans.get(at),
              tree.relation[at],
              depth[at],
              childIds,
              start[at],
              end[at],
              skews[at],
              path.onPath[at],
              path.selfNanos[at]));
    }
    boolean rootFound = false;
    for (ParentRelation relation : tree.relation) {
      rootFound |= relation == ParentRelation.ROOT;
    }
    Completeness completeness =
        new Completeness(rootFound, tree.missingParents, found.lateSpanCount());
    return new TraceView(
        traceId,
        views,
        path.sections,
        completeness,
        adjustClockSkew,
        found.truncated(),
        found.storedSpanCount(),
        List.of());
  }
}
