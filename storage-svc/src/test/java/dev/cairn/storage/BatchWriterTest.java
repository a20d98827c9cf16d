package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.Span;
import dev.cairn.model.TraceId;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.EncodedSpans;
import dev.cairn.store.InvalidSpanBatchException;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BatchWriterTest {

  /** The span name the fake store refuses, as PostgreSQL refuses a value it cannot hold. */
  private static final String POISON = "poison";

  private static SpanRecord record(RetentionClass retention) {
    return new SpanRecord(
        retention, SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), 1_000L));
  }

  private static SpanRecord poisoned() {
    TraceId trace = SpanFixtures.randomTraceId();
    List<Span> spans = new ArrayList<>(SpanFixtures.threeServiceTrace(trace, 1_000L));
    spans.add(SpanFixtures.span(trace, SpanFixtures.CHECKOUT, POISON).build());
    return new SpanRecord(RetentionClass.STANDARD, spans);
  }

  /** A store that refuses any batch holding a poisoned span, all or nothing, and counts calls. */
  private static final class RefusingStore implements SpanWriter {
    final List<Span> stored = new ArrayList<>();
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void write(RetentionClass retention, List<Span> spans) {
      calls.incrementAndGet();
      if (spans.stream().anyMatch(span -> span.name().equals(POISON))) {
        throw new InvalidSpanBatchException("54000", "SQLState 54000: index row too large", null);
      }
      stored.addAll(spans);
    }
  }

  @Test
  void lateRecordsMarkTheirSpansInTheBatchGivenToTheStore() {
    List<Span> written = new ArrayList<>();
    BitSet marked = new BitSet();
    SpanWriter writer =
        new SpanWriter() {
          @Override
          public void write(RetentionClass retention, List<Span> spans) {
            throw new AssertionError("the late marks must reach the store");
          }

          @Override
          public void write(RetentionClass retention, List<Span> spans, BitSet late) {
            written.addAll(spans);
            marked.or(late);
          }
        };
    SpanRecord onTime = record(RetentionClass.STANDARD);
    SpanRecord late =
        new SpanRecord(
            RetentionClass.STANDARD,
            SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), 2_000L),
            true);

    new BatchWriter(writer).write(List.of(onTime, late, onTime));

    int n = SpanFixtures.THREE_SERVICE_SPAN_COUNT;
    assertThat(written).hasSize(3 * n);
    BitSet expected = new BitSet();
    expected.set(n, 2 * n);
    assertThat(marked).isEqualTo(expected);
    assertThat(written.subList(n, 2 * n)).isEqualTo(late.spans());
  }

  @Test
  void recordsReachTheStoreWithTheirValuesUnlessTheAdmissionLeftSpansOut() {
    List<EncodedSpans> given = new ArrayList<>();
    SpanWriter writer =
        new SpanWriter() {
          @Override
          public void write(RetentionClass retention, List<Span> spans) {
            throw new AssertionError("the records' values must reach the store");
          }

          @Override
          public void writeEncoded(RetentionClass retention, List<EncodedSpans> records) {
            given.addAll(records);
          }
        };
    byte[] wholeValue = {1};
    byte[] cutValue = {2};
    List<Span> whole = SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), 1_000_000_000L);
    List<Span> cut = SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), 1_000L);
    // the cut trace's root starts before the cut-off, its other spans after it
    BatchWriter.Admission admission = (retention, start) -> start.toEpochMilli() >= 5;

    new BatchWriter(writer, admission)
        .write(
            List.of(
                new SpanRecord(RetentionClass.STANDARD, whole, true, wholeValue),
                new SpanRecord(RetentionClass.STANDARD, cut, false, cutValue)));

    assertThat(given)
        .containsExactly(
            new EncodedSpans(whole, wholeValue, true),
            new EncodedSpans(
                cut.stream().filter(span -> span.startTimeUnixNano() >= 5_000_000L).toList(),
                null,
                false));
  }

  @Test
  void spansTheAdmissionRefusesAreCountedAsExpiredAndTheOthersWritten() {
    List<Span> written = new ArrayList<>();
    SpanWriter writer = (retention, spans) -> written.addAll(spans);
    // as RetentionWindow at 8 days after the fixture's start: standard expired, extended kept
    BatchWriter.Admission admission = (retention, start) -> retention == RetentionClass.EXTENDED;

    BatchWriter.Outcome outcome =
        new BatchWriter(writer, admission)
            .write(List.of(record(RetentionClass.STANDARD), record(RetentionClass.EXTENDED)));

    assertThat(outcome.expired()).isEqualTo(SpanFixtures.THREE_SERVICE_SPAN_COUNT);
    assertThat(outcome.spansWritten())
        .isEqualTo(written.size())
        .isEqualTo(SpanFixtures.THREE_SERVICE_SPAN_COUNT);
    assertThat(outcome.refused()).isEmpty();
    assertThat(outcome.expiredRecords())
        .singleElement()
        .satisfies(
            expired -> {
              assertThat(expired.index()).isZero();
              assertThat(expired.reason())
                  .startsWith(
                      SpanFixtures.THREE_SERVICE_SPAN_COUNT
                          + " of "
                          + SpanFixtures.THREE_SERVICE_SPAN_COUNT
                          + " spans")
                  .contains("standard");
            });
  }

  @Test
  void writesOneCallPerRetentionClass() {
    List<RetentionClass> calls = new ArrayList<>();
    List<Span> written = new ArrayList<>();
    SpanWriter writer =
        (retention, spans) -> {
          calls.add(retention);
          written.addAll(spans);
        };
    List<SpanRecord> records =
        List.of(
            record(RetentionClass.STANDARD),
            record(RetentionClass.EXTENDED),
            record(RetentionClass.STANDARD));

    BatchWriter.Outcome outcome = new BatchWriter(writer).write(records);

    assertThat(calls).containsExactly(RetentionClass.STANDARD, RetentionClass.EXTENDED);
    assertThat(outcome.refused()).isEmpty();
    assertThat(outcome.spansWritten())
        .isEqualTo(written.size())
        .isEqualTo(3 * SpanFixtures.THREE_SERVICE_SPAN_COUNT);
  }

  @ParameterizedTest(name = "{1} poisoned among {0}")
  @CsvSource({"1, 1", "2, 1", "64, 1", "64, 3", "1000, 1", "1000, 5", "37, 37"})
  void bisectionIsolatesExactlyThePoisonedRecords(int n, int k) {
    List<SpanRecord> records = new ArrayList<>();
    Set<Integer> poisonedAt = new HashSet<>();
    // Spread the poisoned records over the batch, the last one at the very end.
    for (int j = 0; j < k; j++) {
      poisonedAt.add(n - 1 - j * (n / k));
    }
    List<Span> goodSpans = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      SpanRecord record = poisonedAt.contains(i) ? poisoned() : record(RetentionClass.STANDARD);
      records.add(record);
      if (!poisonedAt.contains(i)) {
        goodSpans.addAll(record.spans());
      }
    }
    RefusingStore store = new RefusingStore();

    BatchWriter.Outcome outcome = new BatchWriter(store).write(records);

    assertThat(outcome.refused())
        .extracting(BatchWriter.Refused::index)
        .containsExactlyInAnyOrderElementsOf(poisonedAt)
        .isSorted();
    assertThat(outcome.refused())
        .allSatisfy(refused -> assertThat(refused.reason()).contains("54000"));
    assertThat(store.stored).containsExactlyInAnyOrderElementsOf(goodSpans);
    assertThat(outcome.spansWritten()).isEqualTo(goodSpans.size());
    int depth = 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1)); // ceil(log2 n)
    assertThat(store.calls.get())
        .as("write calls for %d poisoned among %d records", k, n)
        .isLessThanOrEqualTo(1 + 2 * k * depth);
    if (k * depth < n / 4) {
      assertThat(store.calls.get()).as("far fewer than one call per record").isLessThan(n / 2);
    }
  }

  @Test
  void aRefusalOnlyInCombinationStoresEverything() {
    SpanRecord a = record(RetentionClass.STANDARD);
    SpanRecord b = record(RetentionClass.STANDARD);
    List<Span> stored = new ArrayList<>();
    SpanWriter writer =
        (retention, spans) -> {
          if (spans.containsAll(a.spans()) && spans.containsAll(b.spans())) {
            throw new InvalidSpanBatchException("23505", "together they collide", null);
          }
          stored.addAll(spans);
        };

    BatchWriter.Outcome outcome = new BatchWriter(writer).write(List.of(a, b));

    assertThat(outcome.refused()).isEmpty();
    assertThat(stored).hasSize(a.spans().size() + b.spans().size());
  }

  @Test
  void unavailableStorePropagatesForRetry() {
    SpanWriter writer =
        (retention, spans) -> {
          throw new StoreUnavailableException("down", null);
        };
    assertThatThrownBy(
            () -> new BatchWriter(writer).write(List.of(record(RetentionClass.STANDARD))))
        .isInstanceOf(StoreUnavailableException.class);
  }

  @Test
  void anOutageWhileBisectingPropagatesForRetry() {
    AtomicInteger calls = new AtomicInteger();
    SpanWriter writer =
        (retention, spans) -> {
          if (calls.incrementAndGet() == 1) {
            throw new InvalidSpanBatchException("22P05", "refused", null);
          }
          throw new StoreUnavailableException("connection lost", null);
        };
    assertThatThrownBy(
            () ->
                new BatchWriter(writer).write(List.of(record(RetentionClass.STANDARD), poisoned())))
        .isInstanceOf(StoreUnavailableException.class);
  }
}
