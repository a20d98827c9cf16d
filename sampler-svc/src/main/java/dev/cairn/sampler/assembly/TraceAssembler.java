package dev.cairn.sampler.assembly;

import dev.cairn.model.TraceId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Buffers the records of undecided traces per partition until each trace is complete (see {@link
 * AssemblyLimits}) and keeps the buffer bounded: a trace at its own bound, or the oldest traces
 * when the whole buffer is full, are handed out early. Knows, per partition, the offset a commit
 * may safely go up to. Pure and single-threaded (the sampling thread's); time comes in as {@code
 * now} in nanoseconds of a monotonic clock.
 */
public final class TraceAssembler {

  private final AssemblyLimits limits;
  private final long waitNanos;
  private final long maxAgeNanos;
  private final Map<Integer, PartitionBuffer> partitions = new HashMap<>();
  private long bufferedSpans;
  private long bufferedBytes;
  private long bufferedTraces;

  public TraceAssembler(AssemblyLimits limits) {
    this.limits = limits;
    this.waitNanos = limits.decisionWait().toNanos();
    this.maxAgeNanos = limits.maxTraceAge().toNanos();
  }

  /** Starts assembling a partition whose next record is at {@code startOffset}. */
  public void assign(int partition, long startOffset) {
    partitions.put(partition, new PartitionBuffer(partition, startOffset));
  }

  /** Forgets a partition; returns its undecided traces, dropped (a new owner replays them). */
  public List<BufferedTrace> revoke(int partition) {
    PartitionBuffer buffer = partitions.remove(partition);
    if (buffer == null) {
      return List.of();
    }
    List<BufferedTrace> dropped = buffer.clear();
    dropped.forEach(this::forget);
    return dropped;
  }

  public boolean isAssigned(int partition) {
    return partitions.containsKey(partition);
  }

  /** A record of the partition that was handled without buffering (late, refused, replayed). */
  public void consumed(int partition, long offset) {
    buffer(partition).consumed(offset);
  }

  /**
   * Buffers a record of an undecided trace. Returns the traces to decide now: this one if it
   * reached its own bound, and the oldest ones (of any partition) while the buffer is over its
   * bounds; usually none.
   */
  public List<Completion> add(
      int partition,
      long offset,
      TraceId traceId,
      byte[] value,
      WireScan.Result scan,
      Object attachment,
      long now) {
    PartitionBuffer buffer = buffer(partition);
    buffer.consumed(offset);
    BufferedTrace trace = buffer.get(traceId);
    if (trace == null) {
      trace = buffer.open(traceId, offset, now);
      bufferedTraces++;
    }
    trace.add(value, scan, attachment, now);
    buffer.touched(trace);
    bufferedSpans += scan.spans();
    bufferedBytes += value.length;
    List<Completion> out = List.of();
    if (trace.spans() >= limits.maxTraceSpans() || trace.bytes() >= limits.maxTraceBytes()) {
      buffer.remove(trace);
      forget(trace);
      out = new ArrayList<>(1);
      out.add(new Completion(trace, CompletionCause.TRACE_LIMIT));
    }
    while (bufferedSpans > limits.maxBufferedSpans() || bufferedBytes > limits.maxBufferedBytes()) {
      BufferedTrace oldest = oldest();
      if (oldest == null) {
        break;
      }
      partitions.get(oldest.partition()).remove(oldest);
      forget(oldest);
      if (out.isEmpty()) {
        out = new ArrayList<>();
      }
      out.add(new Completion(oldest, CompletionCause.BUFFER_FULL));
    }
    return out;
  }

  /** Removes and returns every trace complete by {@code now}: quiet ones, then too old ones. */
  public List<Completion> due(long now) {
    List<Completion> out = new ArrayList<>();
    for (PartitionBuffer buffer : partitions.values()) {
      buffer.takeDue(now, waitNanos, maxAgeNanos, out);
    }
    out.forEach(completion -> forget(completion.trace()));
    return out;
  }

  /** The offset a commit of the partition may go up to (see {@link PartitionBuffer#safeOffset}). */
  public long safeOffset(int partition) {
    return buffer(partition).safeOffset();
  }

  /** The partition's next offset to consume. */
  public long position(int partition) {
    return buffer(partition).position();
  }

  public long bufferedSpans() {
    return bufferedSpans;
  }

  public long bufferedBytes() {
    return bufferedBytes;
  }

  public long bufferedTraces() {
    return bufferedTraces;
  }

  private BufferedTrace oldest() {
    BufferedTrace oldest = null;
    for (PartitionBuffer buffer : partitions.values()) {
      BufferedTrace head = buffer.oldest();
      if (head != null && (oldest == null || head.firstArrival() - oldest.firstArrival() < 0)) {
        oldest = head;
      }
    }
    return oldest;
  }

  private void forget(BufferedTrace trace) {
    bufferedSpans -= trace.spans();
    bufferedBytes -= trace.bytes();
    bufferedTraces--;
  }

  private PartitionBuffer buffer(int partition) {
    PartitionBuffer buffer = partitions.get(partition);
    if (buffer == null) {
      throw new IllegalStateException("partition " + partition + " is not assigned");
    }
    return buffer;
  }
}
