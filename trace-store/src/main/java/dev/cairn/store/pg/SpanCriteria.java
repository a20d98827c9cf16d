package dev.cairn.store.pg;

import dev.cairn.model.Attribute;
import dev.cairn.store.TraceQuery;
import java.util.List;
import java.util.Map;

/**
 * The parts of the exact test of a search's span criteria: one span must match the service,
 * operation, every tag (as text, on the span's or its resource's scalar attributes) and the
 * duration bounds together, and start at or after the query's start (microseconds, as the partition
 * column compared before). {@link SegmentMatch} applies them to a segment's spans, rechecking what
 * the hashed {@link SearchTerms} only narrowed.
 */
final class SpanCriteria {

  private SpanCriteria() {}

  /** The query's start in microseconds, the precision the window is compared at. */
  static long fromMicros(TraceQuery query) {
    return Math.floorDiv(PgTraceReader.unixNano(query.start()), 1000);
  }

  static boolean startsInWindow(long fromMicros, long startUnixNano) {
    return Math.floorDiv(startUnixNano, 1000) >= fromMicros;
  }

  static boolean serviceMatches(TraceQuery query, String serviceName) {
    return query.service().isEmpty() || query.service().get().equals(serviceName);
  }

  static boolean operationMatches(TraceQuery query, String spanName) {
    return query.operation().isEmpty() || query.operation().get().equals(spanName);
  }

  static boolean durationMatches(TraceQuery query, long durationNanos) {
    return (query.minDuration().isEmpty() || durationNanos >= nanos(query.minDuration().get()))
        && (query.maxDuration().isEmpty() || durationNanos <= nanos(query.maxDuration().get()));
  }

  static boolean tagsMatch(
      TraceQuery query, List<Attribute> spanAttributes, List<Attribute> resourceAttributes) {
    if (query.tags().isEmpty()) {
      return true;
    }
    Map<String, String> spanTags = AttributeJson.scalarTexts(spanAttributes);
    Map<String, String> resourceTags = AttributeJson.scalarTexts(resourceAttributes);
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
