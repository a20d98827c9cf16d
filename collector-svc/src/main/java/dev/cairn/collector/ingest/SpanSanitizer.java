package dev.cairn.collector.ingest;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.List;

/**
 * Validates the spans of an OTLP request and bounds what they carry. Invalid spans (ids, times) are
 * dropped with a {@link RejectReason}; oversized attribute lists, events and links are cut to the
 * {@link IngestLimits} and the cut is recorded in the OTLP {@code dropped_*_count} fields; long
 * values are truncated and counted. Messages that need no change are passed on as they are, so a
 * clean batch costs one pass and no copies. Thread-safe (stateless apart from the limits).
 */
public final class SpanSanitizer {

  private static final int TRACE_ID_BYTES = 16;
  private static final int SPAN_ID_BYTES = 8;
  private static final ByteString ZERO_TRACE_ID = ByteString.copyFrom(new byte[TRACE_ID_BYTES]);
  private static final ByteString ZERO_SPAN_ID = ByteString.copyFrom(new byte[SPAN_ID_BYTES]);

  private final IngestLimits limits;

  public SpanSanitizer(IngestLimits limits) {
    this.limits = limits;
  }

  public SanitizedBatch sanitize(List<ResourceSpans> input) {
    Tally tally = new Tally();
    List<ResourceSpans> accepted = new ArrayList<>(input.size());
    for (ResourceSpans resourceSpans : input) {
      ResourceSpans kept = sanitize(resourceSpans, tally);
      if (kept != null) {
        accepted.add(kept);
      }
    }
    return new SanitizedBatch(accepted, tally.accepted, tally.rejected, tally.truncated);
  }

  /** Returns null when no span of the resource is valid. */
  private ResourceSpans sanitize(ResourceSpans resourceSpans, Tally tally) {
    List<ScopeSpans> scopes = new ArrayList<>(resourceSpans.getScopeSpansCount());
    boolean changed = false;
    for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
      ScopeSpans kept = sanitize(scopeSpans, tally);
      changed |= kept != scopeSpans;
      if (kept != null) {
        scopes.add(kept);
      }
    }
    if (scopes.isEmpty()) {
      return null;
    }
    Resource resource = bound(resourceSpans.getResource(), tally);
    if (!changed && resource == resourceSpans.getResource()) {
      return resourceSpans;
    }
    return resourceSpans.toBuilder()
        .setResource(resource)
        .clearScopeSpans()
        .addAllScopeSpans(scopes)
        .build();
  }

  /** Returns null when no span of the scope is valid. */
  private ScopeSpans sanitize(ScopeSpans scopeSpans, Tally tally) {
    List<Span> spans = new ArrayList<>(scopeSpans.getSpansCount());
    boolean changed = false;
    for (Span span : scopeSpans.getSpansList()) {
      RejectReason reason = check(span);
      if (reason != null) {
        tally.reject(reason);
        changed = true;
        continue;
      }
      Span bounded = bound(span, tally);
      changed |= bounded != span;
      spans.add(bounded);
    }
    if (spans.isEmpty()) {
      return null;
    }
    tally.accepted += spans.size();
    InstrumentationScope scope = bound(scopeSpans.getScope(), tally);
    if (!changed && scope == scopeSpans.getScope()) {
      return scopeSpans;
    }
    return scopeSpans.toBuilder().setScope(scope).clearSpans().addAllSpans(spans).build();
  }

  /** The first rule the span breaks, or null when it is valid. */
  static RejectReason check(Span span) {
    ByteString traceId = span.getTraceId();
    if (traceId.size() != TRACE_ID_BYTES) {
      return RejectReason.TRACE_ID_LENGTH;
    }
    if (traceId.equals(ZERO_TRACE_ID)) {
      return RejectReason.TRACE_ID_ZERO;
    }
    ByteString spanId = span.getSpanId();
    if (spanId.size() != SPAN_ID_BYTES) {
      return RejectReason.SPAN_ID_LENGTH;
    }
    if (spanId.equals(ZERO_SPAN_ID)) {
      return RejectReason.SPAN_ID_ZERO;
    }
    int parentSize = span.getParentSpanId().size();
    if (parentSize != 0 && parentSize != SPAN_ID_BYTES) {
      return RejectReason.PARENT_SPAN_ID_LENGTH;
    }
    // fixed64 nanoseconds since the epoch: compare unsigned.
    if (Long.compareUnsigned(span.getEndTimeUnixNano(), span.getStartTimeUnixNano()) < 0) {
      return RejectReason.END_BEFORE_START;
    }
    return null;
  }

  private Span bound(Span span, Tally tally) {
    List<KeyValue> attributes = bound(span.getAttributesList(), tally);
    List<Span.Event> events = boundEvents(span.getEventsList(), tally);
    List<Span.Link> links = boundLinks(span.getLinksList(), tally);
    if (attributes == span.getAttributesList()
        && events == span.getEventsList()
        && links == span.getLinksList()) {
      return span;
    }
    return span.toBuilder()
        .clearAttributes()
        .addAllAttributes(attributes)
        .setDroppedAttributesCount(
            span.getDroppedAttributesCount()
                + dropped(span.getAttributesCount(), limits.maxAttributes()))
        .clearEvents()
        .addAllEvents(events)
        .setDroppedEventsCount(
            span.getDroppedEventsCount()
                + dropped(span.getEventsCount(), limits.maxEventsPerSpan()))
        .clearLinks()
        .addAllLinks(links)
        .setDroppedLinksCount(
            span.getDroppedLinksCount() + dropped(span.getLinksCount(), limits.maxLinksPerSpan()))
        .build();
  }

  private List<Span.Event> boundEvents(List<Span.Event> events, Tally tally) {
    List<Span.Event> kept =
        events.size() > limits.maxEventsPerSpan()
            ? events.subList(0, limits.maxEventsPerSpan())
            : events;
    List<Span.Event> out = new ArrayList<>(kept.size());
    boolean changed = kept != events;
    for (Span.Event event : kept) {
      List<KeyValue> attributes = bound(event.getAttributesList(), tally);
      if (attributes == event.getAttributesList()) {
        out.add(event);
      } else {
        changed = true;
        out.add(
            event.toBuilder()
                .clearAttributes()
                .addAllAttributes(attributes)
                .setDroppedAttributesCount(
                    event.getDroppedAttributesCount()
                        + dropped(event.getAttributesCount(), limits.maxAttributes()))
                .build());
      }
    }
    return changed ? out : events;
  }

  private List<Span.Link> boundLinks(List<Span.Link> links, Tally tally) {
    List<Span.Link> kept =
        links.size() > limits.maxLinksPerSpan()
            ? links.subList(0, limits.maxLinksPerSpan())
            : links;
    List<Span.Link> out = new ArrayList<>(kept.size());
    boolean changed = kept != links;
    for (Span.Link link : kept) {
      List<KeyValue> attributes = bound(link.getAttributesList(), tally);
      if (attributes == link.getAttributesList()) {
        out.add(link);
      } else {
        changed = true;
        out.add(
            link.toBuilder()
                .clearAttributes()
                .addAllAttributes(attributes)
                .setDroppedAttributesCount(
                    link.getDroppedAttributesCount()
                        + dropped(link.getAttributesCount(), limits.maxAttributes()))
                .build());
      }
    }
    return changed ? out : links;
  }

  private Resource bound(Resource resource, Tally tally) {
    List<KeyValue> attributes = bound(resource.getAttributesList(), tally);
    if (attributes == resource.getAttributesList()) {
      return resource;
    }
    return resource.toBuilder()
        .clearAttributes()
        .addAllAttributes(attributes)
        .setDroppedAttributesCount(
            resource.getDroppedAttributesCount()
                + dropped(resource.getAttributesCount(), limits.maxAttributes()))
        .build();
  }

  private InstrumentationScope bound(InstrumentationScope scope, Tally tally) {
    List<KeyValue> attributes = bound(scope.getAttributesList(), tally);
    if (attributes == scope.getAttributesList()) {
      return scope;
    }
    return scope.toBuilder()
        .clearAttributes()
        .addAllAttributes(attributes)
        .setDroppedAttributesCount(
            scope.getDroppedAttributesCount()
                + dropped(scope.getAttributesCount(), limits.maxAttributes()))
        .build();
  }

  /** Keeps the first maxAttributes attributes, values truncated; the same list when unchanged. */
  private List<KeyValue> bound(List<KeyValue> attributes, Tally tally) {
    List<KeyValue> kept =
        attributes.size() > limits.maxAttributes()
            ? attributes.subList(0, limits.maxAttributes())
            : attributes;
    List<KeyValue> out = null;
    for (int i = 0; i < kept.size(); i++) {
      KeyValue attribute = kept.get(i);
      AnyValue value = bound(attribute.getValue(), tally);
      if (value != attribute.getValue() && out == null) {
        out = new ArrayList<>(kept.subList(0, i));
      }
      if (out != null) {
        out.add(
            value == attribute.getValue()
                ? attribute
                : attribute.toBuilder().setValue(value).build());
      }
    }
    if (out != null) {
      return out;
    }
    return kept == attributes ? attributes : new ArrayList<>(kept);
  }

  private AnyValue bound(AnyValue value, Tally tally) {
    int max = limits.maxAttributeValueLength();
    switch (value.getValueCase()) {
      case STRING_VALUE -> {
        String text = value.getStringValue();
        if (text.length() <= max) {
          return value;
        }
        tally.truncated++;
        // Do not leave half of a surrogate pair at the end.
        int end = Character.isHighSurrogate(text.charAt(max - 1)) ? max - 1 : max;
        return AnyValue.newBuilder().setStringValue(text.substring(0, end)).build();
      }
      case BYTES_VALUE -> {
        if (value.getBytesValue().size() <= max) {
          return value;
        }
        tally.truncated++;
        return AnyValue.newBuilder().setBytesValue(value.getBytesValue().substring(0, max)).build();
      }
      case ARRAY_VALUE -> {
        List<AnyValue> elements = value.getArrayValue().getValuesList();
        List<AnyValue> out = null;
        for (int i = 0; i < elements.size(); i++) {
          AnyValue bounded = bound(elements.get(i), tally);
          if (bounded != elements.get(i) && out == null) {
            out = new ArrayList<>(elements.subList(0, i));
          }
          if (out != null) {
            out.add(bounded);
          }
        }
        return out == null
            ? value
            : AnyValue.newBuilder()
                .setArrayValue(ArrayValue.newBuilder().addAllValues(out))
                .build();
      }
      case KVLIST_VALUE -> {
        List<KeyValue> entries = value.getKvlistValue().getValuesList();
        List<KeyValue> out = null;
        for (int i = 0; i < entries.size(); i++) {
          KeyValue entry = entries.get(i);
          AnyValue bounded = bound(entry.getValue(), tally);
          if (bounded != entry.getValue() && out == null) {
            out = new ArrayList<>(entries.subList(0, i));
          }
          if (out != null) {
            out.add(
                bounded == entry.getValue() ? entry : entry.toBuilder().setValue(bounded).build());
          }
        }
        return out == null
            ? value
            : AnyValue.newBuilder()
                .setKvlistValue(KeyValueList.newBuilder().addAllValues(out))
                .build();
      }
      default -> {
        return value;
      }
    }
  }

  private static int dropped(int count, int max) {
    return Math.max(0, count - max);
  }
}
