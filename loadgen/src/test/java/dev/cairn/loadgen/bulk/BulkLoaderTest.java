package dev.cairn.loadgen.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BulkLoaderTest {

  private static final BulkPlan PLAN = BulkFixtures.plan(60_000, 24, 21);
  private static final RetentionRule RULE = new RetentionRule(1_000_000_000L);

  @Test
  void writesWholeTracesInBoundedBatchesOfOneClass() throws InterruptedException {
    List<Write> writes = Collections.synchronizedList(new ArrayList<>());
    BulkResult result = load(3, 1000, (c, spans) -> writes.add(new Write(c, List.copyOf(spans))));
    Map<TraceId, RetentionClass> classOf = new HashMap<>();
    Map<TraceId, Integer> batchOf = new HashMap<>();
    long spans = 0;
    for (int i = 0; i < writes.size(); i++) {
      Write write = writes.get(i);
      assertThat(write.spans()).hasSizeBetween(1, 1000);
      spans += write.spans().size();
      for (Span span : write.spans()) {
        assertThat(classOf.putIfAbsent(span.traceId(), write.retention()))
            .isIn(null, write.retention());
        assertThat(batchOf.putIfAbsent(span.traceId(), i)).as("a trace in one batch").isIn(null, i);
      }
    }
    assertThat(result.totals().spans()).isEqualTo(spans).isGreaterThanOrEqualTo(60_000);
    assertThat(result.totals().traces()).isEqualTo(classOf.size());
    assertThat(result.totals().batches()).isEqualTo(writes.size());
    assertThat(result.totals().extendedSpans())
        .isEqualTo(
            writes.stream()
                .filter(w -> w.retention() == RetentionClass.EXTENDED)
                .mapToLong(w -> w.spans().size())
                .sum())
        .isPositive();
    assertThat(result.totals().slicesDone()).isEqualTo(PLAN.slices());
  }

  @Test
  void theSameSpansWhateverTheNumberOfWriters() throws InterruptedException {
    assertThat(spanKeys(1, 5000)).isEqualTo(spanKeys(4, 700));
  }

  @Test
  void samplesOneTracePerSampledSliceInTimeOrder() throws InterruptedException {
    BulkResult result = load(2, 5000, (c, spans) -> {});
    assertThat(result.samples()).hasSize((PLAN.slices() + 1) / 2);
    for (int i = 1; i < result.samples().size(); i++) {
      assertThat(result.samples().get(i).slice())
          .isGreaterThan(result.samples().get(i - 1).slice());
      assertThat(result.samples().get(i).startNanos())
          .isGreaterThan(result.samples().get(i - 1).startNanos());
    }
    SampleTrace first = result.samples().get(0);
    assertThat(BulkFixtures.slices(PLAN).all(first.slice()).get(0).customerId())
        .isEqualTo(first.customerId());
  }

  @Test
  void aWriteFailureStopsTheLoadAndIsThrown() {
    SpanWriter failing =
        (c, spans) -> {
          throw new StoreUnavailableException("database gone", null);
        };
    assertThatThrownBy(() -> load(2, 500, failing)).hasMessage("database gone");
  }

  private static Set<String> spanKeys(int writers, int batchSize) throws InterruptedException {
    Set<String> keys = Collections.synchronizedSet(new HashSet<>());
    load(
        writers,
        batchSize,
        (c, spans) -> spans.forEach(s -> keys.add(c + " " + s.traceId() + " " + s.spanId())));
    return keys;
  }

  private static BulkResult load(int writers, int batchSize, SpanWriter writer)
      throws InterruptedException {
    return new BulkLoader(
            PLAN, () -> BulkFixtures.slices(PLAN), RULE, writer, writers, batchSize, 2)
        .run();
  }

  private record Write(RetentionClass retention, List<Span> spans) {}
}
