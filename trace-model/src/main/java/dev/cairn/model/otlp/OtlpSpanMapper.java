package dev.cairn.model.otlp;

import com.google.protobuf.ByteString;
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
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import io.opentelemetry.proto.trace.v1.TracesData;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Pure mapping between OTLP protobuf and Cairn's {@link Span} model, both ways. Ids are not
 * validated here (the collector validates on ingest); mapping a span and back gives an equal
 * message, up to the grouping of spans under resources and scopes.
 *
 * <p>Mapped: every field of Span (ids, trace_state, flags, name, kind, times, attributes, events,
 * links, status, dropped counts), of Resource (attributes, dropped count; the schema URL of its
 * ResourceSpans) and of InstrumentationScope (name, version, attributes, dropped count; the schema
 * URL of its ScopeSpans), with AnyValue of every kind, recursively. Not mapped: Resource {@code
 * entity_refs} (still in development in OTLP and absent from the model). An empty parent span id
 * means a root span. Span kinds and status codes unknown to the model map to UNSPECIFIED / UNSET.
 *
 * <p>On the storage hot path: a resource and a scope are converted once per ResourceSpans /
 * ScopeSpans and shared by all their spans.
 */
public final class OtlpSpanMapper {

  private OtlpSpanMapper() {}

  /** Flattens resource / scope / span nesting into model spans, in message order. */
  public static List<Span> toSpans(TracesData data) {
    return toSpans(data.getResourceSpansList());
  }

  /**
   * Flattens resource / scope / span nesting into model spans, in message order.
   *
   * @throws IllegalArgumentException when a trace id is not 16 bytes, or a span id (or a non-empty
   *     parent span id) is not 8 bytes
   */
  public static List<Span> toSpans(List<ResourceSpans> resourceSpans) {
    int count = 0;
    for (ResourceSpans rs : resourceSpans) {
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        count += ss.getSpansCount();
      }
    }
    List<Span> spans = new ArrayList<>(count);
    for (ResourceSpans rs : resourceSpans) {
      Resource resource = toResource(rs);
      for (ScopeSpans ss : rs.getScopeSpansList()) {
        InstrumentationScope scope = toScope(ss);
        for (io.opentelemetry.proto.trace.v1.Span span : ss.getSpansList()) {
          spans.add(toSpan(span, resource, scope));
        }
      }
    }
    return spans;
  }

  /** One OTLP span with the resource and scope it arrived under. */
  public static Span toSpan(
      io.opentelemetry.proto.trace.v1.Span span, Resource resource, InstrumentationScope scope) {
    ByteString parent = span.getParentSpanId();
    return new Span(
        traceId(span.getTraceId(), "trace id"),
        spanId(span.getSpanId(), "span id"),
        parent.isEmpty() ? Optional.empty() : Optional.of(spanId(parent, "parent span id")),
        span.getTraceState(),
        span.getFlags(),
        span.getName(),
        SpanKind.forNumber(span.getKindValue()),
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        toAttributes(span.getAttributesList()),
        span.getDroppedAttributesCount(),
        toEvents(span.getEventsList()),
        span.getDroppedEventsCount(),
        toLinks(span.getLinksList()),
        span.getDroppedLinksCount(),
        toStatus(span.getStatus()),
        resource,
        scope);
  }

  /** The resource of a ResourceSpans, with the ResourceSpans' schema URL. */
  public static Resource toResource(ResourceSpans resourceSpans) {
    io.opentelemetry.proto.resource.v1.Resource resource = resourceSpans.getResource();
    String schemaUrl = resourceSpans.getSchemaUrl();
    if (resource.getAttributesCount() == 0
        && resource.getDroppedAttributesCount() == 0
        && schemaUrl.isEmpty()) {
      return Resource.EMPTY;
    }
    return new Resource(
        toAttributes(resource.getAttributesList()),
        resource.getDroppedAttributesCount(),
        schemaUrl);
  }

  /** The scope of a ScopeSpans, with the ScopeSpans' schema URL. */
  public static InstrumentationScope toScope(ScopeSpans scopeSpans) {
    io.opentelemetry.proto.common.v1.InstrumentationScope scope = scopeSpans.getScope();
    String schemaUrl = scopeSpans.getSchemaUrl();
    if (scope.getName().isEmpty()
        && scope.getVersion().isEmpty()
        && scope.getAttributesCount() == 0
        && scope.getDroppedAttributesCount() == 0
        && schemaUrl.isEmpty()) {
      return InstrumentationScope.EMPTY;
    }
    return new InstrumentationScope(
        scope.getName(),
        scope.getVersion(),
        toAttributes(scope.getAttributesList()),
        scope.getDroppedAttributesCount(),
        schemaUrl);
  }

  /** OTLP key-values as model attributes, in order. */
  public static List<Attribute> toAttributes(List<KeyValue> keyValues) {
    int size = keyValues.size();
    if (size == 0) {
      return List.of();
    }
    Attribute[] attributes = new Attribute[size];
    for (int i = 0; i < size; i++) {
      KeyValue kv = keyValues.get(i);
      attributes[i] = new Attribute(kv.getKey(), toValue(kv.getValue()));
    }
    return List.of(attributes);
  }

  /** An OTLP AnyValue of any kind, recursively; an AnyValue with nothing set is {@code Empty}. */
  public static AttributeValue toValue(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> new AttributeValue.StringValue(value.getStringValue());
      case BOOL_VALUE -> new AttributeValue.BoolValue(value.getBoolValue());
      case INT_VALUE -> new AttributeValue.IntValue(value.getIntValue());
      case DOUBLE_VALUE -> new AttributeValue.DoubleValue(value.getDoubleValue());
      case BYTES_VALUE -> new AttributeValue.BytesValue(value.getBytesValue().toByteArray());
      case ARRAY_VALUE -> {
        List<AnyValue> items = value.getArrayValue().getValuesList();
        AttributeValue[] values = new AttributeValue[items.size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = toValue(items.get(i));
        }
        yield new AttributeValue.ArrayValue(List.of(values));
      }
      case KVLIST_VALUE ->
          new AttributeValue.KeyValueList(toAttributes(value.getKvlistValue().getValuesList()));
      case VALUE_NOT_SET -> EMPTY_VALUE;
    };
  }

  private static final AttributeValue EMPTY_VALUE = new AttributeValue.Empty();

  private static List<SpanEvent> toEvents(List<io.opentelemetry.proto.trace.v1.Span.Event> events) {
    if (events.isEmpty()) {
      return List.of();
    }
    SpanEvent[] out = new SpanEvent[events.size()];
    for (int i = 0; i < out.length; i++) {
      io.opentelemetry.proto.trace.v1.Span.Event event = events.get(i);
      out[i] =
          new SpanEvent(
              event.getTimeUnixNano(),
              event.getName(),
              toAttributes(event.getAttributesList()),
              event.getDroppedAttributesCount());
    }
    return List.of(out);
  }

  private static List<SpanLink> toLinks(List<io.opentelemetry.proto.trace.v1.Span.Link> links) {
    if (links.isEmpty()) {
      return List.of();
    }
    SpanLink[] out = new SpanLink[links.size()];
    for (int i = 0; i < out.length; i++) {
      io.opentelemetry.proto.trace.v1.Span.Link link = links.get(i);
      out[i] =
          new SpanLink(
              traceId(link.getTraceId(), "link trace id"),
              spanId(link.getSpanId(), "link span id"),
              link.getTraceState(),
              toAttributes(link.getAttributesList()),
              link.getDroppedAttributesCount(),
              link.getFlags());
    }
    return List.of(out);
  }

  private static SpanStatus toStatus(Status status) {
    if (status.getCodeValue() == 0 && status.getMessage().isEmpty()) {
      return SpanStatus.UNSET;
    }
    return new SpanStatus(StatusCode.forNumber(status.getCodeValue()), status.getMessage());
  }

  private static TraceId traceId(ByteString bytes, String what) {
    if (bytes.size() != TraceId.BYTES) {
      throw new IllegalArgumentException(
          what + " must be " + TraceId.BYTES + " bytes, got " + bytes.size());
    }
    ByteBuffer buffer = bytes.asReadOnlyByteBuffer();
    return new TraceId(buffer.getLong(), buffer.getLong());
  }

  private static SpanId spanId(ByteString bytes, String what) {
    if (bytes.size() != SpanId.BYTES) {
      throw new IllegalArgumentException(
          what + " must be " + SpanId.BYTES + " bytes, got " + bytes.size());
    }
    return new SpanId(bytes.asReadOnlyByteBuffer().getLong());
  }

  // ---------------------------------------------------------------- model -> OTLP

  /**
   * Groups spans that share an equal resource and an equal scope back under one ResourceSpans /
   * ScopeSpans, in order of first appearance; spans keep their relative order.
   */
  public static TracesData toTracesData(List<Span> spans) {
    Map<Resource, ResourceGroup> groups = new LinkedHashMap<>();
    // Spans of one batch usually share resource and scope instances: skip hashing then.
    Resource lastResource = null;
    ResourceGroup lastGroup = null;
    for (Span span : spans) {
      Resource resource = span.resource();
      ResourceGroup group;
      if (resource == lastResource) {
        group = lastGroup;
      } else {
        group = groups.computeIfAbsent(resource, ResourceGroup::new);
        lastResource = resource;
        lastGroup = group;
      }
      group.scopeBuilder(span.scope()).addSpans(toOtlpSpan(span));
    }
    TracesData.Builder data = TracesData.newBuilder();
    for (ResourceGroup group : groups.values()) {
      data.addResourceSpans(group.build());
    }
    return data.build();
  }

  /** One model span as an OTLP span (its resource and scope are left to the caller). */
  public static io.opentelemetry.proto.trace.v1.Span toOtlpSpan(Span span) {
    io.opentelemetry.proto.trace.v1.Span.Builder out =
        io.opentelemetry.proto.trace.v1.Span.newBuilder()
            .setTraceId(ByteString.copyFrom(span.traceId().toBytes()))
            .setSpanId(ByteString.copyFrom(span.spanId().toBytes()))
            .setTraceState(span.traceState())
            .setFlags(span.flags())
            .setName(span.name())
            .setKindValue(span.kind().number())
            .setStartTimeUnixNano(span.startTimeUnixNano())
            .setEndTimeUnixNano(span.endTimeUnixNano())
            .setDroppedAttributesCount(span.droppedAttributesCount())
            .setDroppedEventsCount(span.droppedEventsCount())
            .setDroppedLinksCount(span.droppedLinksCount());
    span.parentSpanId().ifPresent(id -> out.setParentSpanId(ByteString.copyFrom(id.toBytes())));
    addAttributes(span.attributes(), out::addAttributes);
    for (SpanEvent event : span.events()) {
      io.opentelemetry.proto.trace.v1.Span.Event.Builder e =
          io.opentelemetry.proto.trace.v1.Span.Event.newBuilder()
              .setTimeUnixNano(event.timeUnixNano())
              .setName(event.name())
              .setDroppedAttributesCount(event.droppedAttributesCount());
      addAttributes(event.attributes(), e::addAttributes);
      out.addEvents(e);
    }
    for (SpanLink link : span.links()) {
      io.opentelemetry.proto.trace.v1.Span.Link.Builder l =
          io.opentelemetry.proto.trace.v1.Span.Link.newBuilder()
              .setTraceId(ByteString.copyFrom(link.traceId().toBytes()))
              .setSpanId(ByteString.copyFrom(link.spanId().toBytes()))
              .setTraceState(link.traceState())
              .setDroppedAttributesCount(link.droppedAttributesCount())
              .setFlags(link.flags());
      addAttributes(link.attributes(), l::addAttributes);
      out.addLinks(l);
    }
    SpanStatus status = span.status();
    if (status.code() != StatusCode.UNSET || !status.message().isEmpty()) {
      out.setStatus(
          Status.newBuilder().setCodeValue(status.code().number()).setMessage(status.message()));
    }
    return out.build();
  }

  /** A model resource as OTLP (its schema URL belongs to the enclosing ResourceSpans). */
  public static io.opentelemetry.proto.resource.v1.Resource toOtlpResource(Resource resource) {
    io.opentelemetry.proto.resource.v1.Resource.Builder out =
        io.opentelemetry.proto.resource.v1.Resource.newBuilder()
            .setDroppedAttributesCount(resource.droppedAttributesCount());
    addAttributes(resource.attributes(), out::addAttributes);
    return out.build();
  }

  /** A model scope as OTLP (its schema URL belongs to the enclosing ScopeSpans). */
  public static io.opentelemetry.proto.common.v1.InstrumentationScope toOtlpScope(
      InstrumentationScope scope) {
    io.opentelemetry.proto.common.v1.InstrumentationScope.Builder out =
        io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
            .setName(scope.name())
            .setVersion(scope.version())
            .setDroppedAttributesCount(scope.droppedAttributesCount());
    addAttributes(scope.attributes(), out::addAttributes);
    return out.build();
  }

  /** A model attribute value as an OTLP AnyValue, recursively. */
  public static AnyValue toAnyValue(AttributeValue value) {
    if (value instanceof AttributeValue.StringValue v) {
      return AnyValue.newBuilder().setStringValue(v.value()).build();
    } else if (value instanceof AttributeValue.BoolValue v) {
      return AnyValue.newBuilder().setBoolValue(v.value()).build();
    } else if (value instanceof AttributeValue.IntValue v) {
      return AnyValue.newBuilder().setIntValue(v.value()).build();
    } else if (value instanceof AttributeValue.DoubleValue v) {
      return AnyValue.newBuilder().setDoubleValue(v.value()).build();
    } else if (value instanceof AttributeValue.BytesValue v) {
      return AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(v.value())).build();
    } else if (value instanceof AttributeValue.ArrayValue v) {
      ArrayValue.Builder array = ArrayValue.newBuilder();
      for (AttributeValue item : v.values()) {
        array.addValues(toAnyValue(item));
      }
      return AnyValue.newBuilder().setArrayValue(array).build();
    } else if (value instanceof AttributeValue.KeyValueList v) {
      KeyValueList.Builder list = KeyValueList.newBuilder();
      addAttributes(v.values(), list::addValues);
      return AnyValue.newBuilder().setKvlistValue(list).build();
    }
    return AnyValue.getDefaultInstance();
  }

  private static void addAttributes(
      List<Attribute> attributes, java.util.function.Consumer<KeyValue> sink) {
    for (Attribute attribute : attributes) {
      sink.accept(
          KeyValue.newBuilder()
              .setKey(attribute.key())
              .setValue(toAnyValue(attribute.value()))
              .build());
    }
  }

  private static boolean isEmpty(InstrumentationScope scope) {
    return scope.name().isEmpty()
        && scope.version().isEmpty()
        && scope.attributes().isEmpty()
        && scope.droppedAttributesCount() == 0;
  }

  /** Spans of one resource, grouped by scope in order of first appearance. */
  private static final class ResourceGroup {
    private final Resource resource;
    private final Map<InstrumentationScope, ScopeSpans.Builder> scopes = new HashMap<>(4);
    private final List<ScopeSpans.Builder> order = new ArrayList<>(2);
    private InstrumentationScope lastScope;
    private ScopeSpans.Builder lastBuilder;

    ResourceGroup(Resource resource) {
      this.resource = resource;
    }

    ScopeSpans.Builder scopeBuilder(InstrumentationScope scope) {
      if (scope == lastScope) {
        return lastBuilder;
      }
      ScopeSpans.Builder builder = scopes.get(scope);
      if (builder == null) {
        builder = ScopeSpans.newBuilder().setSchemaUrl(scope.schemaUrl());
        // An absent scope stays absent, so that OTLP -> model -> OTLP gives an equal message.
        if (!isEmpty(scope)) {
          builder.setScope(toOtlpScope(scope));
        }
        scopes.put(scope, builder);
        order.add(builder);
      }
      lastScope = scope;
      lastBuilder = builder;
      return builder;
    }

    ResourceSpans build() {
      ResourceSpans.Builder out = ResourceSpans.newBuilder().setSchemaUrl(resource.schemaUrl());
      if (!resource.attributes().isEmpty() || resource.droppedAttributesCount() != 0) {
        out.setResource(toOtlpResource(resource));
      }
      for (ScopeSpans.Builder scope : order) {
        out.addScopeSpans(scope);
      }
      return out.build();
    }
  }
}
