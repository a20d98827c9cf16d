package dev.cairn.sampler.ledger;

import dev.cairn.model.TraceId;
import dev.cairn.sampler.SamplingDecision;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What one partition's commits must carry so that replaying from the committed offset neither
 * decides a trace twice nor loses a record, though traces are decided out of offset order.
 *
 * <p>The committed offset is the first record of the oldest undecided trace ({@code
 * TraceAssembler.safeOffset}); records after it belong to undecided traces (replayed and assembled
 * again: right) and to traces already decided and published (replayed they would be decided again
 * from a fragment, possibly otherwise, and published or observed twice). So each commit logs, in
 * the same transaction, the traces it handled with their decisions and the position they were
 * handled up to ({@link DecisionLogRecord}), and the committed metadata points at the oldest log
 * entry still needed: one whose position is past the committed offset. The next owner reads the log
 * from there and skips a record of a logged trace below that trace's position; later records of it
 * are late spans and follow its decision.
 */
public final class PartitionLedger {

  /** A decision log record of this partition: where it is, the position it covers, and when. */
  private record Mark(long logOffset, long upTo, long loggedAt) {}

  /** A decision an earlier owner took, and the position up to which it handled the trace. */
  public record Inherited(SamplingDecision decision, long upTo) {}

  private final long lateWindowNanos;
  private final ArrayDeque<Mark> marks = new ArrayDeque<>();
  private final Map<TraceId, Inherited> inherited = new HashMap<>();
  private final LinkedHashMap<TraceId, SamplingDecision> pending = new LinkedHashMap<>();
  private long inheritedEnd;

  /**
   * @param lateWindow how long a logged decision stays where the next owner reads (see above)
   */
  public PartitionLedger(Duration lateWindow) {
    this.lateWindowNanos = lateWindow.toNanos();
  }

  /**
   * A decision log record a previous owner wrote, at {@code logOffset}, read at assignment (in log
   * order), the partition starting at {@code startOffset}.
   */
  public void inherit(long logOffset, DecisionLogRecord record, long startOffset, long now) {
    marks.addLast(new Mark(logOffset, record.upTo(), now));
    if (record.upTo() <= startOffset) {
      return; // nothing it covers is replayed: its decisions only serve late spans (cache)
    }
    record
        .decisions()
        .forEach(
            (traceId, decision) ->
                inherited.merge(
                    traceId,
                    new Inherited(decision, record.upTo()),
                    (old, later) -> later.upTo() >= old.upTo() ? later : old));
    inheritedEnd = Math.max(inheritedEnd, record.upTo());
  }

  /**
   * The decision an earlier owner took for the trace, if it is in the log read at assignment: a
   * record of the trace below {@link Inherited#upTo()} was handled by that owner (skip it), a later
   * one follows the decision.
   */
  public Inherited inherited(TraceId traceId) {
    return inherited.isEmpty() ? null : inherited.get(traceId);
  }

  /** Records of the trace were handled (decided, or late) since the last commit. */
  public void note(TraceId traceId, SamplingDecision decision) {
    pending.put(traceId, decision);
  }

  /**
   * At a commit: the record logging what was handled since the last one, up to {@code position}, or
   * empty if nothing was. {@code logOffsetAtMost} must not exceed the offset the record gets in the
   * log (e.g. the log's end before it is sent).
   */
  public Optional<DecisionLogRecord> drainPending(
      String topic, int partition, long position, long logOffsetAtMost, long now) {
    if (position >= inheritedEnd) {
      inherited.clear(); // every skip range is behind; the decision cache keeps the decisions
    }
    if (pending.isEmpty()) {
      return Optional.empty();
    }
    DecisionLogRecord record = new DecisionLogRecord(topic, partition, position, pending);
    pending.clear();
    marks.addLast(new Mark(logOffsetAtMost, position, now));
    return Optional.of(record);
  }

  /**
   * Where the next owner must start reading the log if the partition is committed at {@code
   * safeOffset}; empty when no logged record lies at or after it and none is younger than the late
   * window. Forgets the marks before that.
   */
  public OptionalLong pointer(long safeOffset, long now) {
    while (!marks.isEmpty()
        && marks.peekFirst().upTo() <= safeOffset
        && now - marks.peekFirst().loggedAt() >= lateWindowNanos) {
      marks.pollFirst();
    }
    return marks.isEmpty() ? OptionalLong.empty() : OptionalLong.of(marks.peekFirst().logOffset());
  }
}
