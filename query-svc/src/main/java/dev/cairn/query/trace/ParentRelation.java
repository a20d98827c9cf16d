package dev.cairn.query.trace;

/** How a span hangs in its trace's tree. */
public enum ParentRelation {
  /** The span has no parent: a root of the trace. */
  ROOT,
  /** The parent waits for this span (a synchronous call or local work). */
  CHILD_OF,
  /**
   * The parent does not wait for this span: a CONSUMER span whose parent is a PRODUCER span (an
   * asynchronous hand-off through a queue). Never shifted into the parent, never on its critical
   * path.
   */
  FOLLOWS_FROM,
  /** The span names a parent that is not in the answer; it heads a subtree of its own. */
  PARENT_MISSING,
  /**
   * The span's parent chain loops back to itself (corrupt ids); the loop is cut here and the span
   * heads a subtree of its own.
   */
  PARENT_CYCLE;

  /** The span heads a subtree of the view: it has no parent span in the answer to hang under. */
  public boolean isTop() {
    return this == ROOT || this == PARENT_MISSING || this == PARENT_CYCLE;
  }
}
