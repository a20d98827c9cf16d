package dev.cairn.sampler;

import dev.cairn.model.TraceId;
import dev.cairn.model.wire.MalformedRecordException;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.sampler.assembly.AssemblyLimits;
import dev.cairn.sampler.assembly.BufferedTrace;
import dev.cairn.sampler.assembly.Completion;
import dev.cairn.sampler.assembly.DecisionCache;
import dev.cairn.sampler.assembly.TraceAssembler;
import dev.cairn.sampler.assembly.WireScan;
import dev.cairn.sampler.ledger.LogEntry;
import dev.cairn.sampler.ledger.PartitionCommit;
import dev.cairn.sampler.ledger.PartitionLedger;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.jboss.logging.Logger;

/**
 * Tail sampling, knowing nothing of Kafka: records of {@code cairn.spans.ingested} in (one
 * partition holds whole traces, key = trace id), decisions out. A record of an undecided trace is
 * buffered ({@link TraceAssembler}); a complete trace is parsed once, shown to every {@link
 * CompletedTraceObserver}, decided by the {@link SamplingPolicy}, and its records handed to the
 * {@link Sink} with the decision. A record of a trace already decided follows that decision ({@link
 * DecisionCache}); one that an earlier owner of the partition handled is skipped ({@link
 * PartitionLedger}). {@link #commit} says what a transaction may commit per partition.
 *
 * <p>Single-threaded: the sampling thread calls everything.
 */
public final class TailSampler {

  private static final Logger LOG = Logger.getLogger(TailSampler.class);

  /** What a trace gets when the policies throw: kept, so that a bug loses nothing. */
  private static final SamplingDecision POLICY_FAILURE =
      SamplingDecision.keep("policy_failure", RetentionClass.STANDARD);

  /** Where decided records go. */
  @FunctionalInterface
  public interface Sink {
    /**
     * One received record of a decided trace: publish each of {@code values} under {@code key}
     * (none when the trace is dropped). {@code late}: the record came after its trace was decided
     * and follows that decision.
     */
    void decided(
        byte[] key,
        SamplingDecision decision,
        List<byte[]> values,
        boolean late,
        Object attachment);
  }

  /** What became of a record handed to {@link #accept}. */
  public enum Arrival {
    /** Buffered until its trace is complete (or decided now, through the sink). */
    BUFFERED,
    /** Its trace was decided before: it went to the sink with that decision. */
    LATE,
    /** An earlier owner of the partition handled it: skipped. */
    REPLAYED,
    /** Malformed: counted and skipped. */
    REJECTED
  }

  private final String topic;
  private final SamplingPolicy policy;
  private final List<CompletedTraceObserver> observers;
  private final TraceAssembler assembler;
  private final DecisionCache cache;
  private final KeptRecords kept;
  private final Ticker ticker;
  private final SamplerEvents events;
  private final Duration lateWindow;
  private final Map<Integer, PartitionLedger> ledgers = new HashMap<>();

  /**
   * @param lateWindow how long decisions stay where a later owner of the partition reads them, so
   *     that late spans follow them there too ({@link PartitionLedger})
   */
  public TailSampler(
      String topic,
      SamplingPolicy policy,
      List<CompletedTraceObserver> observers,
      AssemblyLimits limits,
      int decisionCacheSize,
      Duration lateWindow,
      int maxRecordBytes,
      Ticker ticker,
      SamplerEvents events) {
    this.topic = topic;
    this.policy = policy;
    this.observers = List.copyOf(observers);
    this.assembler = new TraceAssembler(limits);
    this.cache = new DecisionCache(decisionCacheSize);
    this.lateWindow = lateWindow;
    this.kept = new KeptRecords(maxRecordBytes);
    this.ticker = ticker;
    this.events = events;
  }

  /**
   * Starts on a partition whose next record is at {@code startOffset}, with the decision log
   * entries its committed offset points at (in log order; entries of other partitions ignored).
   */
  public void assign(int partition, long startOffset, List<LogEntry> log) {
    assembler.assign(partition, startOffset);
    PartitionLedger ledger = new PartitionLedger(lateWindow);
    long now = ticker.nanos();
    for (LogEntry entry : log) {
      if (entry.record().partition() == partition && entry.record().topic().equals(topic)) {
        ledger.inherit(entry.offset(), entry.record(), startOffset, now);
        entry.record().decisions().forEach(cache::put);
      }
    }
    ledgers.put(partition, ledger);
  }

  /**
   * Leaves a partition: its undecided traces are dropped (their offsets were not committed, so the
   * next owner replays them whole). Commit what was decided first.
   */
  public void revoke(int partition) {
    List<BufferedTrace> dropped = assembler.revoke(partition);
    ledgers.remove(partition);
    if (!dropped.isEmpty()) {
      events.revoked(dropped.size(), dropped.stream().mapToInt(BufferedTrace::spans).sum());
    }
  }

  public boolean isAssigned(int partition) {
    return assembler.isAssigned(partition);
  }

  /** One consumed record of an assigned partition. */
  public Arrival accept(
      int partition, long offset, byte[] key, byte[] value, Object attachment, Sink sink) {
    PartitionLedger ledger = ledgers.get(partition);
    if (ledger == null) {
      throw new IllegalStateException("partition " + partition + " is not assigned");
    }
    if (key == null || key.length != TraceId.BYTES || value == null) {
      return reject(
          partition,
          offset,
          key == null || key.length != TraceId.BYTES
              ? RejectReason.INVALID_KEY
              : RejectReason.INVALID_VALUE);
    }
    WireScan.Result scan;
    try {
      scan = WireScan.scan(value);
    } catch (MalformedRecordException e) {
      return reject(partition, offset, RejectReason.INVALID_VALUE);
    }
    if (scan.spans() == 0) {
      return reject(partition, offset, RejectReason.INVALID_VALUE);
    }
    TraceId traceId = TraceWireCodec.traceIdOfKey(key);
    PartitionLedger.Inherited inherited = ledger.inherited(traceId);
    if (inherited != null && offset < inherited.upTo()) {
      assembler.consumed(partition, offset);
      events.replayed(scan.spans());
      return Arrival.REPLAYED;
    }
    events.received(scan.spans());
    SamplingDecision known = inherited != null ? inherited.decision() : cache.get(traceId);
    if (known != null) {
      assembler.consumed(partition, offset);
      List<byte[]> values = List.of();
      if (known.keep()) {
        TracesData parsed = parseOrNull(value);
        if (parsed == null) {
          return Arrival.REJECTED;
        }
        values = kept.values(known, parsed, value);
      }
      ledger.note(traceId, known);
      events.late(known, scan.spans());
      sink.decided(key, known, values, true, attachment);
      return Arrival.LATE;
    }
    List<Completion> now =
        assembler.add(partition, offset, traceId, value, scan, attachment, ticker.nanos());
    for (Completion completion : now) {
      decide(completion, sink);
    }
    return Arrival.BUFFERED;
  }

  /** Decides every buffered trace that is complete by now. */
  public void decideDue(Sink sink) {
    for (Completion completion : assembler.due(ticker.nanos())) {
      decide(completion, sink);
    }
  }

  /**
   * What a commit of the partition may contain now (see {@link PartitionLedger}); takes the pending
   * decision log record. {@code logOffsetAtMost} is at most the offset that record gets.
   */
  public PartitionCommit commit(int partition, long logOffsetAtMost) {
    PartitionLedger ledger = ledgers.get(partition);
    long safe = assembler.safeOffset(partition);
    long now = ticker.nanos();
    var record =
        ledger.drainPending(topic, partition, assembler.position(partition), logOffsetAtMost, now);
    OptionalLong pointer = ledger.pointer(safe, now);
    return new PartitionCommit(safe, record, pointer);
  }

  public long bufferedSpans() {
    return assembler.bufferedSpans();
  }

  public long bufferedBytes() {
    return assembler.bufferedBytes();
  }

  public long bufferedTraces() {
    return assembler.bufferedTraces();
  }

  private Arrival reject(int partition, long offset, RejectReason reason) {
    assembler.consumed(partition, offset);
    events.rejected(reason);
    return Arrival.REJECTED;
  }

  private TracesData parseOrNull(byte[] value) {
    try {
      return TraceWireCodec.decode(value);
    } catch (MalformedRecordException e) {
      events.rejected(RejectReason.INVALID_VALUE);
      return null;
    }
  }

  private void decide(Completion completion, Sink sink) {
    BufferedTrace trace = completion.trace();
    List<byte[]> values = trace.values();
    List<TracesData> parts = new ArrayList<>(values.size());
    List<Integer> indexes = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      TracesData parsed = parseOrNull(values.get(i));
      if (parsed != null) {
        parts.add(parsed);
        indexes.add(i);
      }
    }
    if (parts.isEmpty()) {
      return;
    }
    TraceId traceId = trace.traceId();
    for (CompletedTraceObserver observer : observers) {
      try {
        observer.observe(traceId, parts);
      } catch (RuntimeException e) {
        LOG.errorf(e, "observer %s failed on trace %s", observer.getClass().getName(), traceId);
        events.failed("observer");
      }
    }
    AssembledTrace assembled = AssembledTrace.of(traceId, parts);
    SamplingDecision decision;
    try {
      decision = policy.decide(assembled);
    } catch (RuntimeException e) {
      // A bug in a policy must not lose the trace, nor stop the stream on it.
      LOG.errorf(e, "sampling policy failed on trace %s; keeping it", traceId);
      events.failed("policy");
      decision = POLICY_FAILURE;
    }
    cache.put(traceId, decision);
    ledgers.get(trace.partition()).note(traceId, decision);
    events.decided(decision, completion.cause(), assembled.spanCount());
    byte[] key = traceId.toBytes();
    for (int i = 0; i < parts.size(); i++) {
      int index = indexes.get(i);
      List<byte[]> out =
          decision.keep() ? kept.values(decision, parts.get(i), values.get(index)) : List.of();
      sink.decided(key, decision, out, false, trace.attachment(index));
    }
  }
}
