package dev.cairn.query.trace;

import dev.cairn.model.Attribute;
import dev.cairn.model.InstrumentationScope;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.SpanEvent;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.SpanStatus;
import dev.cairn.model.TraceId;
import dev.cairn.store.TraceSpans;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Hand-built traces for the analysis tests: times in milliseconds from 0, ids from small ints. */
final class Spans {

  static final TraceId TRACE = TraceId.fromHex("0af7651916cd43dd8448eb211c80319c");
  static final long MS = 1_000_000L;

  private Spans() {}

  static SpanId id(int n) {
    return new SpanId(n);
  }

  /** A span of {@code host} (resource attribute host.name), no parent. */
  static Span root(int id, String host, long startMs, long endMs) {
    return span(id, 0, host, SpanKind.SERVER, startMs, endMs);
  }

  static Span child(int id, int parent, String host, long startMs, long endMs) {
    return span(id, parent, host, SpanKind.INTERNAL, startMs, endMs);
  }

  /** parent 0 = root. Times in ms. */
  static Span span(int id, int parent, String host, SpanKind kind, long startMs, long endMs) {
    return spanNanos(id, parent, host, kind, startMs * MS, endMs * MS);
  }

  static Span spanNanos(int id, int parent, String host, SpanKind kind, long start, long end) {
    List<Attribute> resource = new ArrayList<>();
    resource.add(Attribute.of(Resource.SERVICE_NAME, "svc-" + host));
    if (!host.isEmpty()) {
      resource.add(Attribute.of("host.name", host));
    }
    return new Span(
        TRACE,
        id(id),
        parent == 0 ? Optional.empty() : Optional.of(id(parent)),
        "",
        1,
        "op-" + id,
        kind,
        start,
        end,
        List.of(),
        0,
        List.of(new SpanEvent(start, "started", List.of(), 0)),
        0,
        List.of(),
        0,
        SpanStatus.UNSET,
        new Resource(resource, 0, ""),
        InstrumentationScope.EMPTY);
  }

  /** As the reader returns them: ordered by start, then span id. */
  static TraceSpans read(Span... spans) {
    List<Span> sorted = new ArrayList<>(Arrays.asList(spans));
    sorted.sort(
        Comparator.comparingLong(Span::startTimeUnixNano)
            .thenComparingLong(s -> s.spanId().value()));
    return new TraceSpans(sorted, false, sorted.size());
  }

  private static final TraceAnalyzer ANALYZER =
      new TraceAnalyzer(new ClockSkewAdjuster(Duration.ofSeconds(1)));

  /** Analysed with clock-skew adjustment, at most 1 s. */
  static TraceView analyze(TraceSpans spans) {
    return ANALYZER.analyze(TRACE, spans, true);
  }

  static SpanView view(TraceView trace, int id) {
    return trace.span(id(id)).orElseThrow();
  }
}
