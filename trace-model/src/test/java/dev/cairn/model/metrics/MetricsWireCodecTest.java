package dev.cairn.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.proto.Aggregate;
import dev.cairn.model.wire.MalformedRecordException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsWireCodecTest {

  private static final long MINUTE = Minutes.of(1_764_000_000_000_000_000L);

  @Test
  void batchRoundTripsUnchanged() {
    SeriesAggregate fast =
        SeriesAggregate.builder()
            .add(10.0, 2_000_000, exemplar(1, 2_000_000))
            .add(10.0, 3_000_000, exemplar(2, 3_000_000))
            .build();
    SeriesAggregate slow =
        SeriesAggregate.builder().add(1.0, 90_000_000_000_000L, exemplar(3, 1)).build();
    MetricsBatch batch =
        new MetricsBatch(
            List.of(
                new SpanSeries(
                    MINUTE,
                    "checkout",
                    "POST /api/orders",
                    SpanKind.SERVER,
                    StatusCode.ERROR,
                    fast),
                new SpanSeries(
                    MINUTE, "checkout", "", SpanKind.UNSPECIFIED, StatusCode.UNSET, slow)),
            List.of(
                new EdgeSeries(MINUTE, "frontend", "checkout", EdgeType.REQUEST, 10.0, fast),
                new EdgeSeries(MINUTE, "checkout", "postgres", EdgeType.VIRTUAL, 0, slow)));

    MetricsBatch decoded = MetricsWireCodec.decode(MetricsWireCodec.encode(batch));

    assertThat(decoded).isEqualTo(batch);
    assertThat(decoded.spanSeries().get(0).aggregate().exemplar()).contains(exemplar(2, 3_000_000));
  }

  @Test
  void histogramsTravelSparse() throws Exception {
    SeriesAggregate aggregate =
        SeriesAggregate.builder().add(1, 2_000_000, null).add(1, 8_000_000, null).build();
    byte[] value =
        MetricsWireCodec.encode(
            new MetricsBatch(
                List.of(
                    new SpanSeries(MINUTE, "s", "o", SpanKind.SERVER, StatusCode.UNSET, aggregate)),
                List.of()));

    Aggregate wire =
        dev.cairn.model.metrics.proto.MetricsBatch.parseFrom(value).getSpanSeries(0).getAggregate();
    assertThat(wire.getFirstBucket()).isEqualTo(DurationBuckets.indexOf(2_000_000));
    assertThat(wire.getBucketCountsList()).containsExactly(1.0, 0.0, 0.0, 0.0, 1.0);
  }

  @Test
  void garbageAndUnknownLayoutsAreRefused() {
    assertThatThrownBy(() -> MetricsWireCodec.decode(new byte[] {(byte) 0xff, 0x01}))
        .isInstanceOf(MalformedRecordException.class);
    byte[] futureLayout =
        dev.cairn.model.metrics.proto.MetricsBatch.newBuilder()
            .setBucketLayout(2)
            .build()
            .toByteArray();
    assertThatThrownBy(() -> MetricsWireCodec.decode(futureLayout))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("bucket layout");
    byte[] outOfRange =
        dev.cairn.model.metrics.proto.MetricsBatch.newBuilder()
            .setBucketLayout(1)
            .addSpanSeries(
                dev.cairn.model.metrics.proto.SpanSeries.newBuilder()
                    .setAggregate(
                        Aggregate.newBuilder()
                            .setFirstBucket(63)
                            .addBucketCounts(1)
                            .addBucketCounts(1)))
            .build()
            .toByteArray();
    assertThatThrownBy(() -> MetricsWireCodec.decode(outOfRange))
        .isInstanceOf(MalformedRecordException.class)
        .hasMessageContaining("out of range");
  }

  @Test
  void mergedExemplarIsTheSlowestWhateverTheOrder() {
    Exemplar a = exemplar(1, 5);
    Exemplar b = exemplar(2, 9);
    Exemplar tie = exemplar(3, 9);
    assertThat(Exemplar.preferred(a, b)).isEqualTo(b);
    assertThat(Exemplar.preferred(b, a)).isEqualTo(b);
    assertThat(Exemplar.preferred(b, tie)).isEqualTo(Exemplar.preferred(tie, b));
  }

  private static Exemplar exemplar(long id, long durationNanos) {
    return new Exemplar(new TraceId(0, id), new SpanId(id), durationNanos);
  }
}
