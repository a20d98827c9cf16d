package dev.cairn.query.trace;

import static dev.cairn.query.trace.Spans.MS;
import static dev.cairn.query.trace.Spans.TRACE;
import static dev.cairn.query.trace.Spans.analyze;
import static dev.cairn.query.trace.Spans.child;
import static dev.cairn.query.trace.Spans.read;
import static dev.cairn.query.trace.Spans.root;
import static dev.cairn.query.trace.Spans.span;
import static dev.cairn.query.trace.Spans.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.SpanKind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClockSkewAdjusterTest {

  @Test
  void childOnAnotherHostStartingBeforeItsParentIsShiftedInWithLatencySplitEvenly() {
    // Parent 100..200 on host a; child of 60 ms on host b whose clock runs 50 ms behind.
    TraceView trace = analyze(read(root(1, "a", 100, 200), child(2, 1, "b", 70, 130)));

    SpanView child = view(trace, 2);
    // (100 - 60) / 2 = 20 ms each side: 120..180.
    assertThat(child.adjustedStartTimeUnixNano()).isEqualTo(120 * MS);
    assertThat(child.adjustedEndTimeUnixNano()).isEqualTo(180 * MS);
    assertThat(child.clockSkew().appliedNanos()).isEqualTo(50 * MS);
    assertThat(child.clockSkew().reason()).isEqualTo(ClockSkew.Reason.SHIFTED_INTO_PARENT);
    assertThat(child.startTimeUnixNano()).as("raw kept").isEqualTo(70 * MS);
    assertThat(child.span().events().get(0).timeUnixNano()).isEqualTo(70 * MS);
    assertThat(view(trace, 1).clockSkew()).isEqualTo(ClockSkew.NONE);
  }

  @Test
  void childEndingAfterItsParentIsShiftedBack() {
    TraceView trace = analyze(read(root(1, "a", 100, 200), child(2, 1, "b", 180, 240)));

    SpanView child = view(trace, 2);
    assertThat(child.adjustedStartTimeUnixNano()).isEqualTo(120 * MS);
    assertThat(child.clockSkew().appliedNanos()).isEqualTo(-60 * MS);
  }

  @Test
  void childLongerThanItsParentIsOnlyKeptFromStartingBeforeIt() {
    // 150 ms child under a 100 ms parent: async or the parent timed out.
    TraceView trace = analyze(read(root(1, "a", 100, 200), child(2, 1, "b", 90, 240)));

    SpanView child = view(trace, 2);
    assertThat(child.adjustedStartTimeUnixNano()).isEqualTo(100 * MS);
    assertThat(child.adjustedEndTimeUnixNano()).isEqualTo(250 * MS);
    assertThat(child.clockSkew().reason()).isEqualTo(ClockSkew.Reason.SHIFTED_INTO_PARENT);

    TraceView late = analyze(read(root(1, "a", 100, 200), child(2, 1, "b", 120, 270)));
    assertThat(view(late, 2).clockSkew()).isEqualTo(ClockSkew.NONE);
  }

  @Test
  void aShiftOverTheMaximumIsNotAppliedButFlagged() {
    // Child clock 5 s behind.
    TraceView trace = analyze(read(root(1, "a", 10_000, 10_100), child(2, 1, "b", 5_020, 5_080)));

    SpanView child = view(trace, 2);
    assertThat(child.clockSkew().appliedNanos()).isZero();
    assertThat(child.clockSkew().computedNanos()).isEqualTo(5_000 * MS);
    assertThat(child.clockSkew().reason()).isEqualTo(ClockSkew.Reason.EXCEEDS_MAX_ADJUSTMENT);
    assertThat(child.adjustedStartTimeUnixNano()).isEqualTo(child.startTimeUnixNano());
  }

  @Test
  void aZeroMaximumDisablesAdjustment() {
    TraceView trace =
        new TraceAnalyzer(new ClockSkewAdjuster(Duration.ZERO))
            .analyze(TRACE, read(root(1, "a", 100, 200), child(2, 1, "b", 70, 130)), true);

    assertThat(view(trace, 2).clockSkew().reason())
        .isEqualTo(ClockSkew.Reason.EXCEEDS_MAX_ADJUSTMENT);
    assertThat(view(trace, 2).adjustedStartTimeUnixNano()).isEqualTo(70 * MS);
  }

  @Test
  void aNegativeMaximumIsRefused() {
    assertThatThrownBy(() -> new ClockSkewAdjuster(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max-adjustment");
  }

  @Test
  void followsFromConsumerIsNeverSqueezedIntoItsProducer() {
    // The producer returns at 110; one consumer on host b seems to start before it was sent (b's
    // clock is behind), another runs long after the producer returned.
    TraceView trace =
        analyze(
            read(
                root(1, "a", 100, 200),
                span(2, 1, "a", SpanKind.PRODUCER, 100, 110),
                span(3, 2, "b", SpanKind.CONSUMER, 90, 95),
                span(4, 2, "b", SpanKind.CONSUMER, 150, 400)));

    SpanView early = view(trace, 3);
    assertThat(early.parentRelation()).isEqualTo(ParentRelation.FOLLOWS_FROM);
    assertThat(early.clockSkew().appliedNanos()).isZero();
    assertThat(early.clockSkew().computedNanos()).isEqualTo(12_500_000L);
    assertThat(early.clockSkew().reason()).isEqualTo(ClockSkew.Reason.ASYNC_NOT_ADJUSTED);
    assertThat(early.adjustedStartTimeUnixNano()).isEqualTo(90 * MS);
    SpanView late = view(trace, 4);
    assertThat(late.parentRelation()).isEqualTo(ParentRelation.FOLLOWS_FROM);
    assertThat(late.adjustedStartTimeUnixNano()).isEqualTo(150 * MS);
  }

  @Test
  void childOnTheSameHostIsNotAdjusted() {
    TraceView trace = analyze(read(root(1, "a", 100, 200), child(2, 1, "a", 70, 130)));

    assertThat(view(trace, 2).clockSkew()).isEqualTo(ClockSkew.NONE);
    assertThat(view(trace, 2).adjustedStartTimeUnixNano()).isEqualTo(70 * MS);
  }

  @Test
  void hostIdWinsOverHostName() {
    assertThat(HostKey.of(span(1, 0, "a", SpanKind.SERVER, 0, 1).resource()))
        .isEqualTo("host.name=a");
    assertThat(HostKey.of(span(1, 0, "", SpanKind.SERVER, 0, 1).resource())).isEmpty();
    assertThat(
            HostKey.of(
                new dev.cairn.model.Resource(
                    java.util.List.of(
                        dev.cairn.model.Attribute.of("service.instance.id", "i-1"),
                        dev.cairn.model.Attribute.of("host.name", "n"),
                        dev.cairn.model.Attribute.of("host.id", "h")),
                    0,
                    "")))
        .isEqualTo("host.id=h");
  }

  @Test
  void theShiftPropagatesToTheSameHostSubtreeAndAnotherHostIsComparedAfresh() {
    // b is 50 ms behind a; c's clock is right.
    TraceView trace =
        analyze(
            read(
                root(1, "a", 100, 200),
                child(2, 1, "b", 70, 130),
                child(3, 2, "b", 80, 120),
                child(4, 3, "c", 135, 165)));

    assertThat(view(trace, 3).clockSkew().reason()).isEqualTo(ClockSkew.Reason.SHIFTED_WITH_PARENT);
    assertThat(view(trace, 3).adjustedStartTimeUnixNano()).isEqualTo(130 * MS);
    // c fits in its parent's adjusted 130..170: not shifted.
    assertThat(view(trace, 4).clockSkew()).isEqualTo(ClockSkew.NONE);
  }

  @Test
  void theRawViewAdjustsNothing() {
    TraceView trace =
        new TraceAnalyzer(new ClockSkewAdjuster(Duration.ofSeconds(1)))
            .analyze(TRACE, read(root(1, "a", 100, 200), child(2, 1, "b", 70, 130)), false);

    assertThat(trace.clockSkewAdjusted()).isFalse();
    assertThat(view(trace, 2).clockSkew()).isEqualTo(ClockSkew.NONE);
    assertThat(view(trace, 2).adjustedStartTimeUnixNano()).isEqualTo(70 * MS);
  }
}
