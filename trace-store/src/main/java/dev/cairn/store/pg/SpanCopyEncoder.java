package dev.cairn.store.pg;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.TraceId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Encodes spans as rows of PostgreSQL's COPY text format, in the column order of {@link #COLUMNS}.
 *
 * <p>Text columns cannot hold U+0000 in PostgreSQL; in span name, service name, status message and
 * trace state it becomes U+FFFD (the jsonb columns keep it exactly, see {@link AttributeJson}).
 */
final class SpanCopyEncoder {

  /** Columns of the spans hypertables, in row order. */
  static final String COLUMNS =
      "trace_id, span_id, parent_span_id, start_time, start_unix_nano, end_unix_nano,"
          + " duration_nano, service_name, name, kind, status_code, status_message, trace_state,"
          + " flags, attributes, dropped_attributes_count, events, dropped_events_count, links,"
          + " dropped_links_count, resource_id, scope, tags";

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private SpanCopyEncoder() {}

  /** The COPY rows of a batch and the distinct resources they refer to. */
  record EncodedBatch(byte[] rows, Collection<ResourceRow> resources) {}

  /**
   * Encodes a batch. Spans of one OTLP message share their Resource and scope objects, so each is
   * encoded once per batch (memoized by identity); equal resources of different messages collapse
   * to one {@link ResourceRow} by id.
   */
  static EncodedBatch encode(List<Span> spans) {
    StringBuilder out = new StringBuilder(spans.size() * 768);
    Map<Object, ResourceRow> resourceRows = new IdentityHashMap<>();
    Map<Object, String> scopes = new IdentityHashMap<>();
    Map<UUID, ResourceRow> distinct = new HashMap<>();
    for (Span span : spans) {
      ResourceRow resource =
          resourceRows.computeIfAbsent(span.resource(), r -> ResourceRow.of(span.resource()));
      distinct.putIfAbsent(resource.id(), resource);
      appendRow(
          out,
          span,
          resource,
          scopes.computeIfAbsent(span.scope(), s -> AttributeJson.scope(span.scope())));
    }
    return new EncodedBatch(out.toString().getBytes(StandardCharsets.UTF_8), distinct.values());
  }

  /** Appends one row; the span's resource is referred to by id, its scope is inline. */
  static void appendRow(StringBuilder out, Span span, ResourceRow resource, String scope) {
    field(out, uuid(span.traceId()));
    number(out, span.spanId().value());
    if (span.parentSpanId().isPresent()) {
      number(out, span.parentSpanId().get().value());
    } else {
      out.append("\\N\t");
    }
    field(out, partitionTime(span.startTimeUnixNano()).toString());
    number(out, span.startTimeUnixNano());
    number(out, span.endTimeUnixNano());
    number(out, span.durationNanos());
    field(out, clean(span.serviceName()));
    field(out, clean(span.name()));
    number(out, span.kind().number());
    number(out, span.status().code().number());
    field(out, clean(span.status().message()));
    field(out, clean(span.traceState()));
    number(out, span.flags());
    field(out, AttributeJson.attributes(span.attributes()));
    number(out, span.droppedAttributesCount());
    field(out, AttributeJson.events(span.events()));
    number(out, span.droppedEventsCount());
    field(out, AttributeJson.links(span.links()));
    number(out, span.droppedLinksCount());
    field(out, resource.id().toString());
    field(out, scope);
    field(out, AttributeJson.tags(span.attributes()));
    out.setCharAt(out.length() - 1, '\n');
  }

  /** The partition column value: start time truncated to PostgreSQL's microsecond precision. */
  static Instant partitionTime(long unixNano) {
    return Instant.ofEpochSecond(
            Math.floorDiv(unixNano, NANOS_PER_SECOND), Math.floorMod(unixNano, NANOS_PER_SECOND))
        .truncatedTo(ChronoUnit.MICROS);
  }

  static UUID uuidOf(TraceId traceId) {
    return new UUID(traceId.high(), traceId.low());
  }

  static TraceId traceIdOf(UUID uuid) {
    return new TraceId(uuid.getMostSignificantBits(), uuid.getLeastSignificantBits());
  }

  static SpanId spanIdOf(long value) {
    return new SpanId(value);
  }

  static String clean(String text) {
    return text.indexOf('\0') >= 0 ? text.replace('\0', '\uFFFD') : text;
  }

  private static String uuid(TraceId traceId) {
    return uuidOf(traceId).toString();
  }

  private static void number(StringBuilder out, long value) {
    out.append(value).append('\t');
  }

  private static void field(StringBuilder out, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
    }
    out.append('\t');
  }
}
