package dev.cairn.store.pg;

import dev.cairn.model.Resource;
import dev.cairn.model.Span;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Operations (service, span name, kind) known to be in the catalog for a day, so that the writer
 * skips them. The catalog holds one row per operation per UTC day of its spans' starts (migration
 * V8), so that retention drops an operation's days with its spans' chunks; the writer states each
 * operation at most once per day. Bounded (least recently used evicted), because span names may
 * have a high cardinality; a miss only costs an {@code INSERT ... ON CONFLICT DO NOTHING}.
 */
final class OperationCache {

  private static final long NANOS_PER_DAY = 86_400_000_000_000L;

  /**
   * @param epochDay the UTC day of the span's start, days since 1970-01-01
   */
  record Key(String service, String name, int kind, long epochDay) {
    // written out: the record's generated equals (method handles) had a tenth of the writer
    // threads' profile samples, every span of a batch being looked up here
    @Override
    public boolean equals(Object other) {
      return other instanceof Key that
          && kind == that.kind
          && epochDay == that.epochDay
          && service.equals(that.service)
          && name.equals(that.name);
    }

    @Override
    public int hashCode() {
      return ((service.hashCode() * 31 + name.hashCode()) * 31 + kind) * 31
          + Long.hashCode(epochDay);
    }
  }

  private static final Comparator<Key> ORDER =
      Comparator.comparing(Key::service)
          .thenComparing(Key::name)
          .thenComparingInt(Key::kind)
          .thenComparingLong(Key::epochDay);

  private final Map<Key, Boolean> known;

  OperationCache(int maxSize) {
    this.known = new LruMap<>(maxSize);
  }

  /** The batch's operations not known yet, sorted so concurrent writers lock rows in one order. */
  TreeSet<Key> unknownOf(List<Span> spans) {
    // the batch's distinct operations first, outside the lock: a batch repeats few of them, and
    // the shared recency-ordered map is the dearer lookup
    Set<Key> batch = new HashSet<>();
    Resource lastResource = null;
    String service = null;
    for (Span span : spans) {
      if (span.resource() != lastResource) { // spans of one process share their resource
        lastResource = span.resource();
        service = SpanCopyEncoder.clean(lastResource.serviceName());
      }
      batch.add(
          new Key(
              service,
              SpanCopyEncoder.clean(span.name()),
              span.kind().number(),
              Math.floorDiv(span.startTimeUnixNano(), NANOS_PER_DAY)));
    }
    TreeSet<Key> unknown = new TreeSet<>(ORDER);
    synchronized (this) {
      for (Key key : batch) {
        if (known.get(key) == null) {
          unknown.add(key);
        }
      }
    }
    return unknown;
  }

  /** Call only after the transaction that catalogued them committed. */
  synchronized void addAll(Collection<Key> keys) {
    keys.forEach(key -> known.put(key, Boolean.TRUE));
  }
}
