package dev.cairn.sampler.spanmetrics;

import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.model.metrics.EdgeSeries;
import dev.cairn.model.metrics.EdgeType;
import dev.cairn.model.metrics.Exemplar;
import dev.cairn.model.metrics.MetricsBatch;
import dev.cairn.model.metrics.MetricsWireCodec;
import dev.cairn.model.metrics.Minutes;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.metrics.SpanSeries;
import dev.cairn.sampler.CompletedTraceObserver;
import dev.cairn.sampler.spanmetrics.SpanMetricsCounters.SeriesFamily;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Span metrics and the service graph from complete traces, before their tail decision, so that
 * dropped traces count too. Per minute of span start: RED series per (service, operation, span
 * kind, status code) and service edges ({@link ServiceEdges}), every count weighted by the span's
 * adjusted count, so that the figures stay unbiased under head sampling. {@link #drain()} turns
 * what accumulated into deltas for the metrics topic, one record per service (key = the service, so
 * every delta of a series lands on one partition), at most {@code seriesPerRecord} series each.
 *
 * <p>Bounded: at most {@code maxSeries} span series and as many edge series between drains; a span
 * of any further series is folded into its minute's overflow series (service and operation {@value
 * #OTHER}), counted; past {@code maxOverflowSeries} overflow series it is dropped, counted. Pure
 * (no I/O) and single-threaded, as {@link CompletedTraceObserver} is called. When the caller aborts
 * the transaction a drain went into, the traces are observed again on replay: nothing is lost or
 * counted twice as long as what was observed since the last drain is drained (and thrown away)
 * before the replay.
 */
public final class SpanMetricsAggregator implements CompletedTraceObserver {

  /** Service and operation (or client and server) of the overflow series. */
  public static final String OTHER = "__other__";

  /** Longest service, operation or peer name kept; longer ones are cut. */
  public static final int MAX_NAME_LENGTH = 256;

  private final String topic;
  private final SpanMetricsLimits limits;
  private final TraceSpanReader reader = new TraceSpanReader(MAX_NAME_LENGTH);
  private final BoundedSeries<SpanKey, SeriesAggregate.Builder> spanSeries;
  private final BoundedSeries<EdgeKey, EdgeAccumulator> edgeSeries;

  public SpanMetricsAggregator(
      String topic, SpanMetricsLimits limits, SpanMetricsCounters counters) {
    this.topic = topic;
    this.limits = limits;
    this.spanSeries =
        new BoundedSeries<>(
            limits,
            SeriesFamily.SPAN,
            counters,
            SeriesAggregate::builder,
            key -> new SpanKey(key.minute(), OTHER, OTHER, key.kind(), key.status()));
    this.edgeSeries =
        new BoundedSeries<>(
            limits,
            SeriesFamily.EDGE,
            counters,
            EdgeAccumulator::new,
            key -> new EdgeKey(key.minute(), OTHER, OTHER, key.type()));
  }

  @Override
  public void observe(TraceId traceId, List<TracesData> parts) {
    Map<Long, ObservedSpan> spans = reader.read(parts);
    for (ObservedSpan span : spans.values()) {
      long minute = Minutes.of(span.startUnixNano());
      SpanKey key = new SpanKey(minute, span.service(), span.name(), span.kind(), span.status());
      SeriesAggregate.Builder series = spanSeries.get(key);
      if (series != null) {
        series.add(span.weight(), span.durationNanos(), exemplar(traceId, span));
      }
    }
    for (ServiceEdges.Edge edge : ServiceEdges.of(spans, MAX_NAME_LENGTH)) {
      EdgeKey key =
          new EdgeKey(
              Minutes.of(edge.caller().startUnixNano()), edge.client(), edge.server(), edge.type());
      EdgeAccumulator series = edgeSeries.get(key);
      if (series != null) {
        double weight = edge.caller().weight();
        series.aggregate.add(
            weight, edge.measured().durationNanos(), exemplar(traceId, edge.measured()));
        if (edge.error()) {
          series.errors += weight;
        }
      }
    }
  }

  @Override
  public List<OutboundRecord> drain() {
    Map<String, List<SpanSeries>> spansByService = new TreeMap<>();
    spanSeries
        .drain()
        .forEach(
            (key, series) ->
                spansByService
                    .computeIfAbsent(key.service(), s -> new ArrayList<>())
                    .add(
                        new SpanSeries(
                            key.minute(),
                            key.service(),
                            key.operation(),
                            key.kind(),
                            key.status(),
                            series.build())));
    Map<String, List<EdgeSeries>> edgesByClient = new TreeMap<>();
    edgeSeries
        .drain()
        .forEach(
            (key, series) ->
                edgesByClient
                    .computeIfAbsent(key.client(), s -> new ArrayList<>())
                    .add(
                        new EdgeSeries(
                            key.minute(),
                            key.client(),
                            key.server(),
                            key.type(),
                            series.errors,
                            series.aggregate.build())));
    List<OutboundRecord> records = new ArrayList<>();
    Set<String> services = new TreeSet<>(spansByService.keySet());
    services.addAll(edgesByClient.keySet());
    for (String service : services) {
      records.addAll(
          records(
              service,
              spansByService.getOrDefault(service, List.of()),
              edgesByClient.getOrDefault(service, List.of())));
    }
    return records;
  }

  /** One service's series, cut into records of at most {@code seriesPerRecord} series. */
  private List<OutboundRecord> records(
      String service, List<SpanSeries> spans, List<EdgeSeries> edges) {
    List<OutboundRecord> out = new ArrayList<>();
    byte[] key = MetricsWireCodec.key(service);
    int per = limits.seriesPerRecord();
    int spanAt = 0;
    int edgeAt = 0;
    while (spanAt < spans.size() || edgeAt < edges.size()) {
      int spanEnd = Math.min(spans.size(), spanAt + per);
      int edgeEnd = Math.min(edges.size(), edgeAt + per - (spanEnd - spanAt));
      MetricsBatch batch =
          new MetricsBatch(spans.subList(spanAt, spanEnd), edges.subList(edgeAt, edgeEnd));
      out.add(new OutboundRecord(topic, key, MetricsWireCodec.encode(batch)));
      spanAt = spanEnd;
      edgeAt = edgeEnd;
    }
    return out;
  }

  private static Exemplar exemplar(TraceId traceId, ObservedSpan span) {
    return new Exemplar(traceId, new SpanId(span.spanId()), span.durationNanos());
  }

  private record SpanKey(
      long minute, String service, String operation, SpanKind kind, StatusCode status) {}

  private record EdgeKey(long minute, String client, String server, EdgeType type) {}

  private static final class EdgeAccumulator {
    private final SeriesAggregate.Builder aggregate = SeriesAggregate.builder();
    private double errors;
  }
}
