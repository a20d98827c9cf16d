package dev.cairn.query.transport.http.otlp;

import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.InstrumentationScope;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.model.SpanEvent;
import dev.cairn.model.SpanLink;
import dev.cairn.query.transport.http.otlp.TraceDocument.AnyValue;
import dev.cairn.query.transport.http.otlp.TraceDocument.KeyValue;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps model spans to the OTLP JSON document. Spans sharing a resource and a scope are grouped
 * under one {@code ResourceSpans} / {@code ScopeSpans}, in order of first appearance, and keep
 * their order within a group.
 */
public final class TraceDocumentMapper {

  private TraceDocumentMapper() {}

  public static TraceDocument toDocument(List<Span> spans) {
    Map<Resource, Map<InstrumentationScope, List<Span>>> grouped = new LinkedHashMap<>();
    for (Span span : spans) {
      grouped
          .computeIfAbsent(span.resource(), r -> new LinkedHashMap<>())
          .computeIfAbsent(span.scope(), s -> new ArrayList<>())
          .add(span);
    }
    List<TraceDocument.ResourceSpans> resourceSpans = new ArrayList<>(grouped.size());
    grouped.forEach(
        (resource, byScope) -> {
          List<TraceDocument.ScopeSpans> scopeSpans = new ArrayList<>(byScope.size());
          byScope.forEach(
              (scope, scopeMembers) ->
                  scopeSpans.add(
                      new TraceDocument.ScopeSpans(
                          scope(scope),
                          scopeMembers.stream().map(TraceDocumentMapper::span).toList(),
                          scope.schemaUrl())));
          resourceSpans.add(
              new TraceDocument.ResourceSpans(
                  new TraceDocument.Resource(
                      keyValues(resource.attributes()), resource.droppedAttributesCount()),
                  scopeSpans,
                  resource.schemaUrl()));
        });
    return new TraceDocument(resourceSpans);
  }

  private static TraceDocument.Scope scope(InstrumentationScope scope) {
    return new TraceDocument.Scope(
        scope.name(),
        scope.version(),
        keyValues(scope.attributes()),
        scope.droppedAttributesCount());
  }

  private static TraceDocument.Span span(Span span) {
    return new TraceDocument.Span(
        span.traceId().toHex(),
        span.spanId().toHex(),
        span.traceState(),
        span.parentSpanId().map(id -> id.toHex()).orElse(null),
        span.flags(),
        span.name(),
        span.kind().number(),
        Long.toUnsignedString(span.startTimeUnixNano()),
        Long.toUnsignedString(span.endTimeUnixNano()),
        keyValues(span.attributes()),
        span.droppedAttributesCount(),
        span.events().stream().map(TraceDocumentMapper::event).toList(),
        span.droppedEventsCount(),
        span.links().stream().map(TraceDocumentMapper::link).toList(),
        span.droppedLinksCount(),
        new TraceDocument.Status(span.status().message(), span.status().code().number()));
  }

  private static TraceDocument.Event event(SpanEvent event) {
    return new TraceDocument.Event(
        Long.toUnsignedString(event.timeUnixNano()),
        event.name(),
        keyValues(event.attributes()),
        event.droppedAttributesCount());
  }

  private static TraceDocument.Link link(SpanLink link) {
    return new TraceDocument.Link(
        link.traceId().toHex(),
        link.spanId().toHex(),
        link.traceState(),
        keyValues(link.attributes()),
        link.droppedAttributesCount(),
        link.flags());
  }

  private static List<KeyValue> keyValues(List<Attribute> attributes) {
    return attributes.stream().map(a -> new KeyValue(a.key(), anyValue(a.value()))).toList();
  }

  static AnyValue anyValue(AttributeValue value) {
    if (value instanceof AttributeValue.StringValue v) {
      return new AnyValue(v.value(), null, null, null, null, null, null);
    } else if (value instanceof AttributeValue.BoolValue v) {
      return new AnyValue(null, v.value(), null, null, null, null, null);
    } else if (value instanceof AttributeValue.IntValue v) {
      return new AnyValue(null, null, Long.toString(v.value()), null, null, null, null);
    } else if (value instanceof AttributeValue.DoubleValue v) {
      return new AnyValue(null, null, null, v.value(), null, null, null);
    } else if (value instanceof AttributeValue.BytesValue v) {
      return new AnyValue(
          null, null, null, null, Base64.getEncoder().encodeToString(v.value()), null, null);
    } else if (value instanceof AttributeValue.ArrayValue v) {
      return new AnyValue(
          null,
          null,
          null,
          null,
          null,
          new TraceDocument.ArrayValue(
              v.values().stream().map(TraceDocumentMapper::anyValue).toList()),
          null);
    } else if (value instanceof AttributeValue.KeyValueList v) {
      return new AnyValue(
          null,
          null,
          null,
          null,
          null,
          null,
          new TraceDocument.KeyValueList(keyValues(v.values())));
    }
    return new AnyValue(null, null, null, null, null, null, null);
  }
}
