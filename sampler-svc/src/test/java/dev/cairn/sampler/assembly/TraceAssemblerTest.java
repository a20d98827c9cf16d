package dev.cairn.sampler.assembly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.TraceId;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Completion rules, buffer bounds and the safe commit offset, with time moved by hand. */
class TraceAssemblerTest {

  private static final long WAIT = Duration.ofSeconds(10).toNanos();
  private static final long MAX_AGE = Duration.ofSeconds(60).toNanos();
  private static final WireScan.Result CHILD = new WireScan.Result(1, false);
  private static final WireScan.Result ROOT = new WireScan.Result(1, true);
  private static final byte[] VALUE = new byte[100];

  private final TraceAssembler assembler =
      new TraceAssembler(
          new AssemblyLimits(
              Duration.ofNanos(WAIT), Duration.ofNanos(MAX_AGE), 1_000, 1_000_000, 100, 1_000_000));

  private static TraceId id(int n) {
    return new TraceId(1, n);
  }

  private List<Completion> add(
      int partition, long offset, int trace, WireScan.Result scan, long now) {
    return assembler.add(partition, offset, id(trace), VALUE, scan, null, now);
  }

  @Test
  void aTraceIsCompleteWhenNoSpanFollowedItsRootForTheDecisionWait() {
    assembler.assign(0, 0);
    add(0, 0, 1, CHILD, 0);
    assertThat(assembler.due(WAIT)).as("no root yet").isEmpty();

    add(0, 1, 1, ROOT, WAIT);
    assertThat(assembler.due(2 * WAIT - 1)).isEmpty();
    List<Completion> due = assembler.due(2 * WAIT);

    assertThat(due)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.trace().traceId()).isEqualTo(id(1));
              assertThat(c.cause()).isEqualTo(CompletionCause.QUIET);
              assertThat(c.trace().values()).hasSize(2);
              assertThat(c.trace().spans()).isEqualTo(2);
            });
    assertThat(assembler.bufferedTraces()).isZero();
    assertThat(assembler.bufferedSpans()).isZero();
    assertThat(assembler.bufferedBytes()).isZero();
  }

  @Test
  void eachNewSpanAfterTheRootPushesTheDecisionBack() {
    assembler.assign(0, 0);
    add(0, 0, 1, ROOT, 0);
    add(0, 1, 1, CHILD, WAIT - 1);

    assertThat(assembler.due(WAIT)).isEmpty();
    assertThat(assembler.due(2 * WAIT - 1))
        .singleElement()
        .extracting(Completion::cause)
        .isEqualTo(CompletionCause.QUIET);
  }

  @Test
  void aTraceWithoutRootOrThatNeverGoesQuietIsDecidedAtItsMaximumAge() {
    assembler.assign(0, 0);
    add(0, 0, 1, CHILD, 0); // its root never arrives
    add(0, 1, 2, ROOT, 0);
    for (long t = WAIT / 2; t < MAX_AGE; t += WAIT / 2) {
      add(0, 2 + t, 2, CHILD, t); // never quiet for a decision wait
      assertThat(assembler.due(t)).isEmpty();
    }
    List<Completion> due = assembler.due(MAX_AGE);

    assertThat(due).extracting(c -> c.trace().traceId()).containsExactly(id(1), id(2));
    assertThat(due).extracting(Completion::cause).containsOnly(CompletionCause.MAX_AGE);
  }

  @Test
  void aFullBufferDecidesTheOldestTracesEarlyWhicheverPartitionTheyAreIn() {
    TraceAssembler small =
        new TraceAssembler(
            new AssemblyLimits(
                Duration.ofNanos(WAIT), Duration.ofNanos(MAX_AGE), 4, 1_000_000, 100, 1_000_000));
    small.assign(0, 0);
    small.assign(1, 0);
    small.add(1, 0, id(1), VALUE, CHILD, null, 1);
    small.add(0, 0, id(2), VALUE, CHILD, null, 2);
    small.add(0, 1, id(2), VALUE, CHILD, null, 3);
    assertThat(small.add(1, 1, id(3), VALUE, CHILD, null, 4)).isEmpty();

    List<Completion> early = small.add(0, 2, id(4), VALUE, CHILD, null, 5);

    assertThat(early)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.trace().traceId()).isEqualTo(id(1));
              assertThat(c.cause()).isEqualTo(CompletionCause.BUFFER_FULL);
            });
    assertThat(small.bufferedSpans()).isEqualTo(4);
    assertThat(small.safeOffset(1)).as("partition 1 now starts at trace 3").isEqualTo(1);
  }

  @Test
  void theByteBoundDecidesEarlyToo() {
    TraceAssembler small =
        new TraceAssembler(
            new AssemblyLimits(
                Duration.ofNanos(WAIT), Duration.ofNanos(MAX_AGE), 1_000, 250, 100, 1_000_000));
    small.assign(0, 0);
    small.add(0, 0, id(1), VALUE, CHILD, null, 1);
    small.add(0, 1, id(2), VALUE, CHILD, null, 2);

    assertThat(small.add(0, 2, id(3), VALUE, CHILD, null, 3))
        .extracting(c -> c.trace().traceId())
        .containsExactly(id(1));
    assertThat(small.bufferedBytes()).isEqualTo(200);
  }

  @Test
  void aHugeTraceIsDecidedAtItsOwnBoundAndLeavesTheOthersBuffered() {
    assembler.assign(0, 0);
    add(0, 0, 7, ROOT, 0);
    for (int i = 1; i < 99; i++) {
      assertThat(add(0, i, 1, CHILD, i)).isEmpty();
    }
    List<Completion> early = add(0, 99, 1, new WireScan.Result(2, false), 99);

    assertThat(early)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.trace().traceId()).isEqualTo(id(1));
              assertThat(c.cause()).isEqualTo(CompletionCause.TRACE_LIMIT);
              assertThat(c.trace().spans()).isEqualTo(100);
            });
    assertThat(assembler.bufferedTraces()).isEqualTo(1);
    assertThat(assembler.safeOffset(0)).isZero();
  }

  @Test
  void theSafeOffsetIsTheFirstRecordOfTheOldestUndecidedTraceElseThePosition() {
    assembler.assign(0, 40);
    assertThat(assembler.safeOffset(0)).as("nothing consumed yet").isEqualTo(40);
    add(0, 40, 1, CHILD, 0);
    add(0, 41, 2, ROOT, 0);
    add(0, 42, 1, CHILD, 0);
    assembler.consumed(0, 43); // e.g. a late span of a decided trace
    assertThat(assembler.safeOffset(0)).isEqualTo(40);

    assembler.due(WAIT); // trace 2 is quiet; trace 1 (no root) is not
    assertThat(assembler.safeOffset(0)).isEqualTo(40);

    add(0, 44, 1, ROOT, WAIT);
    assertThat(assembler.due(2 * WAIT)).extracting(c -> c.trace().traceId()).containsExactly(id(1));
    assertThat(assembler.safeOffset(0)).as("all decided: the position").isEqualTo(45);
    assertThat(assembler.position(0)).isEqualTo(45);
  }

  @Test
  void revokingAPartitionDropsItsUndecidedTracesOnly() {
    assembler.assign(0, 0);
    assembler.assign(1, 0);
    add(0, 0, 1, CHILD, 0);
    add(1, 0, 2, CHILD, 0);

    assertThat(assembler.revoke(0)).extracting(BufferedTrace::traceId).containsExactly(id(1));
    assertThat(assembler.isAssigned(0)).isFalse();
    assertThat(assembler.bufferedTraces()).isEqualTo(1);
    assertThat(assembler.due(MAX_AGE)).extracting(c -> c.trace().traceId()).containsExactly(id(2));
  }
}
