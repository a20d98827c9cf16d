package dev.cairn.sampler.assembly;

import dev.cairn.model.TraceId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The undecided traces of one partition, in two orders: by first arrival (which, within a
 * partition, is offset order, so the head holds the safe commit offset and is the oldest trace)
 * and, for traces whose root arrived, by last arrival (the head is the one quiet the longest). Both
 * make every step O(1) per record or per decided trace.
 */
final class PartitionBuffer {

  private final int partition;
  private final LinkedHashMap<TraceId, BufferedTrace> byFirstArrival = new LinkedHashMap<>();
  private final LinkedHashMap<TraceId, BufferedTrace> rootedByLastArrival =
      new LinkedHashMap<>(16, 0.75f, true);
  private long position;

  PartitionBuffer(int partition, long startOffset) {
    this.partition = partition;
    this.position = startOffset;
  }

  BufferedTrace get(TraceId traceId) {
    return byFirstArrival.get(traceId);
  }

  BufferedTrace open(TraceId traceId, long offset, long now) {
    BufferedTrace trace = new BufferedTrace(traceId, partition, offset, now);
    byFirstArrival.put(traceId, trace);
    return trace;
  }

  /** After a record was added: moves the trace to the tail of the quiet order once rooted. */
  void touched(BufferedTrace trace) {
    if (trace.rootSeen()) {
      if (rootedByLastArrival.get(trace.traceId()) == null) {
        rootedByLastArrival.put(trace.traceId(), trace);
      }
    }
  }

  void remove(BufferedTrace trace) {
    byFirstArrival.remove(trace.traceId());
    rootedByLastArrival.remove(trace.traceId());
  }

  /** Consumed a record at {@code offset}, whatever became of it. */
  void consumed(long offset) {
    position = Math.max(position, offset + 1);
  }

  /** Next offset to consume: one past the last record seen (or the start offset). */
  long position() {
    return position;
  }

  /**
   * The offset a commit may go up to: the first record of the oldest undecided trace, or the
   * position when nothing is undecided. Replaying from it rebuilds every undecided trace whole.
   */
  long safeOffset() {
    BufferedTrace oldest = oldest();
    return oldest == null ? position : oldest.firstOffset();
  }

  BufferedTrace oldest() {
    Iterator<BufferedTrace> it = byFirstArrival.values().iterator();
    return it.hasNext() ? it.next() : null;
  }

  /** Removes and returns the traces complete by {@code now}, with why. */
  void takeDue(long now, long waitNanos, long maxAgeNanos, List<Completion> out) {
    for (Iterator<BufferedTrace> it = rootedByLastArrival.values().iterator(); it.hasNext(); ) {
      BufferedTrace trace = it.next();
      if (now - trace.lastArrival() < waitNanos) {
        break;
      }
      it.remove();
      byFirstArrival.remove(trace.traceId());
      out.add(new Completion(trace, CompletionCause.QUIET));
    }
    for (Iterator<BufferedTrace> it = byFirstArrival.values().iterator(); it.hasNext(); ) {
      BufferedTrace trace = it.next();
      if (now - trace.firstArrival() < maxAgeNanos) {
        break;
      }
      it.remove();
      rootedByLastArrival.remove(trace.traceId());
      out.add(new Completion(trace, CompletionCause.MAX_AGE));
    }
  }

  /** Every undecided trace, removed (the partition was revoked). */
  List<BufferedTrace> clear() {
    List<BufferedTrace> all = new ArrayList<>(byFirstArrival.values());
    byFirstArrival.clear();
    rootedByLastArrival.clear();
    return all;
  }

  int size() {
    return byFirstArrival.size();
  }
}
