package dev.cairn.collector.zipkin;

import com.google.protobuf.ByteString;
import dev.cairn.collector.zipkin.ZipkinSpan.Kind;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Zipkin v2 spans to one OTLP export request, pure and deterministic: one resource per local
 * service ({@code service.name} = {@code localEndpoint.serviceName}), one scope per {@code
 * otel.scope.*} tag pair, spans in the order received. The rest follows the OpenTelemetry
 * Collector's Zipkin receiver ({@link ZipkinTags}, {@link ZipkinAnnotations}), except where noted:
 *
 * <ul>
 *   <li>times: microseconds to nanoseconds, end = start + duration. A span without a timestamp
 *       starts at 0 and is rejected as {@code timestamp_out_of_range} (the Collector stores it at
 *       1970 instead).
 *   <li>kind: no kind is INTERNAL, as Zipkin means local work by it and OpenTelemetry's exporter
 *       sends INTERNAL spans without one (the Collector says UNSPECIFIED).
 *   <li>shared: the server half of an RPC that reuses the client's span id (B3 "join", Brave's
 *       default) gets an id of its own, derived from the trace and span ids, and the client span as
 *       parent; spans of the same request and service that name the shared id as their parent are
 *       moved under the new id. OTLP ids are unique in a trace, and storage keeps one row per id
 *       and start time.
 * </ul>
 */
public final class ZipkinSpanMapper {

  private ZipkinSpanMapper() {}

  public static ExportTraceServiceRequest toRequest(List<ZipkinSpan> spans) {
    Map<SpanKey, ByteString> sharedIds = sharedServerIds(spans);
    Map<String, Map<ScopeKey, ScopeSpans.Builder>> byService = new LinkedHashMap<>();
    for (ZipkinSpan zipkin : spans) {
      ZipkinTags tags = ZipkinTags.of(zipkin);
      String service = zipkin.localEndpoint().serviceName();
      byService
          .computeIfAbsent(service, s -> new LinkedHashMap<>())
          .computeIfAbsent(
              new ScopeKey(tags.scopeName(), tags.scopeVersion()),
              scope ->
                  ScopeSpans.newBuilder()
                      .setScope(
                          InstrumentationScope.newBuilder()
                              .setName(scope.name())
                              .setVersion(scope.version())))
          .addSpans(span(zipkin, tags, sharedIds));
    }
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    byService.forEach(
        (service, scopes) -> {
          ResourceSpans.Builder resource =
              ResourceSpans.newBuilder().setResource(resource(service));
          scopes.values().forEach(resource::addScopeSpans);
          request.addResourceSpans(resource);
        });
    return request.build();
  }

  /** Epoch microseconds to nanoseconds, saturating (a time that far out is rejected anyway). */
  static long nanos(long micros) {
    return micros > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : micros * 1000;
  }

  private static Span span(ZipkinSpan zipkin, ZipkinTags tags, Map<SpanKey, ByteString> sharedIds) {
    String service = zipkin.localEndpoint().serviceName();
    ByteString id = zipkin.id();
    ByteString parentId = zipkin.parentId();
    ByteString ownId = sharedIds.get(new SpanKey(zipkin.traceId(), id, service));
    if (zipkin.shared() && ownId != null) {
      parentId = id;
      id = ownId;
    } else {
      parentId = sharedIds.getOrDefault(new SpanKey(zipkin.traceId(), parentId, service), parentId);
    }
    if (parentId.equals(id)) {
      parentId = ByteString.EMPTY; // Zipkin drops a span's parent that is itself
    }
    long start = nanos(zipkin.timestampMicros());
    long end = start + Math.min(nanos(zipkin.durationMicros()), Long.MAX_VALUE - start);
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(zipkin.traceId())
            .setSpanId(id)
            .setParentSpanId(parentId)
            .setTraceState(tags.traceState())
            .setName(zipkin.name())
            .setKind(kind(zipkin.kind()))
            .setStartTimeUnixNano(start)
            .setEndTimeUnixNano(end)
            .addAllAttributes(tags.attributes())
            .setDroppedAttributesCount(tags.droppedAttributes())
            .setDroppedEventsCount(tags.droppedEvents())
            .setStatus(tags.status());
    zipkin.annotations().forEach(a -> span.addEvents(ZipkinAnnotations.toEvent(a)));
    return span.build();
  }

  private static SpanKind kind(Kind kind) {
    return switch (kind) {
      case ABSENT -> SpanKind.SPAN_KIND_INTERNAL;
      case CLIENT -> SpanKind.SPAN_KIND_CLIENT;
      case SERVER -> SpanKind.SPAN_KIND_SERVER;
      case PRODUCER -> SpanKind.SPAN_KIND_PRODUCER;
      case CONSUMER -> SpanKind.SPAN_KIND_CONSUMER;
      case UNKNOWN -> SpanKind.SPAN_KIND_UNSPECIFIED;
    };
  }

  private static Resource resource(String service) {
    Resource.Builder resource = Resource.newBuilder();
    if (!service.isEmpty()) {
      resource.addAttributes(
          KeyValue.newBuilder()
              .setKey("service.name")
              .setValue(AnyValue.newBuilder().setStringValue(service)));
    }
    return resource.build();
  }

  /** The own id of every shared non-client span of the request, by trace, shared id and service. */
  private static Map<SpanKey, ByteString> sharedServerIds(List<ZipkinSpan> spans) {
    Map<SpanKey, ByteString> ids = new HashMap<>();
    for (ZipkinSpan span : spans) {
      // Zipkin's model ignores shared on a client span; an invalid id is rejected later anyway.
      if (span.shared() && span.kind() != Kind.CLIENT && span.id().size() == 8) {
        ids.put(
            new SpanKey(span.traceId(), span.id(), span.localEndpoint().serviceName()),
            derivedSpanId(span.traceId(), span.id()));
      }
    }
    return ids;
  }

  /**
   * A span id of its own for the server half of a shared span: a SplitMix64-style mix of the trace
   * and span ids, so that a retried or replayed request maps to the same id (storage writes are
   * idempotent by id) and a collision with another id of the trace is as unlikely as with any
   * random id.
   */
  static ByteString derivedSpanId(ByteString traceId, ByteString spanId) {
    long x = spanId.asReadOnlyByteBuffer().getLong();
    ByteBuffer trace = traceId.asReadOnlyByteBuffer();
    while (trace.remaining() >= Long.BYTES) {
      x = mix(x ^ trace.getLong());
    }
    x = mix(x + 0x9e3779b97f4a7c15L);
    return ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(x == 0 ? 1 : x).array());
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private record SpanKey(ByteString traceId, ByteString spanId, String service) {}

  private record ScopeKey(String name, String version) {}
}
