package dev.cairn.store.pg;

import dev.cairn.model.Span;
import dev.cairn.store.TraceQuery;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The search terms of a segment: 32-bit hashes of what a search may ask of one span (its service,
 * its service and operation, each scalar attribute of it or its resource as {@code key=value} in
 * the text tag search compares). A segment's terms are the union over its spans; a query's are
 * those its criteria require. Hashes collide, so terms only narrow candidates: {@link SpanCriteria}
 * rechecks the decoded spans.
 */
final class SearchTerms {

  private static final char SERVICE = 's';
  private static final char OPERATION = 'o';
  private static final char TAG = 't';

  private SearchTerms() {}

  /** Sorted distinct terms of the spans, as the segment's {@code terms} column holds them. */
  static Integer[] of(List<Span> spans) {
    TreeSet<Integer> terms = new TreeSet<>();
    Map<Object, Map<String, String>> resourceTags = new java.util.IdentityHashMap<>();
    for (Span span : spans) {
      String service = span.serviceName();
      terms.add(hash(SERVICE, service, ""));
      terms.add(hash(OPERATION, service, span.name()));
      AttributeJson.scalarTexts(span.attributes())
          .forEach((key, value) -> terms.add(hash(TAG, key, value)));
      resourceTags
          .computeIfAbsent(
              span.resource(), r -> AttributeJson.scalarTexts(span.resource().attributes()))
          .forEach((key, value) -> terms.add(hash(TAG, key, value)));
    }
    return terms.toArray(Integer[]::new);
  }

  /** The terms a matching segment must contain, empty when only durations narrow the search. */
  static Integer[] required(TraceQuery query) {
    TreeSet<Integer> terms = new TreeSet<>();
    Optional<String> service = query.service();
    if (service.isPresent() && query.operation().isPresent()) {
      terms.add(hash(OPERATION, service.get(), query.operation().get()));
    } else if (service.isPresent()) {
      terms.add(hash(SERVICE, service.get(), ""));
    }
    for (TraceQuery.TagFilter tag : query.tags()) {
      terms.add(hash(TAG, tag.key(), tag.value()));
    }
    return terms.toArray(Integer[]::new);
  }

  /** FNV-1a (64-bit) of kind, a, NUL, b in UTF-8, folded to 32 bits. */
  static int hash(char kind, String a, String b) {
    long h = 0xcbf29ce484222325L;
    h = mix(h, (byte) kind);
    for (byte x : a.getBytes(StandardCharsets.UTF_8)) {
      h = mix(h, x);
    }
    h = mix(h, (byte) 0);
    for (byte x : b.getBytes(StandardCharsets.UTF_8)) {
      h = mix(h, x);
    }
    return (int) (h ^ (h >>> 32));
  }

  private static long mix(long h, byte b) {
    return (h ^ (b & 0xff)) * 0x100000001b3L;
  }
}
