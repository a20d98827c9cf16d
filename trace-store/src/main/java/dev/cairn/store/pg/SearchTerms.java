package dev.cairn.store.pg;

import dev.cairn.model.Attribute;
import dev.cairn.model.AttributeValue;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import dev.cairn.store.TraceQuery;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * The search terms of a segment: 32-bit hashes of what a search may ask of one span (its service,
 * its service and operation, each scalar attribute of it or its resource as {@code key=value} in
 * the text tag search compares, and its service with each duration threshold it reaches, {@link
 * DurationThresholds}). A segment's terms are the union over its spans; a query's are those its
 * criteria require. Hashes collide and thresholds are coarse, so terms only narrow candidates:
 * {@link SpanCriteria} rechecks the decoded spans.
 *
 * <p>Segments written before the duration terms (V13) have none: a search requires them only of
 * segments from the time every writer writes them ({@link #requiredWithDuration}).
 */
final class SearchTerms {

  private static final char SERVICE = 's';
  private static final char OPERATION = 'o';
  private static final char TAG = 't';
  private static final char DURATION = 'd';
  private static final long FNV_OFFSET = 0xcbf29ce484222325L;

  private SearchTerms() {}

  /**
   * What a search requires of a segment: {@link #required} of any, {@link #requiredWithDuration} of
   * one that starts at or after {@code durationTermsFrom} and so holds duration terms.
   */
  record Required(
      Integer[] anySegment, Integer[] withDurationTerms, OffsetDateTime durationTermsFrom) {

    static Required of(TraceQuery query, StopTerms stop, OffsetDateTime durationTermsFrom) {
      return new Required(
          required(query, stop), requiredWithDuration(query, stop), durationTermsFrom);
    }

    /** The terms to require of the segments of a slice that all hold duration terms, or not. */
    Integer[] of(boolean durationTerms) {
      return durationTerms ? withDurationTerms : anySegment;
    }
  }

  /** Sorted distinct terms of the spans, as the segment's {@code terms} column holds them. */
  static int[] of(List<Span> spans) {
    Terms terms = new Terms(spans.size() * 8);
    Map<Resource, ResourceTerms> resources = new IdentityHashMap<>();
    for (Span span : spans) {
      ResourceTerms resource = resources.get(span.resource());
      if (resource == null) { // the resource's terms once: the union is the same
        resource = ResourceTerms.of(span.resource());
        resources.put(span.resource(), resource);
        terms.addAll(resource.terms());
      }
      String service = resource.service();
      terms.add(hash(OPERATION, service, span.name()));
      for (int i = DurationThresholds.reached(span.durationNanos()) - 1; i >= 0; i--) {
        terms.add(durationTerm(service, i));
      }
      addTags(terms, span.attributes());
    }
    return terms.sortedDistinct();
  }

  /**
   * What a resource gives each of its spans: its service name and the terms of the service and of
   * the resource's tags. Spans of one process share their resource: worked out once per segment.
   */
  private record ResourceTerms(String service, int[] terms) {
    static ResourceTerms of(Resource resource) {
      String service = resource.serviceName();
      Terms terms = new Terms(resource.attributes().size() + 1);
      terms.add(hash(SERVICE, service, ""));
      addTags(terms, resource.attributes());
      return new ResourceTerms(service, terms.toArray());
    }
  }

  /**
   * The term of each tag of {@link AttributeJson#scalarTexts}, hashed from the value itself: a text
   * built per attribute (a number's digits, a string with U+0000 replaced) cost more than hashing.
   */
  private static void addTags(Terms terms, List<Attribute> attributes) {
    int n = attributes.size();
    for (int i = 0; i < n; i++) {
      Attribute attribute = attributes.get(i);
      String key = attribute.key();
      if (AttributeJson.isScalar(attribute.value())
          && key.indexOf('\0') < 0
          && !AttributeJson.scalarBefore(attributes, i, key)) {
        terms.add(tagTerm(key, attribute.value()));
      }
    }
  }

  /**
   * {@code hash(TAG, key, text)} of a scalar value's {@link AttributeJson#tagText}, U+0000 in it as
   * U+FFFD.
   */
  private static int tagTerm(String key, AttributeValue value) {
    long h = mix(mix(mix(FNV_OFFSET, (byte) TAG), key), (byte) 0);
    if (value instanceof AttributeValue.StringValue s) {
      h = mixTagText(h, s.value());
    } else if (value instanceof AttributeValue.IntValue i) {
      h = i.value() < 0 ? mixDigits(mix(h, (byte) '-'), i.value()) : mixDigits(h, -i.value());
    } else if (value instanceof AttributeValue.BoolValue b) {
      h = mix(h, b.value() ? "true" : "false");
    } else {
      h = mix(h, DoubleText.of(((AttributeValue.DoubleValue) value).value()));
    }
    return fold(h);
  }

  /**
   * A growable list of ints, the terms with their repeats until {@link #sortedDistinct}: a
   * segment's ~400 terms (~230 distinct) boxed into a TreeSet cost more than hashing them.
   */
  private static final class Terms {
    private int[] values;
    private int size;

    Terms(int capacity) {
      values = new int[Math.max(16, capacity)];
    }

    void add(int term) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = term;
    }

    int[] toArray() {
      return Arrays.copyOf(values, size);
    }

    void addAll(int[] terms) {
      for (int term : terms) {
        add(term);
      }
    }

    int[] sortedDistinct() {
      sort(values, size);
      int n = 0;
      for (int i = 0; i < size; i++) {
        if (n == 0 || values[n - 1] != values[i]) {
          values[n++] = values[i];
        }
      }
      return Arrays.copyOf(values, n);
    }

    /**
     * Sorts the first {@code size} values a byte at a time, lowest first (a radix sort): terms are
     * hashes in no order, on which a comparison sort mispredicts every other branch. A segment's
     * ~400 terms sort in a third of Arrays.sort's time.
     */
    private static void sort(int[] values, int size) {
      if (size < 64) { // the offsets would cost more than they save
        Arrays.sort(values, 0, size);
        return;
      }
      int[] offsets = new int[4 * 256];
      for (int i = 0; i < size; i++) {
        int key = values[i] ^ Integer.MIN_VALUE; // signed order as unsigned
        offsets[key & 0xff]++;
        offsets[256 + (key >>> 8 & 0xff)]++;
        offsets[512 + (key >>> 16 & 0xff)]++;
        offsets[768 + (key >>> 24)]++;
      }
      int[] from = values;
      int[] to = new int[size];
      for (int pass = 0; pass < 4; pass++) {
        int base = pass * 256;
        int start = 0;
        for (int b = base; b < base + 256; b++) {
          int count = offsets[b];
          offsets[b] = start;
          start += count;
        }
        int shift = pass * 8;
        for (int i = 0; i < size; i++) {
          int value = from[i];
          to[offsets[base + ((value ^ Integer.MIN_VALUE) >>> shift & 0xff)]++] = value;
        }
        int[] sorted = to;
        to = from;
        from = sorted;
      }
      // four passes: back in values
    }
  }

  /**
   * The terms a matching segment must contain, empty when only durations or stop terms narrow the
   * search. Stop terms are left out (segments may not hold them): for a service and operation whose
   * operation term is one, the service's term stands in.
   */
  static Integer[] required(TraceQuery query, StopTerms stop) {
    TreeSet<Integer> terms = new TreeSet<>();
    Optional<String> service = query.service();
    if (service.isPresent() && query.operation().isPresent()) {
      terms.add(hash(OPERATION, service.get(), query.operation().get()));
    }
    if (service.isPresent() && (terms.isEmpty() || stop.contains(terms.first()))) {
      terms.add(hash(SERVICE, service.get(), ""));
    }
    for (TraceQuery.TagFilter tag : query.tags()) {
      terms.add(hash(TAG, tag.key(), tag.value()));
    }
    terms.removeIf(stop::contains);
    return terms.toArray(Integer[]::new);
  }

  /**
   * {@link #required}, for segments that hold duration terms: with a service and a minimum duration
   * of at least the first threshold, the term of the service's highest threshold at or below the
   * minimum, unless it is a stop term. It implies the service's own term, which is then left out.
   */
  static Integer[] requiredWithDuration(TraceQuery query, StopTerms stop) {
    Integer[] required = required(query, stop);
    if (query.service().isEmpty() || query.minDuration().isEmpty()) {
      return required;
    }
    OptionalInt threshold = DurationThresholds.at(SpanCriteria.nanos(query.minDuration().get()));
    if (threshold.isEmpty()) {
      return required;
    }
    int term = durationTerm(query.service().get(), threshold.getAsInt());
    if (stop.contains(term)) {
      return required;
    }
    TreeSet<Integer> terms = new TreeSet<>(Arrays.asList(required));
    terms.remove(hash(SERVICE, query.service().get(), ""));
    terms.add(term);
    return terms.toArray(Integer[]::new);
  }

  /** The term of a span of {@code service} lasting at least threshold {@code index}. */
  static int durationTerm(String service, int index) {
    return hash(DURATION, service, DurationThresholds.name(index));
  }

  /** FNV-1a (64-bit) of kind, a, NUL, b in UTF-8, folded to 32 bits. */
  static int hash(char kind, String a, String b) {
    long h = mix(FNV_OFFSET, (byte) kind);
    h = mix(h, a);
    h = mix(h, (byte) 0);
    h = mix(h, b);
    return fold(h);
  }

  private static int fold(long h) {
    return (int) (h ^ (h >>> 32));
  }

  /** The UTF-8 bytes of {@code text} mixed in; ASCII (the usual tag) without encoding it first. */
  private static long mix(long h, String text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return mixBytes(h, text.substring(i).getBytes(StandardCharsets.UTF_8));
      }
      h = mix(h, (byte) c);
    }
    return h;
  }

  /** {@link #mix(long, String)} of the text with each U+0000 in it as U+FFFD (EF BF BD). */
  private static long mixTagText(long h, String text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        String rest = text.substring(i).replace('\0', '\uFFFD');
        return mixBytes(h, rest.getBytes(StandardCharsets.UTF_8));
      }
      h = c == 0 ? mix(mix(mix(h, (byte) 0xEF), (byte) 0xBF), (byte) 0xBD) : mix(h, (byte) c);
    }
    return h;
  }

  /**
   * The decimal digits of {@code negative}, first to last, as {@link Long#toString} prints them;
   * negative (or 0) because Long.MIN_VALUE has no positive.
   */
  private static long mixDigits(long h, long negative) {
    if (negative <= -10) {
      h = mixDigits(h, negative / 10);
    }
    return mix(h, (byte) ('0' - negative % 10));
  }

  private static long mixBytes(long h, byte[] bytes) {
    for (byte x : bytes) {
      h = mix(h, x);
    }
    return h;
  }

  private static long mix(long h, byte b) {
    return (h ^ (b & 0xff)) * 0x100000001b3L;
  }
}
