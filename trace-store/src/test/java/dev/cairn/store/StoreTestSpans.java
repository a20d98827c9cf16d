package dev.cairn.store;

import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.InstrumentationScope;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.SpanEvent;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.SpanLink;
import dev.cairn.model.SpanStatus;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Minimal spans for store tests, with random ids so that concurrent runs never collide. (To be
 * replaced by trace-model's SpanFixtures once it is published.)
 */
public final class StoreTestSpans {

  private StoreTestSpans() {}

  public static TraceId randomTraceId() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    return new TraceId(random.nextLong() | 1L << 40, random.nextLong() | 1L);
  }

  public static SpanId randomSpanId() {
    return new SpanId(ThreadLocalRandom.current().nextLong() | 1L << 20);
  }

  public static Resource resource(String service) {
    return new Resource(
        List.of(Attribute.of(Resource.SERVICE_NAME, service), Attribute.of("host.name", "h1")),
        0,
        "");
  }

  /** A plain span: no attributes, events or links; status unset. */
  public static Span span(
      TraceId traceId,
      SpanId spanId,
      Optional<SpanId> parent,
      String service,
      String name,
      long startNanos,
      long durationNanos) {
    return new Span(
        traceId,
        spanId,
        parent,
        "",
        1,
        name,
        SpanKind.SERVER,
        startNanos,
        startNanos + durationNanos,
        List.of(),
        0,
        List.of(),
        0,
        List.of(),
        0,
        SpanStatus.UNSET,
        resource(service),
        InstrumentationScope.EMPTY);
  }

  public static Span withAttributes(Span span, List<Attribute> attributes) {
    return copy(span, attributes, span.status(), span.resource());
  }

  public static Span withResource(Span span, Resource resource) {
    return copy(span, span.attributes(), span.status(), resource);
  }

  public static Span withStatus(Span span, SpanStatus status) {
    return copy(span, span.attributes(), status, span.resource());
  }

  private static Span copy(
      Span span, List<Attribute> attributes, SpanStatus status, Resource resource) {
    return new Span(
        span.traceId(),
        span.spanId(),
        span.parentSpanId(),
        span.traceState(),
        span.flags(),
        span.name(),
        span.kind(),
        span.startTimeUnixNano(),
        span.endTimeUnixNano(),
        attributes,
        span.droppedAttributesCount(),
        span.events(),
        span.droppedEventsCount(),
        span.links(),
        span.droppedLinksCount(),
        status,
        resource,
        span.scope());
  }

  /** Every attribute type OTLP has, including the awkward values. */
  public static List<Attribute> everyAttributeType() {
    return List.of(
        Attribute.of("string", "héllo \"quoted\" \\ tab\tnew\nline"),
        Attribute.of("string.nul", "a\0b"),
        Attribute.of("string.empty", ""),
        new Attribute("bool", AttributeValue.of(true)),
        Attribute.of("int", Long.MIN_VALUE),
        Attribute.of("int.max", Long.MAX_VALUE),
        new Attribute("double", AttributeValue.of(0.1)),
        new Attribute("double.nan", AttributeValue.of(Double.NaN)),
        new Attribute("double.negzero", AttributeValue.of(-0.0)),
        new Attribute("double.inf", AttributeValue.of(Double.NEGATIVE_INFINITY)),
        new Attribute("bytes", new AttributeValue.BytesValue(new byte[] {0, 1, -1, 127})),
        new Attribute(
            "array",
            new AttributeValue.ArrayValue(
                List.of(
                    AttributeValue.of("x"),
                    AttributeValue.of(2),
                    new AttributeValue.ArrayValue(List.of(AttributeValue.of(false)))))),
        new Attribute(
            "kvlist",
            new AttributeValue.KeyValueList(
                List.of(
                    Attribute.of("inner", 7),
                    new Attribute("nested", new AttributeValue.KeyValueList(List.of()))))),
        new Attribute("empty", new AttributeValue.Empty()),
        Attribute.of("int", 42)); // duplicate key kept as sent
  }

  /** A span using every field: attributes of all types, events, links, status, scope, resource. */
  public static Span fullSpan(TraceId traceId, String service, long startNanos) {
    SpanId id = randomSpanId();
    return new Span(
        traceId,
        id,
        Optional.of(randomSpanId()),
        "ot=th:c;rv:abcdef",
        0x301,
        "GET /orders/{id}",
        SpanKind.CLIENT,
        startNanos + 123,
        startNanos + 5_000_789,
        everyAttributeType(),
        3,
        List.of(
            new SpanEvent(
                startNanos + 1_000_001,
                "exception",
                List.of(Attribute.of("exception.type", "java.io.IOException")),
                1),
            new SpanEvent(startNanos + 2_000_002, "retry", List.of(), 0)),
        2,
        List.of(
            new SpanLink(
                randomTraceId(),
                randomSpanId(),
                "k=v",
                List.of(Attribute.of("link.kind", "follows")),
                4,
                1)),
        5,
        new SpanStatus(StatusCode.ERROR, "boom: timeout"),
        new Resource(
            List.of(
                Attribute.of(Resource.SERVICE_NAME, service),
                Attribute.of("k8s.pod.name", "orders-7d9"),
                new Attribute("process.pid", AttributeValue.of(4321))),
            6,
            "https://opentelemetry.io/schemas/1.24.0"),
        new InstrumentationScope(
            "io.opentelemetry.okhttp",
            "1.2.3",
            List.of(Attribute.of("scope.attr", "s")),
            7,
            "https://opentelemetry.io/schemas/1.21.0"));
  }
}
