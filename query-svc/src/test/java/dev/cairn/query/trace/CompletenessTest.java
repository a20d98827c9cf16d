package dev.cairn.query.trace;

import static dev.cairn.query.trace.Spans.analyze;
import static dev.cairn.query.trace.Spans.child;
import static dev.cairn.query.trace.Spans.id;
import static dev.cairn.query.trace.Spans.read;
import static dev.cairn.query.trace.Spans.root;
import static dev.cairn.query.trace.Spans.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.store.TraceSpans;
import org.junit.jupiter.api.Test;

class CompletenessTest {

  @Test
  void aWholeTraceIsComplete() {
    TraceView trace = analyze(read(root(1, "a", 0, 100), child(2, 1, "a", 10, 20)));

    assertThat(trace.completeness().rootFound()).isTrue();
    assertThat(trace.completeness().missingParentSpanIds()).isEmpty();
    assertThat(trace.completeness().complete()).isTrue();
    assertThat(view(trace, 2).parentRelation()).isEqualTo(ParentRelation.CHILD_OF);
    assertThat(trace.parent(view(trace, 2))).contains(view(trace, 1));
    assertThat(trace.children(view(trace, 1))).containsExactly(view(trace, 2));
  }

  @Test
  void missingParentsAreNamedAndTheirChildrenHeadSubtrees() {
    // Root 1 and span 3 arrived; 2 (parent of 3 and 4) and 9 (parent of 5) did not.
    TraceView trace =
        analyze(
            read(
                root(1, "a", 0, 100),
                child(3, 2, "a", 20, 30),
                child(4, 2, "a", 40, 50),
                child(5, 9, "a", 60, 70)));

    assertThat(trace.completeness().rootFound()).isTrue();
    assertThat(trace.completeness().missingParentSpanIds()).containsExactly(id(2), id(9));
    assertThat(trace.completeness().complete()).isFalse();
    assertThat(view(trace, 3).parentRelation()).isEqualTo(ParentRelation.PARENT_MISSING);
    assertThat(view(trace, 3).depth()).isZero();
    assertThat(trace.parent(view(trace, 3))).isEmpty();
  }

  @Test
  void aTraceWithoutItsRootSaysSo() {
    TraceView trace = analyze(read(child(2, 1, "a", 10, 20), child(3, 2, "a", 12, 18)));

    assertThat(trace.completeness().rootFound()).isFalse();
    assertThat(trace.completeness().missingParentSpanIds()).containsExactly(id(1));
    assertThat(view(trace, 3).depth()).isEqualTo(1);
  }

  @Test
  void lateSpansAndTruncationComeFromTheStore() {
    TraceSpans stored = read(root(1, "a", 0, 100), child(2, 1, "a", 10, 20));
    TraceView trace = analyze(new TraceSpans(stored.spans(), true, 7, 3));

    assertThat(trace.completeness().lateSpanCount()).isEqualTo(3);
    assertThat(trace.completeness().complete()).isFalse();
    assertThat(trace.truncated()).isTrue();
    assertThat(trace.storedSpanCount()).isEqualTo(7);
  }

  @Test
  void aParentCycleIsCutSoThatNoSpanIsLost() {
    // 2 and 3 name each other as parent; 4 names itself.
    TraceView trace =
        analyze(
            read(
                root(1, "a", 0, 100),
                child(2, 3, "a", 10, 20),
                child(3, 2, "a", 12, 18),
                child(4, 4, "a", 30, 40)));

    assertThat(trace.spans()).hasSize(4);
    assertThat(trace.spans().stream().map(SpanView::parentRelation))
        .filteredOn(r -> r == ParentRelation.PARENT_CYCLE)
        .hasSize(2);
    assertThat(view(trace, 4).parentRelation()).isEqualTo(ParentRelation.PARENT_CYCLE);
  }

  @Test
  void spansComeInTreeOrderWithSiblingsByAdjustedStart() {
    TraceView trace =
        analyze(
            read(
                root(1, "a", 0, 100),
                child(2, 1, "a", 50, 60),
                child(3, 1, "a", 10, 40),
                child(4, 3, "a", 20, 30)));

    assertThat(trace.spans().stream().map(SpanView::spanId))
        .containsExactly(id(1), id(3), id(4), id(2));
    assertThat(view(trace, 1).childSpanIds()).containsExactly(id(3), id(2));
    assertThat(trace.startTimeUnixNano()).isZero();
    assertThat(trace.durationNanos()).isEqualTo(100 * Spans.MS);
  }

  @Test
  void anEmptyReadIsRefused() {
    assertThatThrownBy(() -> analyze(TraceSpans.ABSENT))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
