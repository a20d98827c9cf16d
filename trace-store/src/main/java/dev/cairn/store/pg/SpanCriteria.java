package dev.cairn.store.pg;

import dev.cairn.model.Span;
import dev.cairn.store.TraceQuery;
import java.util.List;
import java.util.Map;

/**
 * The exact test of a search's span criteria on decoded spans: one span must match the service,
 * operation, every tag (as text, on the span's or its resource's scalar attributes) and the
 * duration bounds together, and start at or after the query's start (microseconds, as the partition
 * column compared before). Rechecks what the hashed {@link SearchTerms} only narrowed.
 */
final class SpanCriteria {

  private SpanCriteria() {}

  static boolean anyMatches(TraceQuery query, List<Span> spans) {
    long from = PgTraceReader.unixNano(query.start());
    long fromMicros = Math.floorDiv(from, 1000);
    for (Span span : spans) {
      if (Math.floorDiv(span.startTimeUnixNano(), 1000) >= fromMicros && matches(query, span)) {
        return true;
      }
    }
    return false;
  }

  static boolean matches(TraceQuery query, Span span) {
    if (query.service().isPresent() && !query.service().get().equals(span.serviceName())) {
      return false;
    }
    if (query.operation().isPresent() && !query.operation().get().equals(span.name())) {
      return false;
    }
    long duration = span.durationNanos();
    if (query.minDuration().isPresent() && duration < nanos(query.minDuration().get())) {
      return false;
    }
    if (query.maxDuration().isPresent() && duration > nanos(query.maxDuration().get())) {
      return false;
    }
    if (query.tags().isEmpty()) {
      return true;
    }
    Map<String, String> spanTags = AttributeJson.scalarTexts(span.attributes());
    Map<String, String> resourceTags = AttributeJson.scalarTexts(span.resource().attributes());
    for (TraceQuery.TagFilter tag : query.tags()) {
      if (!tag.value().equals(spanTags.get(tag.key()))
          && !tag.value().equals(resourceTags.get(tag.key()))) {
        return false;
      }
    }
    return true;
  }

  static long nanos(java.time.Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
