package dev.cairn.store.pg;

import com.carrotsearch.hppc.LongHashSet;
import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Operations (service, span name, kind) known to be in the catalog for a day, so that the writer
 * skips them. The catalog holds one row per operation per UTC day of its spans' starts (migration
 * V8), so that retention drops an operation's days with its spans' chunks; the writer states each
 * operation at most once per day.
 *
 * <p>Per day a primitive set of the operations' 64-bit fingerprints, not the operations: every span
 * of a batch is looked up, and a recency-ordered map of (service, name) keys, comparing the strings
 * of each hit, took an eighth of the writer threads' samples (docs/benchmarks.md, section 2). Two
 * operations of one day with the same fingerprint (about 10⁻¹⁰ for the 65,536 the cache holds)
 * would leave the second out of that day's catalog. Bounded: past {@code maxSize} operation days
 * the oldest days are forgotten first (writes are for recent days), a day of more than that along
 * with them; a miss only costs an {@code INSERT ... ON CONFLICT DO NOTHING}.
 */
final class OperationCache {

  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  /**
   * @param epochDay the UTC day of the span's start, days since 1970-01-01
   */
  record Key(String service, String name, int kind, long epochDay) {
    long fingerprint() {
      return OperationCache.fingerprint(text(service), name, kind);
    }
  }

  private static final Comparator<Key> ORDER =
      Comparator.comparing(Key::service)
          .thenComparing(Key::name)
          .thenComparingInt(Key::kind)
          .thenComparingLong(Key::epochDay);

  private final int maxSize;
  private final TreeMap<Long, LongHashSet> knownByDay = new TreeMap<>();
  private int size;

  OperationCache(int maxSize) {
    this.maxSize = maxSize;
  }

  /** The batch's operations not known yet, sorted so concurrent writers lock rows in one order. */
  TreeSet<Key> unknownOf(List<Span> spans) {
    // the batch's distinct operations first, outside the lock: a batch repeats many of them
    LongHashSet seen = new LongHashSet();
    List<Key> distinct = new ArrayList<>();
    long[] fingerprints = new long[16];
    Resource lastResource = null;
    String service = null;
    long serviceText = 0;
    for (Span span : spans) {
      if (span.resource() != lastResource) { // spans of one process share their resource
        lastResource = span.resource();
        service = SpanCopyEncoder.clean(lastResource.serviceName());
        serviceText = text(service);
      }
      long day = Math.floorDiv(span.startTimeUnixNano(), NANOS_PER_DAY);
      long fingerprint = fingerprint(serviceText, span.name(), span.kind().number());
      if (seen.add(mixDay(fingerprint, day))) {
        if (distinct.size() == fingerprints.length) {
          fingerprints = Arrays.copyOf(fingerprints, fingerprints.length * 2);
        }
        fingerprints[distinct.size()] = fingerprint;
        distinct.add(
            new Key(service, SpanCopyEncoder.clean(span.name()), span.kind().number(), day));
      }
    }
    TreeSet<Key> unknown = new TreeSet<>(ORDER);
    synchronized (this) {
      for (int i = 0; i < distinct.size(); i++) {
        Key key = distinct.get(i);
        LongHashSet known = knownByDay.get(key.epochDay());
        if (known == null || !known.contains(fingerprints[i])) {
          unknown.add(key);
        }
      }
    }
    return unknown;
  }

  /** Call only after the transaction that catalogued them committed. */
  synchronized void addAll(Collection<Key> keys) {
    for (Key key : keys) {
      if (knownByDay
          .computeIfAbsent(key.epochDay(), d -> new LongHashSet())
          .add(key.fingerprint())) {
        size++;
      }
    }
    while (size > maxSize && !knownByDay.isEmpty()) {
      size -= knownByDay.pollFirstEntry().getValue().size();
    }
  }

  /** FNV-1a (64-bit) over the text's UTF-16 units, U+0000 as U+FFFD (as the catalog stores it). */
  private static long text(String text) {
    return mixText(0xcbf29ce484222325L, text);
  }

  private static long fingerprint(long service, String name, int kind) {
    long h = mixText((service ^ 0x2f) * 0x100000001b3L, name); // '/' between service and name
    h = (h ^ kind) * 0x100000001b3L;
    h ^= h >>> 33; // a final mix: FNV's low bits alone spread poorly in a hash set
    h *= 0xff51afd7ed558ccdL;
    return h ^ (h >>> 33);
  }

  private static long mixText(long h, String text) {
    int length = text.length();
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      h = (h ^ (c == '\0' ? '\uFFFD' : c)) * 0x100000001b3L;
    }
    return h;
  }

  /** The batch's own set holds operation days: one operation on two days is two entries. */
  private static long mixDay(long fingerprint, long day) {
    return fingerprint ^ (day * 0x9E3779B97F4A7C15L);
  }
}
