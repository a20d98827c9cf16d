package dev.cairn.model.metrics;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.proto.Aggregate;
import dev.cairn.model.wire.MalformedRecordException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code cairn.metrics} wire format: value = a {@code cairn.metrics.v1.MetricsBatch} protobuf
 * (src/main/proto/cairn/metrics/v1/metrics.proto), key = the UTF-8 name of the service whose spans
 * (and whose outgoing edges) the record holds, so that every delta of a series goes to one
 * partition. Histograms travel sparse (the run of buckets from the first to the last non-empty
 * one). Pure functions.
 */
public final class MetricsWireCodec {

  private MetricsWireCodec() {}

  public static byte[] key(String service) {
    return service.getBytes(StandardCharsets.UTF_8);
  }

  public static byte[] encode(MetricsBatch batch) {
    dev.cairn.model.metrics.proto.MetricsBatch.Builder out =
        dev.cairn.model.metrics.proto.MetricsBatch.newBuilder()
            .setBucketLayout(DurationBuckets.LAYOUT);
    for (SpanSeries series : batch.spanSeries()) {
      out.addSpanSeries(
          dev.cairn.model.metrics.proto.SpanSeries.newBuilder()
              .setMinuteUnixNano(series.minuteUnixNano())
              .setService(series.service())
              .setOperation(series.operation())
              .setKind(series.kind().number())
              .setStatusCode(series.status().number())
              .setAggregate(encode(series.aggregate())));
    }
    for (EdgeSeries edge : batch.edgeSeries()) {
      out.addEdgeSeries(
          dev.cairn.model.metrics.proto.EdgeSeries.newBuilder()
              .setMinuteUnixNano(edge.minuteUnixNano())
              .setClient(edge.client())
              .setServer(edge.server())
              .setTypeValue(edge.type().number())
              .setErrors(edge.errors())
              .setAggregate(encode(edge.aggregate())));
    }
    return out.build().toByteArray();
  }

  /**
   * @throws MalformedRecordException when {@code value} is not such a message, or names a bucket
   *     layout, an edge type or ids this version does not know
   */
  public static MetricsBatch decode(byte[] value) {
    dev.cairn.model.metrics.proto.MetricsBatch in;
    try {
      in = dev.cairn.model.metrics.proto.MetricsBatch.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new MalformedRecordException("not a cairn.metrics.v1.MetricsBatch", e);
    }
    if (in.getBucketLayout() != DurationBuckets.LAYOUT) {
      throw malformed("unknown bucket layout " + in.getBucketLayout());
    }
    List<SpanSeries> spans = new ArrayList<>(in.getSpanSeriesCount());
    for (dev.cairn.model.metrics.proto.SpanSeries s : in.getSpanSeriesList()) {
      spans.add(
          new SpanSeries(
              s.getMinuteUnixNano(),
              s.getService(),
              s.getOperation(),
              SpanKind.forNumber(s.getKind()),
              StatusCode.forNumber(s.getStatusCode()),
              decode(s.getAggregate())));
    }
    List<EdgeSeries> edges = new ArrayList<>(in.getEdgeSeriesCount());
    for (dev.cairn.model.metrics.proto.EdgeSeries e : in.getEdgeSeriesList()) {
      EdgeType type;
      try {
        type = EdgeType.forNumber(e.getTypeValue());
      } catch (IllegalArgumentException unknown) {
        throw malformed(unknown.getMessage());
      }
      edges.add(
          new EdgeSeries(
              e.getMinuteUnixNano(),
              e.getClient(),
              e.getServer(),
              type,
              e.getErrors(),
              decode(e.getAggregate())));
    }
    return new MetricsBatch(spans, edges);
  }

  private static Aggregate encode(SeriesAggregate aggregate) {
    double[] buckets = aggregate.buckets();
    int first = 0;
    while (first < buckets.length && buckets[first] == 0) {
      first++;
    }
    int end = buckets.length;
    while (end > first && buckets[end - 1] == 0) {
      end--;
    }
    Aggregate.Builder out =
        Aggregate.newBuilder()
            .setCount(aggregate.count())
            .setSpans(aggregate.spans())
            .setDurationSumNanos(aggregate.durationSumNanos())
            .setFirstBucket(end > first ? first : 0);
    for (int i = first; i < end; i++) {
      out.addBucketCounts(buckets[i]);
    }
    aggregate
        .exemplar()
        .ifPresent(
            e ->
                out.setExemplar(
                    dev.cairn.model.metrics.proto.Exemplar.newBuilder()
                        .setTraceId(ByteString.copyFrom(e.traceId().toBytes()))
                        .setSpanId(ByteString.copyFrom(e.spanId().toBytes()))
                        .setDurationNanos(e.durationNanos())));
    return out.build();
  }

  private static SeriesAggregate decode(Aggregate in) {
    long end = (long) in.getFirstBucket() + in.getBucketCountsCount();
    if (end > DurationBuckets.COUNT) {
      throw malformed("buckets " + in.getFirstBucket() + " to " + (end - 1) + " out of range");
    }
    double[] buckets = new double[DurationBuckets.COUNT];
    for (int i = 0; i < in.getBucketCountsCount(); i++) {
      buckets[in.getFirstBucket() + i] = in.getBucketCounts(i);
    }
    Optional<Exemplar> exemplar = Optional.empty();
    if (in.hasExemplar()) {
      dev.cairn.model.metrics.proto.Exemplar e = in.getExemplar();
      if (e.getTraceId().size() != TraceId.BYTES || e.getSpanId().size() != SpanId.BYTES) {
        throw malformed("an exemplar needs a 16-byte trace id and an 8-byte span id");
      }
      exemplar =
          Optional.of(
              new Exemplar(
                  TraceId.fromBytes(e.getTraceId().toByteArray()),
                  SpanId.fromBytes(e.getSpanId().toByteArray()),
                  e.getDurationNanos()));
    }
    return new SeriesAggregate(
        in.getCount(), in.getSpans(), in.getDurationSumNanos(), buckets, exemplar);
  }

  private static MalformedRecordException malformed(String message) {
    return new MalformedRecordException(message, null);
  }
}
