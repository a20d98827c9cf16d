package dev.cairn.sampler.assembly;

import dev.cairn.model.TraceId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The records of one undecided trace in one partition, kept as the bytes that arrived (no parsed
 * objects: a buffered span costs about its wire size), and the little assembly needs to know about
 * them. Each record may carry an attachment of the transport's (its self-tracing span), most carry
 * none.
 */
public final class BufferedTrace {

  private final TraceId traceId;
  private final int partition;
  private final long firstOffset;
  private final long firstArrival;
  private final ArrayList<byte[]> values = new ArrayList<>(2);
  private Object[] attachments;
  private long lastArrival;
  private boolean rootSeen;
  private int spans;
  private long bytes;

  BufferedTrace(TraceId traceId, int partition, long firstOffset, long firstArrival) {
    this.traceId = traceId;
    this.partition = partition;
    this.firstOffset = firstOffset;
    this.firstArrival = firstArrival;
    this.lastArrival = firstArrival;
  }

  void add(byte[] value, WireScan.Result scan, Object attachment, long now) {
    if (attachment != null) {
      if (attachments == null) {
        attachments = new Object[Math.max(4, values.size() + 1)];
      } else if (attachments.length <= values.size()) {
        attachments = Arrays.copyOf(attachments, 2 * (values.size() + 1));
      }
      attachments[values.size()] = attachment;
    }
    values.add(value);
    spans += scan.spans();
    bytes += value.length;
    rootSeen |= scan.hasRoot();
    lastArrival = now;
  }

  public TraceId traceId() {
    return traceId;
  }

  public int partition() {
    return partition;
  }

  /** Offset of its first record in the partition: no commit may pass it while undecided. */
  public long firstOffset() {
    return firstOffset;
  }

  long firstArrival() {
    return firstArrival;
  }

  long lastArrival() {
    return lastArrival;
  }

  boolean rootSeen() {
    return rootSeen;
  }

  public int spans() {
    return spans;
  }

  public long bytes() {
    return bytes;
  }

  /** The record values in arrival order. */
  public List<byte[]> values() {
    return Collections.unmodifiableList(values);
  }

  /** The attachment of the i-th record, or null. */
  public Object attachment(int index) {
    return attachments == null || index >= attachments.length ? null : attachments[index];
  }
}
