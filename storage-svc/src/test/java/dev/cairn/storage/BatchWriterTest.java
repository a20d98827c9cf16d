package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.Span;
import dev.cairn.model.testing.SpanFixtures;
import dev.cairn.model.wire.RetentionClass;
import dev.cairn.store.InvalidSpanBatchException;
import dev.cairn.store.SpanWriter;
import dev.cairn.store.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchWriterTest {

  private static SpanRecord record(RetentionClass retention) {
    return new SpanRecord(
        retention, SpanFixtures.threeServiceTrace(SpanFixtures.randomTraceId(), 1_000L));
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

    int count = new BatchWriter(writer).write(records, r -> {});

    assertThat(calls).containsExactly(RetentionClass.STANDARD, RetentionClass.EXTENDED);
    assertThat(count)
        .isEqualTo(written.size())
        .isEqualTo(3 * SpanFixtures.THREE_SERVICE_SPAN_COUNT);
  }

  @Test
  void refusedRecordsAreReportedAndTheRestWritten() {
    SpanRecord good = record(RetentionClass.STANDARD);
    SpanRecord bad = record(RetentionClass.STANDARD);
    List<Span> stored = new ArrayList<>();
    SpanWriter writer =
        (retention, spans) -> {
          if (spans.containsAll(bad.spans())) {
            throw new InvalidSpanBatchException("refused", null);
          }
          stored.addAll(spans);
        };
    List<SpanRecord> refused = new ArrayList<>();

    int count = new BatchWriter(writer).write(List.of(good, bad), refused::add);

    assertThat(refused).containsExactly(bad);
    assertThat(stored).isEqualTo(good.spans());
    assertThat(count).isEqualTo(good.spans().size());
  }

  @Test
  void unavailableStorePropagatesForRetry() {
    SpanWriter writer =
        (retention, spans) -> {
          throw new StoreUnavailableException("down", null);
        };
    assertThatThrownBy(
            () -> new BatchWriter(writer).write(List.of(record(RetentionClass.STANDARD)), r -> {}))
        .isInstanceOf(StoreUnavailableException.class);
  }
}
