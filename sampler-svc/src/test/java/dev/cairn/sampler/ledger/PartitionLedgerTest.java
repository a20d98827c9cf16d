package dev.cairn.sampler.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.TraceId;
import dev.cairn.sampler.SamplingDecision;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Which decision log entries a commit must point at, and what an inheritor skips. */
class PartitionLedgerTest {

  private static final SamplingDecision KEPT = SamplingDecision.sampled("base_rate", 1.0);
  private static final TraceId A = new TraceId(0, 1);
  private static final TraceId B = new TraceId(0, 2);

  /** Past the late window of every mark. */
  private static final long LATER = Duration.ofSeconds(10).toNanos();

  @Test
  void aCommitPointsAtTheOldestEntryWhosePositionIsPastTheCommittedOffset() {
    PartitionLedger ledger = new PartitionLedger(Duration.ofSeconds(10));
    assertThat(ledger.drainPending("t", 0, 10, 100, 0)).as("nothing handled").isEmpty();
    assertThat(ledger.pointer(10, LATER)).isEmpty();

    ledger.note(A, KEPT);
    DecisionLogRecord first = ledger.drainPending("t", 0, 20, 100, 0).orElseThrow();
    assertThat(first.decisions()).containsOnlyKeys(A);
    assertThat(first.upTo()).isEqualTo(20);
    // an undecided trace starts at 15: records up to 20 will be replayed, A's among them
    assertThat(ledger.pointer(15, LATER)).isEqualTo(OptionalLong.of(100));

    ledger.note(B, KEPT);
    ledger.drainPending("t", 0, 30, 101, 0).orElseThrow();
    assertThat(ledger.pointer(15, LATER)).isEqualTo(OptionalLong.of(100));
    assertThat(ledger.pointer(20, LATER))
        .as("the first entry covers nothing replayed")
        .isEqualTo(OptionalLong.of(101));
    assertThat(ledger.pointer(30, LATER)).isEmpty();
  }

  @Test
  void decisionsStayReadableForTheLateWindowEvenWhenNothingIsReplayed() {
    PartitionLedger ledger = new PartitionLedger(Duration.ofSeconds(10));
    ledger.note(A, KEPT);
    ledger.drainPending("t", 0, 20, 100, 0);

    assertThat(ledger.pointer(20, LATER - 1)).isEqualTo(OptionalLong.of(100));
    assertThat(ledger.pointer(20, LATER)).isEmpty();
  }

  @Test
  void entriesCoveringNothingReplayedOnlyInformLateSpans() {
    PartitionLedger ledger = new PartitionLedger(Duration.ofSeconds(10));
    ledger.inherit(3, new DecisionLogRecord("t", 0, 30, Map.of(A, KEPT)), 30, 0);

    assertThat(ledger.inherited(A)).isNull();
    assertThat(ledger.pointer(30, 0)).isEqualTo(OptionalLong.of(3));
  }

  @Test
  void anInheritorSkipsWhatWasHandledAndFollowsTheDecisionAfter() {
    PartitionLedger ledger = new PartitionLedger(Duration.ofSeconds(10));
    ledger.inherit(7, new DecisionLogRecord("t", 0, 50, Map.of(A, KEPT)), 40, 0);

    assertThat(ledger.inherited(A)).isEqualTo(new PartitionLedger.Inherited(KEPT, 50));
    assertThat(ledger.inherited(B)).isNull();
    assertThat(ledger.pointer(40, LATER))
        .as("still needed by whoever comes next")
        .isEqualTo(OptionalLong.of(7));

    ledger.drainPending("t", 50, 50, 9, 0);
    assertThat(ledger.inherited(A)).as("past every inherited range").isNull();
  }
}
