package dev.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.metrics.MetricsBatch;
import dev.cairn.model.metrics.MetricsWireCodec;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.metrics.SpanSeries;
import dev.cairn.store.InvalidSpanBatchException;
import dev.cairn.store.MetricsDelta;
import dev.cairn.store.MetricsWriter;
import dev.cairn.store.StoreUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanMetricsIngestTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<List<MetricsDelta>> calls = new ArrayList<>();

  @Test
  void aMalformedRecordIsStoredEmptySoTheRecordsAfterItGoOn() {
    SpanMetricsIngest ingest = ingest(writer(deltas -> deltas.size()), 3);

    ingest.ingest(
        "m", 0, List.of(raw(0, 5), new SpanMetricsIngest.Raw(1, new byte[] {9, 9}), raw(2, 1)));

    assertThat(calls).hasSize(1);
    assertThat(calls.get(0)).extracting(MetricsDelta::offset).containsExactly(0L, 1L, 2L);
    assertThat(calls.get(0).get(1).batch().isEmpty()).isTrue();
    assertThat(calls.get(0).get(2).batch().spanSeries()).hasSize(1);
    assertThat(count("malformed")).isEqualTo(1);
    assertThat(count("applied")).isEqualTo(3);
  }

  @Test
  void aRefusedBatchIsWrittenRecordByRecordAndTheRefusedOneStoredEmpty() {
    SpanMetricsIngest ingest =
        ingest(
            writer(
                deltas -> {
                  boolean poisoned =
                      deltas.stream()
                          .anyMatch(
                              d ->
                                  !d.batch().isEmpty()
                                      && d.batch().spanSeries().get(0).aggregate().count() == 13);
                  if (poisoned) {
                    throw new InvalidSpanBatchException("22003", "out of range", null);
                  }
                  return deltas.size();
                }),
            3);

    ingest.ingest("m", 0, List.of(raw(0, 1), raw(1, 13), raw(2, 1)));

    // the whole batch, then each alone, with the refused one again as empty after its refusal
    assertThat(calls).hasSize(5);
    assertThat(calls.get(3))
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.offset()).isEqualTo(1);
              assertThat(d.batch().isEmpty()).isTrue();
            });
    assertThat(count("refused")).isEqualTo(1);
    assertThat(count("applied")).isEqualTo(3);
  }

  @Test
  void anUnavailableStoreIsRetriedABoundedNumberOfTimes() {
    SpanMetricsIngest ingest =
        ingest(
            writer(
                deltas -> {
                  throw new StoreUnavailableException("down", null);
                }),
            3);

    assertThatThrownBy(() -> ingest.ingest("m", 0, List.of(raw(0, 1))))
        .isInstanceOf(StoreUnavailableException.class);
    assertThat(calls).hasSize(3);
  }

  @Test
  void recordsAddedBeforeCountAsReplayed() {
    SpanMetricsIngest ingest = ingest(writer(deltas -> 0), 3);
    ingest.ingest("m", 0, List.of(raw(0, 1), raw(1, 1)));
    assertThat(count("replayed")).isEqualTo(2);
  }

  private SpanMetricsIngest ingest(MetricsWriter writer, int attempts) {
    return new SpanMetricsIngest(
        writer,
        new StorageMetrics(registry),
        Duration.ofMillis(1),
        Duration.ofMillis(2),
        attempts,
        () -> true);
  }

  private interface Apply {
    int apply(List<MetricsDelta> deltas);
  }

  private MetricsWriter writer(Apply apply) {
    return new MetricsWriter() {
      @Override
      public int apply(String topic, int partition, List<MetricsDelta> deltas) {
        calls.add(deltas);
        return apply.apply(deltas);
      }

      @Override
      public Map<Integer, Long> nextOffsets(String topic) {
        return Map.of();
      }
    };
  }

  private static SpanMetricsIngest.Raw raw(long offset, double requests) {
    SeriesAggregate aggregate = SeriesAggregate.builder().add(requests, 1_000_000, null).build();
    return new SpanMetricsIngest.Raw(
        offset,
        MetricsWireCodec.encode(
            new MetricsBatch(
                List.of(new SpanSeries(0, "s", "o", SpanKind.SERVER, StatusCode.OK, aggregate)),
                List.of())));
  }

  private double count(String outcome) {
    var counter = registry.find("cairn.storage.metrics.records").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }
}
