package dev.cairn.query.trace;

import static dev.cairn.query.trace.Spans.MS;
import static dev.cairn.query.trace.Spans.analyze;
import static dev.cairn.query.trace.Spans.child;
import static dev.cairn.query.trace.Spans.id;
import static dev.cairn.query.trace.Spans.read;
import static dev.cairn.query.trace.Spans.root;
import static dev.cairn.query.trace.Spans.span;
import static dev.cairn.query.trace.Spans.view;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.SpanKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CriticalPathTest {

  private static CriticalPathSection section(int span, long fromMs, long toMs) {
    return new CriticalPathSection(id(span), fromMs * MS, toMs * MS);
  }

  @Test
  void sequentialChildrenAreBothOnThePathWithTheParentsGapsBetweenThem() {
    TraceView trace =
        analyze(read(root(1, "a", 0, 100), child(2, 1, "a", 10, 40), child(3, 1, "a", 50, 90)));

    assertThat(trace.criticalPath())
        .containsExactly(
            section(1, 0, 10),
            section(2, 10, 40),
            section(1, 40, 50),
            section(3, 50, 90),
            section(1, 90, 100));
    assertThat(view(trace, 1).criticalPathSelfNanos()).isEqualTo(30 * MS);
    assertThat(view(trace, 2).criticalPathSelfNanos()).isEqualTo(30 * MS);
    assertThat(view(trace, 3).criticalPathSelfNanos()).isEqualTo(40 * MS);
    long total = trace.criticalPath().stream().mapToLong(CriticalPathSection::durationNanos).sum();
    assertThat(total).as("the path covers the root exactly").isEqualTo(100 * MS);
  }

  @Test
  void ofParallelChildrenOnlyTheLastToFinishIsOnThePath() {
    TraceView trace =
        analyze(read(root(1, "a", 0, 100), child(2, 1, "a", 10, 90), child(3, 1, "a", 10, 50)));

    assertThat(trace.criticalPath())
        .containsExactly(section(1, 0, 10), section(2, 10, 90), section(1, 90, 100));
    assertThat(view(trace, 3).onCriticalPath()).isFalse();
    assertThat(view(trace, 3).criticalPathSelfNanos()).isZero();
    assertThat(view(trace, 2).onCriticalPath()).isTrue();
  }

  @Test
  void anOverlappingChildThatEndedAfterTheLaterOneStartedIsNotOnThePath() {
    // 2 ends at 60, after 3 started at 40: the parent was already waiting on 3.
    TraceView trace =
        analyze(read(root(1, "a", 0, 100), child(2, 1, "a", 10, 60), child(3, 1, "a", 40, 90)));

    assertThat(trace.criticalPath())
        .containsExactly(section(1, 0, 40), section(3, 40, 90), section(1, 90, 100));
    assertThat(view(trace, 2).onCriticalPath()).isFalse();
  }

  @Test
  void nestedChildrenPassThePathDown() {
    TraceView trace =
        analyze(read(root(1, "a", 0, 100), child(2, 1, "a", 10, 90), child(3, 2, "a", 20, 80)));

    assertThat(trace.criticalPath())
        .containsExactly(
            section(1, 0, 10),
            section(2, 10, 20),
            section(3, 20, 80),
            section(2, 80, 90),
            section(1, 90, 100));
  }

  @Test
  void aChildOutlivingItsParentCountsOnlyWhileTheParentWaited() {
    // Same host: no skew adjustment; the child runs on after the parent returned.
    TraceView trace = analyze(read(root(1, "a", 0, 100), child(2, 1, "a", 50, 150)));

    assertThat(trace.criticalPath()).containsExactly(section(1, 0, 50), section(2, 50, 100));
    assertThat(view(trace, 2).criticalPathSelfNanos()).isEqualTo(50 * MS);
  }

  @Test
  void aChildWhollyOutsideItsParentIsNotOnThePath() {
    TraceView trace = analyze(read(root(1, "a", 0, 100), child(2, 1, "a", 120, 150)));

    assertThat(trace.criticalPath()).containsExactly(section(1, 0, 100));
    assertThat(view(trace, 2).onCriticalPath()).isFalse();
  }

  @Test
  void anAsyncConsumerIsNotOnItsProducersPath() {
    TraceView trace =
        analyze(
            read(
                root(1, "a", 0, 100),
                span(2, 1, "a", SpanKind.PRODUCER, 10, 20),
                span(3, 2, "a", SpanKind.CONSUMER, 15, 18)));

    assertThat(trace.criticalPath())
        .containsExactly(section(1, 0, 10), section(2, 10, 20), section(1, 20, 100));
    assertThat(view(trace, 3).onCriticalPath()).isFalse();
  }

  @Test
  void zeroLengthChildrenEndingTogetherTerminate() {
    TraceView trace =
        analyze(read(root(1, "a", 0, 100), child(2, 1, "a", 50, 50), child(3, 1, "a", 50, 50)));

    assertThat(trace.criticalPath()).containsExactly(section(1, 0, 50), section(1, 50, 100));
    assertThat(view(trace, 2).onCriticalPath()).isTrue();
    assertThat(view(trace, 3).onCriticalPath()).isTrue();
  }

  @Test
  void theCriticalPathIsComputedOnAdjustedTimes() {
    // Child on host b, 50 ms behind: raw 70..130 lies before the parent's 100..200 in part.
    TraceView trace = analyze(read(root(1, "a", 100, 200), child(2, 1, "b", 70, 130)));

    assertThat(trace.criticalPath())
        .containsExactly(section(1, 100, 120), section(2, 120, 180), section(1, 180, 200));
  }

  @Test
  void aFiftyThousandSpanChainNeedsNoDeepStack() {
    List<Span> chain = new ArrayList<>();
    int n = 50_000;
    chain.add(root(1, "a", 0, 2L * n));
    for (int i = 2; i <= n; i++) {
      chain.add(child(i, i - 1, "a", i, 2L * n - i));
    }
    TraceView trace = analyze(read(chain.toArray(Span[]::new)));

    assertThat(trace.spans()).hasSize(n);
    assertThat(trace.spans().get(n - 1).depth()).isEqualTo(n - 1);
    assertThat(trace.spans()).allMatch(SpanView::onCriticalPath);
    long total = trace.criticalPath().stream().mapToLong(CriticalPathSection::durationNanos).sum();
    assertThat(total).isEqualTo(2L * n * MS);
  }
}
