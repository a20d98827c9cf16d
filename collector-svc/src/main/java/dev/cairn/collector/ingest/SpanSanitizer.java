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
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Validates the spans of an OTLP request and bounds what they carry. Invalid spans (ids, end before
 * start, times outside the {@link SpanTimeWindow}) are dropped with a {@link RejectReason};
 * oversized attribute lists, events and links are cut to the {@link IngestLimits} and the cut is
 * recorded in the OTLP {@code dropped_*_count} fields; long values are truncated and counted; NUL
 * and unpaired surrogates in any string field (names, keys, values, trace state, status message,
 * schema URLs) are replaced with U+FFFD and counted. Messages that need no change are passed on as
 * they are, so a clean batch costs one pass and no copies. Thread-safe.
 */
public final class SpanSanitizer {

  private static final int TRACE_ID_BYTES = 16;
  private static final int SPAN_ID_BYTES = 8;
  private static final ByteString ZERO_TRACE_ID = ByteString.copyFrom(new byte[TRACE_ID_BYTES]);
  private static final ByteString ZERO_SPAN_ID = ByteString.copyFrom(new byte[SPAN_ID_BYTES]);

  private final IngestLimits limits;
  private final SpanTimeWindow window;
  private final Clock clock;

  /** The given limits, the default time window and the system clock. */
  public SpanSanitizer(IngestLimits limits) {
    this(limits, SpanTimeWindow.DEFAULTS, Clock.systemUTC());
  }

  public SpanSanitizer(IngestLimits limits, SpanTimeWindow window, Clock clock) {
    this.limits = limits;
    this.window = window;
    this.clock = clock;
  }

  /** Sanitizes spans of unknown origin (every string check applies). */
  public SanitizedBatch sanitize(List<ResourceSpans> input) {
    return sanitize(input, 0, true);
  }

  /** Sanitizes a parsed request, reporting what parsing replaced with this pass's own counts. */
  public SanitizedBatch sanitize(ParsedRequest parsed) {
    return sanitize(
        parsed.request().getResourceSpansList(),
        parsed.invalidUtf8Replaced(),
        parsed.mayHoldUnpairedSurrogates());
  }

  SanitizedBatch sanitize(
      List<ResourceSpans> input, long invalidUtf8Replaced, boolean mayHoldUnpairedSurrogates) {
    Tally tally = new Tally(mayHoldUnpairedSurrogates);
    if (invalidUtf8Replaced > 0) {
      tally.replaced.put(CharacterReplacement.INVALID_UTF8, invalidUtf8Replaced);
    }
    long nowNanos = epochNanos(clock.instant());
    List<ResourceSpans> accepted = new ArrayList<>(input.size());
    for (ResourceSpans resourceSpans : input) {
      ResourceSpans kept = sanitize(resourceSpans, nowNanos, tally);
      if (kept != null) {
        accepted.add(kept);
      }
    }
    return new SanitizedBatch(
        accepted, tally.accepted, tally.rejected, tally.truncated, tally.replaced);
  }

  private static long epochNanos(Instant instant) {
    return TimeUnit.SECONDS.toNanos(instant.getEpochSecond()) + instant.getNano();
  }

  /** Returns null when no span of the resource is valid. */
  private ResourceSpans sanitize(ResourceSpans resourceSpans, long nowNanos, Tally tally) {
    List<ScopeSpans> scopes = new ArrayList<>(resourceSpans.getScopeSpansCount());
    boolean changed = false;
    for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
      ScopeSpans kept = sanitize(scopeSpans, nowNanos, tally);
      changed |= kept != scopeSpans;
      if (kept != null) {
        scopes.add(kept);
      }
    }
    if (scopes.isEmpty()) {
      return null;
    }
    Resource resource = bound(resourceSpans.getResource(), tally);
    String schemaUrl = tally.clean(resourceSpans.getSchemaUrl());
    if (!changed
        && resource == resourceSpans.getResource()
        && schemaUrl == resourceSpans.getSchemaUrl()) {
      return resourceSpans;
    }
    return resourceSpans.toBuilder()
        .setResource(resource)
        .setSchemaUrl(schemaUrl)
        .clearScopeSpans()
        .addAllScopeSpans(scopes)
        .build();
  }

  /** Returns null when no span of the scope is valid. */
  private ScopeSpans sanitize(ScopeSpans scopeSpans, long nowNanos, Tally tally) {
    List<Span> spans = new ArrayList<>(scopeSpans.getSpansCount());
    boolean changed = false;
    for (Span span : scopeSpans.getSpansList()) {
      RejectReason reason = check(span, nowNanos);
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
    String schemaUrl = tally.clean(scopeSpans.getSchemaUrl());
    if (!changed && scope == scopeSpans.getScope() && schemaUrl == scopeSpans.getSchemaUrl()) {
      return scopeSpans;
    }
    return scopeSpans.toBuilder()
        .setScope(scope)
        .setSchemaUrl(schemaUrl)
        .clearSpans()
        .addAllSpans(spans)
        .build();
  }

  /** The first rule the span breaks at {@code nowNanos}, or null when it is valid. */
  RejectReason check(Span span, long nowNanos) {
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
    if (!window.contains(span.getStartTimeUnixNano(), span.getEndTimeUnixNano(), nowNanos)) {
      return RejectReason.TIMESTAMP_OUT_OF_RANGE;
    }
    return null;
  }

  private Span bound(Span span, Tally tally) {
    List<KeyValue> attributes = bound(span.getAttributesList(), tally);
    List<Span.Event> events = boundEvents(span.getEventsList(), tally);
    List<Span.Link> links = boundLinks(span.getLinksList(), tally);
    String name = tally.clean(span.getName());
    String traceState = tally.clean(span.getTraceState());
    String statusMessage = tally.clean(span.getStatus().getMessage());
    if (attributes == span.getAttributesList()
        && events == span.getEventsList()
        && links == span.getLinksList()
        && name == span.getName()
        && traceState == span.getTraceState()
        && statusMessage == span.getStatus().getMessage()) {
      return span;
    }
    Span.Builder builder = span.toBuilder().setName(name).setTraceState(traceState);
    if (statusMessage != span.getStatus().getMessage()) {
      builder.setStatus(span.getStatus().toBuilder().setMessage(statusMessage));
    }
    return builder
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
      String name = tally.clean(event.getName());
      if (attributes == event.getAttributesList() && name == event.getName()) {
        out.add(event);
      } else {
        changed = true;
        out.add(
            event.toBuilder()
                .setName(name)
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
      String traceState = tally.clean(link.getTraceState());
      if (attributes == link.getAttributesList() && traceState == link.getTraceState()) {
        out.add(link);
      } else {
        changed = true;
        out.add(
            link.toBuilder()
                .setTraceState(traceState)
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
    String name = tally.clean(scope.getName());
    String version = tally.clean(scope.getVersion());
    if (attributes == scope.getAttributesList()
        && name == scope.getName()
        && version == scope.getVersion()) {
      return scope;
    }
    return scope.toBuilder()
        .setName(name)
        .setVersion(version)
        .clearAttributes()
        .addAllAttributes(attributes)
        .setDroppedAttributesCount(
            scope.getDroppedAttributesCount()
                + dropped(scope.getAttributesCount(), limits.maxAttributes()))
        .build();
  }

  /**
   * Keeps the first maxAttributes attributes, keys and values cleaned, values truncated; the same
   * list when unchanged.
   */
  private List<KeyValue> bound(List<KeyValue> attributes, Tally tally) {
    List<KeyValue> kept =
        attributes.size() > limits.maxAttributes()
            ? attributes.subList(0, limits.maxAttributes())
            : attributes;
    List<KeyValue> out = boundEntries(kept, tally);
    if (out != null) {
      return out;
    }
    return kept == attributes ? attributes : new ArrayList<>(kept);
  }

  /** Bounds each entry; null when none changed. */
  private List<KeyValue> boundEntries(List<KeyValue> entries, Tally tally) {
    List<KeyValue> out = null;
    for (int i = 0; i < entries.size(); i++) {
      KeyValue entry = entries.get(i);
      KeyValue bounded = bound(entry, tally);
      if (bounded != entry && out == null) {
        out = new ArrayList<>(entries.subList(0, i));
      }
      if (out != null) {
        out.add(bounded);
      }
    }
    return out;
  }

  private KeyValue bound(KeyValue entry, Tally tally) {
    String key = tally.clean(entry.getKey());
    AnyValue value = bound(entry.getValue(), tally);
    if (key == entry.getKey() && value == entry.getValue()) {
      return entry;
    }
    return entry.toBuilder().setKey(key).setValue(value).build();
  }

  private AnyValue bound(AnyValue value, Tally tally) {
    int max = limits.maxAttributeValueLength();
    switch (value.getValueCase()) {
      case STRING_VALUE -> {
        String received = value.getStringValue();
        // Replacements keep the length (one char for one), so the limit applies after them.
        String text = tally.clean(received);
        if (text.length() <= max) {
          return text == received ? value : AnyValue.newBuilder().setStringValue(text).build();
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
        List<KeyValue> out = boundEntries(value.getKvlistValue().getValuesList(), tally);
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
