package dev.cairn.sampler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.TraceId;
import dev.cairn.model.otlp.OtlpSpanMapper;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.TraceWireCodec;
import dev.cairn.sampler.assembly.AssemblyLimits;
import dev.cairn.sampler.ledger.CommitMarker;
import dev.cairn.sampler.ledger.LogEntry;
import dev.cairn.sampler.ledger.PartitionCommit;
import dev.cairn.sampler.policy.PolicySettings;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One partition handed from owner to owner, as crashes and rebalances do, with Kafka's transactions
 * modelled: what an owner published, observed and logged counts only once it committed, and the
 * next owner starts at the committed offset with the decision log entries the committed metadata
 * points at. Whatever the crash points and commit cadence, every trace must come out decided once
 * (observed once, all its spans published exactly once or none), and an error trace, whose error is
 * in its last record, always whole: a fragment decided on its own would be dropped by the base
 * rate.
 */
class HandoverTest {

  private static final Duration TICK = Duration.ofMillis(100);
  private static final AssemblyLimits LIMITS =
      new AssemblyLimits(
          Duration.ofSeconds(1), Duration.ofSeconds(5), 10_000, 10_000_000, 1_000, 10_000_000);
  private static final int TRACES = 80;

  /** Longer than from a trace's decision to its late span (3 to 5 s after its first span). */
  private static final Duration LATE_WINDOW = Duration.ofSeconds(10);

  private record Input(long offset, TraceId traceId, byte[] value) {}

  private final FakeTicker ticker = new FakeTicker();
  private final List<Input> partition = new ArrayList<>();
  private final List<LogEntry> decisionLog = new ArrayList<>();
  private final Map<String, Integer> publishedSpans = new HashMap<>();
  private final Map<TraceId, Integer> observed = new HashMap<>();
  private final Map<TraceId, Set<Boolean>> decisions = new HashMap<>();
  private final Map<TraceId, Set<String>> spansOf = new HashMap<>();
  private final Set<TraceId> errorTraces = new HashSet<>();
  private long committedOffset;
  private String committedMarker;

  /** What one owner did since its last commit: discarded by a crash. */
  private final class Owner {
    final TailSampler sampler;
    final List<String> pendingSpans = new ArrayList<>();
    final List<TraceId> pendingObserved = new ArrayList<>();
    final Map<TraceId, Boolean> pendingDecisions = new HashMap<>();

    Owner() {
      CompletedTraceObserver observer =
          new CompletedTraceObserver() {
            @Override
            public void observe(TraceId traceId, List<TracesData> parts) {
              pendingObserved.add(traceId);
            }

            @Override
            public List<OutboundRecord> drain() {
              return List.of();
            }
          };
      sampler =
          new TailSampler(
              "in",
              new PolicySettings(0.5, Optional.empty(), Set.of()).defaultChain(),
              List.of(observer),
              LIMITS,
              10_000,
              LATE_WINDOW,
              TraceWireCodec.DEFAULT_MAX_RECORD_BYTES,
              ticker,
              SamplerEvents.NONE);
      List<LogEntry> inherited = new ArrayList<>();
      CommitMarker.parse(committedMarker)
          .ifPresent(
              pointer ->
                  inherited.addAll(
                      decisionLog.subList((int) pointer.offset(), decisionLog.size())));
      sampler.assign(0, committedOffset, inherited);
    }

    void consume(Input input) {
      sampler.accept(
          0, input.offset(), input.traceId().toBytes(), input.value(), null, this::decided);
      sampler.decideDue(this::decided);
    }

    void decided(
        byte[] key,
        SamplingDecision decision,
        List<byte[]> values,
        boolean late,
        Object attachment) {
      pendingDecisions.put(TraceId.fromBytes(key), decision.keep());
      for (byte[] value : values) {
        for (Span span : OtlpSpanMapper.toSpans(TraceWireCodec.decode(value))) {
          pendingSpans.add(span.spanId().toHex());
        }
      }
    }

    /** A transaction: everything since the last one becomes visible together with the offset. */
    void commit() {
      PartitionCommit commit = sampler.commit(0, decisionLog.size());
      commit
          .logRecord()
          .ifPresent(record -> decisionLog.add(new LogEntry(decisionLog.size(), record)));
      committedOffset = commit.offset();
      committedMarker = CommitMarker.format(0, commit.logPointer());
      pendingSpans.forEach(span -> publishedSpans.merge(span, 1, Integer::sum));
      pendingObserved.forEach(id -> observed.merge(id, 1, Integer::sum));
      pendingDecisions.forEach(
          (id, keep) -> decisions.computeIfAbsent(id, k -> new HashSet<>()).add(keep));
      pendingSpans.clear();
      pendingObserved.clear();
      pendingDecisions.clear();
    }
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
  void crashesAndRebalancesNeitherLoseNorRepeatNorSplitATrace(long seed) {
    Random random = new Random(seed);
    buildPartition(random);

    int handovers = 3;
    while (committedOffset < partition.size() && handovers-- > 0) {
      Owner owner = new Owner();
      int until = (int) Math.min(partition.size(), committedOffset + 5 + random.nextInt(40));
      int cadence = 1 + random.nextInt(7);
      for (int i = (int) committedOffset; i < until; i++) {
        ticker.advance(TICK);
        owner.consume(partition.get(i));
        if ((i + 1) % cadence == 0) {
          owner.commit();
        }
      }
      if (random.nextBoolean()) {
        owner.commit(); // a rebalance: what is decided is committed before the partition goes
      } // else a crash: the open transaction is lost
      ticker.advance(TICK.multipliedBy(random.nextInt(30)));
    }
    Owner last = new Owner();
    for (int i = (int) committedOffset; i < partition.size(); i++) {
      ticker.advance(TICK);
      last.consume(partition.get(i));
    }
    ticker.advance(Duration.ofSeconds(10));
    last.sampler.decideDue(last::decided);
    last.commit();

    assertThat(committedOffset).isEqualTo(partition.size());
    for (TraceId id : spansOf.keySet()) {
      assertThat(observed.get(id)).as("trace %s observed", id).isEqualTo(1);
      assertThat(decisions.get(id)).as("decisions of %s", id).hasSize(1);
      boolean kept = decisions.get(id).iterator().next();
      for (String span : spansOf.get(id)) {
        assertThat(publishedSpans.getOrDefault(span, 0))
            .as("span %s of %s trace %s", span, kept ? "kept" : "dropped", id)
            .isEqualTo(kept ? 1 : 0);
      }
      if (errorTraces.contains(id)) {
        assertThat(kept).as("error trace %s", id).isTrue();
      }
    }
  }

  /**
   * Traces of three records (two children, then the root) interleaved, every fourth with a late
   * span well after its decision; every third has its error in the root.
   */
  private void buildPartition(Random random) {
    record Slot(int at, TraceId traceId, Span span) {}
    List<Slot> slots = new ArrayList<>();
    for (int t = 0; t < TRACES; t++) {
      TraceId id = new TraceId(random.nextLong(), random.nextLong());
      SpanId root = SpanFixtures.randomSpanId();
      int start = 3 * t + random.nextInt(3);
      SpanFixtures.SpanBuilder rootSpan =
          SpanFixtures.span(id, "frontend", "GET /").spanId(root).kind(SpanKind.SERVER);
      if (t % 3 == 0) {
        rootSpan.error("boom");
        errorTraces.add(id);
      }
      slots.add(new Slot(start, id, SpanFixtures.span(id, "a", "x").parent(root).build()));
      slots.add(
          new Slot(
              start + 2 + random.nextInt(4),
              id,
              SpanFixtures.span(id, "b", "y").parent(root).build()));
      slots.add(new Slot(start + 7 + random.nextInt(3), id, rootSpan.build()));
      if (t % 4 == 0) {
        slots.add(
            new Slot(
                start + 30 + random.nextInt(20),
                id,
                SpanFixtures.span(id, "c", "late").parent(root).build()));
      }
    }
    slots.sort(Comparator.comparingInt(Slot::at));
    for (Slot slot : slots) {
      partition.add(
          new Input(partition.size(), slot.traceId(), Traces.record(List.of(slot.span()))));
      spansOf
          .computeIfAbsent(slot.traceId(), k -> new HashSet<>())
          .add(slot.span().spanId().toHex());
    }
  }
}
