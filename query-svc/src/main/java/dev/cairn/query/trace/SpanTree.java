package dev.cairn.query.trace;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The parent/child structure of a trace's spans, addressed by index into {@link #spans}. Every span
 * is reachable from exactly one head ({@link #heads}): roots, spans whose parent is missing, and
 * spans where a parent cycle was cut. Iterative throughout, so a 50,000-span chain does not
 * overflow the stack.
 */
final class SpanTree {

  final List<Span> spans;
  final String[] hostKeys;
  final int[] parent;
  final ParentRelation[] relation;
  final int[][] children;
  final int[] heads;
  final List<SpanId> missingParents;

  private SpanTree(
      List<Span> spans,
      String[] hostKeys,
      int[] parent,
      ParentRelation[] relation,
      int[][] children,
      int[] heads,
      List<SpanId> missingParents) {
    this.spans = spans;
    this.hostKeys = hostKeys;
    this.parent = parent;
    this.relation = relation;
    this.children = children;
    this.heads = heads;
    this.missingParents = missingParents;
  }

  int size() {
    return spans.size();
  }

  static SpanTree of(List<Span> spans) {
    int n = spans.size();
    Map<SpanId, Integer> index = new HashMap<>(2 * n);
    for (int i = 0; i < n; i++) {
      index.putIfAbsent(spans.get(i).spanId(), i);
    }
    int[] parent = new int[n];
    ParentRelation[] relation = new ParentRelation[n];
    TreeMap<String, SpanId> missing = new TreeMap<>();
    String[] hostKeys = new String[n];
    for (int i = 0; i < n; i++) {
      Span span = spans.get(i);
      hostKeys[i] = HostKey.of(span.resource());
      parent[i] = -1;
      if (span.parentSpanId().isEmpty()) {
        relation[i] = ParentRelation.ROOT;
        continue;
      }
      SpanId parentId = span.parentSpanId().get();
      Integer p = index.get(parentId);
      if (p == null) {
        relation[i] = ParentRelation.PARENT_MISSING;
        missing.put(parentId.toHex(), parentId);
      } else if (p == i) {
        relation[i] = ParentRelation.PARENT_CYCLE;
      } else {
        parent[i] = p;
        relation[i] =
            followsFrom(spans.get(p), span) ? ParentRelation.FOLLOWS_FROM : ParentRelation.CHILD_OF;
      }
    }
    cutCycles(parent, relation);
    int[][] children = childrenOf(spans, parent);
    int[] heads = headsOf(spans, relation);
    return new SpanTree(
        spans, hostKeys, parent, relation, children, heads, List.copyOf(missing.values()));
  }

  /**
   * An asynchronous hand-off: the producer does not wait for its consumer. OTLP has no reference
   * type, so this is read from the span kinds.
   */
  static boolean followsFrom(Span parent, Span child) {
    return child.kind() == SpanKind.CONSUMER && parent.kind() == SpanKind.PRODUCER;
  }

  /** Spans not reachable from a head sit on or under a parent cycle: cut each cycle once. */
  private static void cutCycles(int[] parent, ParentRelation[] relation) {
    int n = parent.length;
    // 0 = unknown, 1 = on the current walk, 2 = reaches a head
    byte[] state = new byte[n];
    for (int i = 0; i < n; i++) {
      if (parent[i] < 0) {
        state[i] = 2;
      }
    }
    List<Integer> walk = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      walk.clear();
      int at = i;
      while (state[at] == 0) {
        state[at] = 1;
        walk.add(at);
        at = parent[at];
      }
      if (state[at] == 1) {
        // The walk came back to itself: cut the loop where it closed.
        parent[at] = -1;
        relation[at] = ParentRelation.PARENT_CYCLE;
      }
      for (int visited : walk) {
        state[visited] = 2;
      }
    }
  }

  private static int[][] childrenOf(List<Span> spans, int[] parent) {
    int n = parent.length;
    int[] counts = new int[n];
    for (int p : parent) {
      if (p >= 0) {
        counts[p]++;
      }
    }
    int[][] children = new int[n][];
    for (int i = 0; i < n; i++) {
      children[i] = new int[counts[i]];
    }
    Arrays.fill(counts, 0);
    // Ascending index is the reader's order (start time, then span id): siblings by raw start.
    for (int i = 0; i < n; i++) {
      int p = parent[i];
      if (p >= 0) {
        children[p][counts[p]++] = i;
      }
    }
    return children;
  }

  private static int[] headsOf(List<Span> spans, ParentRelation[] relation) {
    List<Integer> heads = new ArrayList<>();
    for (int i = 0; i < relation.length; i++) {
      if (relation[i].isTop()) {
        heads.add(i);
      }
    }
    heads.sort(Comparator.comparingLong(i -> spans.get(i).startTimeUnixNano()));
    return heads.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Indices in depth-first pre-order from each head: every span once, parents before children. */
  int[] preOrder(int[][] childOrder) {
    int[] order = new int[size()];
    int next = 0;
    Deque<Integer> stack = new ArrayDeque<>();
    for (int head : heads) {
      stack.push(head);
      while (!stack.isEmpty()) {
        int at = stack.pop();
        order[next++] = at;
        int[] kids = childOrder[at];
        for (int k = kids.length - 1; k >= 0; k--) {
          stack.push(kids[k]);
        }
      }
    }
    return order;
  }
}
