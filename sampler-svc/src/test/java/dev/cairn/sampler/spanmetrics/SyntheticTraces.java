package dev.cairn.sampler.spanmetrics;

import com.google.protobuf.ByteString;
import dev.cairn.model.TraceId;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded stream of traces over a small shop: {@code frontend} serves {@code GET /checkout} (half
 * the traces) through {@code checkout} to {@code payments} (which fails 30 % of the time, the
 * failure propagating up) and {@code GET /search} (the other half) through {@code search} (30 %
 * failures, up to the root) and its database ({@code search-db}, a virtual peer). Durations are
 * log-normal. Every span gets the given tracestate, so a caller can stamp the head-sampling
 * threshold on kept traces.
 */
final class SyntheticTraces {

  /** One second into a minute: 250,000 traces 0.1 ms apart stay inside it. */
  private static final long START =
      1_764_000_000_000_000_000L / 60_000_000_000L * 60_000_000_000L + 1_000_000_000L;

  private static final long MS = 1_000_000L;

  private final SplittableRandom random;
  private long clock = START;

  SyntheticTraces(long seed) {
    this.random = new SplittableRandom(seed);
  }

  TraceId nextId() {
    return new TraceId(random.nextLong(), random.nextLong() | 1);
  }

  /** The trace {@code id}, spans stamped with {@code traceState}; 0.1 ms after the last. */
  TracesData trace(TraceId id, String traceState) {
    clock += 100_000;
    Builder trace = new Builder(id, traceState);
    long start = clock;
    if (random.nextBoolean()) {
      boolean declined = random.nextDouble() < 0.3;
      long charge = duration(40 * MS);
      long orders = charge + duration(5 * MS);
      long root = orders + duration(2 * MS);
      Span r =
          trace.span(
              "frontend",
              "GET /checkout",
              Span.SpanKind.SPAN_KIND_SERVER,
              null,
              start,
              root,
              declined);
      Span c =
          trace.span(
              "frontend",
              "POST /orders",
              Span.SpanKind.SPAN_KIND_CLIENT,
              r,
              start + MS,
              orders + MS,
              declined);
      Span s =
          trace.span(
              "checkout",
              "POST /orders",
              Span.SpanKind.SPAN_KIND_SERVER,
              c,
              start + MS,
              orders,
              declined);
      Span cc =
          trace.span(
              "checkout",
              "POST /charge",
              Span.SpanKind.SPAN_KIND_CLIENT,
              s,
              start + 2 * MS,
              charge + MS,
              declined);
      trace.span(
          "payments",
          "POST /charge",
          Span.SpanKind.SPAN_KIND_SERVER,
          cc,
          start + 2 * MS,
          charge,
          declined);
    } else {
      boolean failed = random.nextDouble() < 0.3;
      long query = duration(3 * MS);
      long search = query + duration(8 * MS);
      long root = search + duration(MS);
      Span r =
          trace.span(
              "frontend", "GET /search", Span.SpanKind.SPAN_KIND_SERVER, null, start, root, failed);
      Span c =
          trace.span(
              "frontend",
              "GET /query",
              Span.SpanKind.SPAN_KIND_CLIENT,
              r,
              start,
              search + MS / 2,
              failed);
      Span s =
          trace.span(
              "search", "GET /query", Span.SpanKind.SPAN_KIND_SERVER, c, start, search, failed);
      trace.span("search", "SELECT docs", Span.SpanKind.SPAN_KIND_CLIENT, s, start, query, false);
      trace.peer("search-db");
    }
    return trace.build();
  }

  /** Log-normal around {@code median} (sigma 0.5). */
  private long duration(long median) {
    double gaussian =
        Math.sqrt(-2 * Math.log(1 - random.nextDouble()))
            * Math.cos(2 * Math.PI * random.nextDouble());
    return Math.max(1, (long) (median * Math.exp(0.5 * gaussian)));
  }

  private final class Builder {
    private final ByteString traceId;
    private final String traceState;
    private final Map<String, ScopeSpans.Builder> byService = new LinkedHashMap<>();
    private ScopeSpans.Builder last;

    Builder(TraceId id, String traceState) {
      this.traceId = ByteString.copyFrom(id.toBytes());
      this.traceState = traceState;
    }

    Span span(
        String service,
        String name,
        Span.SpanKind kind,
        Span parent,
        long start,
        long durationNanos,
        boolean error) {
      Span.Builder span =
          Span.newBuilder()
              .setTraceId(traceId)
              .setSpanId(
                  ByteString.copyFrom(
                      ByteBuffer.allocate(8).putLong(random.nextLong() | 1).array()))
              .setTraceState(traceState)
              .setName(name)
              .setKind(kind)
              .setStartTimeUnixNano(start)
              .setEndTimeUnixNano(start + durationNanos);
      if (parent != null) {
        span.setParentSpanId(parent.getSpanId());
      }
      if (error) {
        span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
      }
      last = byService.computeIfAbsent(service, s -> ScopeSpans.newBuilder());
      Span built = span.build();
      last.addSpans(built);
      return built;
    }

    /** Names the peer of the last span added (a client span with no child). */
    void peer(String peer) {
      int at = last.getSpansCount() - 1;
      last.setSpans(
          at,
          last.getSpans(at).toBuilder()
              .addAttributes(
                  KeyValue.newBuilder()
                      .setKey("peer.service")
                      .setValue(AnyValue.newBuilder().setStringValue(peer))));
    }

    TracesData build() {
      TracesData.Builder data = TracesData.newBuilder();
      byService.forEach(
          (service, spans) ->
              data.addResourceSpans(
                  ResourceSpans.newBuilder()
                      .setResource(
                          Resource.newBuilder()
                              .addAttributes(
                                  KeyValue.newBuilder()
                                      .setKey("service.name")
                                      .setValue(AnyValue.newBuilder().setStringValue(service))))
                      .addScopeSpans(spans)));
      return data.build();
    }
  }
}
