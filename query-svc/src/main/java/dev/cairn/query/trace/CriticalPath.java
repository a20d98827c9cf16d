package dev.cairn.query.trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The chain of spans that determined a subtree's end-to-end latency, after Jaeger UI's critical
 * path. Children are first clipped to their parent (times outside it cannot have kept the parent
 * waiting); children wholly outside it, follows-from children, and their subtrees take no part.
 * Then, walking back from the head's end: the child of the current span that finished last before
 * the current point is on the path (the span itself was on it from that child's end to the point);
 * descend into it from its end; when a span has no such child left it was on the path back to its
 * own start, and the walk returns to its parent at that start. Each child is taken at most once.
 */
final class CriticalPath {

  final boolean[] onPath;
  final long[] selfNanos;
  final List<CriticalPathSection> sections;

  private CriticalPath(boolean[] onPath, long[] selfNanos, List<CriticalPathSection> sections) {
    this.onPath = onPath;
    this.selfNanos = selfNanos;
    this.sections = sections;
  }

  static CriticalPath of(SpanTree tree, long[] start, long[] end) {
    int n = tree.size();
    long[] clippedStart = Arrays.copyOf(start, n);
    long[] clippedEnd = Arrays.copyOf(end, n);
    boolean[] excluded = new boolean[n];
    for (int at : tree.preOrder(tree.children)) {
      int p = tree.parent[at];
      if (p < 0) {
        continue;
      }
      if (excluded[p]
          || tree.relation[at] == ParentRelation.FOLLOWS_FROM
          || start[at] >= clippedEnd[p]
          || end[at] <= clippedStart[p]) {
        excluded[at] = true;
        continue;
      }
      clippedStart[at] = Math.max(start[at], clippedStart[p]);
      clippedEnd[at] = Math.min(end[at], clippedEnd[p]);
    }
    int[][] byEndDescending = new int[n][];
    for (int i = 0; i < n; i++) {
      byEndDescending[i] =
          Arrays.stream(tree.children[i])
              .filter(c -> !excluded[c])
              .boxed()
              .sorted((a, b) -> Long.compare(clippedEnd[b], clippedEnd[a]))
              .mapToInt(Integer::intValue)
              .toArray();
    }
    int[] cursor = new int[n];
    boolean[] onPath = new boolean[n];
    long[] self = new long[n];
    List<CriticalPathSection> sections = new ArrayList<>();
    for (int head : tree.heads) {
      List<CriticalPathSection> chain = new ArrayList<>();
      int at = head;
      long point = clippedEnd[head];
      onPath[head] = true;
      while (true) {
        int child = lastFinishingChild(byEndDescending[at], cursor, at, clippedEnd, point);
        if (child >= 0) {
          addSection(tree, chain, self, at, clippedEnd[child], point);
          onPath[child] = true;
          at = child;
          point = clippedEnd[child];
        } else {
          addSection(tree, chain, self, at, clippedStart[at], point);
          if (at == head) {
            break;
          }
          point = clippedStart[at];
          at = tree.parent[at];
        }
      }
      Collections.reverse(chain);
      sections.addAll(chain);
    }
    return new CriticalPath(onPath, self, List.copyOf(sections));
  }

  private static int lastFinishingChild(
      int[] children, int[] cursor, int parent, long[] clippedEnd, long point) {
    int i = cursor[parent];
    while (i < children.length && clippedEnd[children[i]] > point) {
      i++;
    }
    if (i == children.length) {
      cursor[parent] = i;
      return -1;
    }
    cursor[parent] = i + 1;
    return children[i];
  }

  private static void addSection(
      SpanTree tree, List<CriticalPathSection> chain, long[] self, int span, long from, long to) {
    if (to > from) {
      chain.add(new CriticalPathSection(tree.spans.get(span).spanId(), from, to));
      self[span] += to - from;
    }
  }
}
