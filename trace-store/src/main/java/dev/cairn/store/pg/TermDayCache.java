package dev.cairn.store.pg;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Search terms known to be in the term-day catalog for a day, so that the writer states each term
 * at most once per day (migration V11, {@code search_term_days}). The catalog holds one row per
 * term per UTC day of the starts of the segments holding it. Bounded (least recently used evicted):
 * a miss only costs an {@code INSERT ... ON CONFLICT DO NOTHING}.
 *
 * <p>A key is the day (days since 1970-01-01) in the high 32 bits and the term in the low ones.
 */
final class TermDayCache {

  /** Term days remembered as catalogued: about 40 bytes each. */
  static final int DEFAULT_SIZE = 200_000;

  private final Map<Long, Boolean> known;

  TermDayCache(int maxSize) {
    this.known = new LruMap<>(maxSize);
  }

  /**
   * The term days of the segments not known yet, sorted (so concurrent writers lock rows in one
   * order) and distinct.
   *
   * @param terms each segment's terms ({@link SearchTerms#of}), in the order of {@code starts}
   */
  long[] unknownOf(List<Instant> starts, List<Integer[]> terms) {
    int size = 0;
    for (Integer[] segmentTerms : terms) {
      size += segmentTerms.length;
    }
    long[] keys = new long[size];
    int n = 0;
    for (int i = 0; i < starts.size(); i++) {
      long day = Math.floorDiv(starts.get(i).getEpochSecond(), 86_400L);
      for (Integer term : terms.get(i)) {
        keys[n++] = key(term, day);
      }
    }
    // distinct first, outside the lock: a batch's segments repeat most terms, and the shared
    // recency-ordered map is the dearer lookup
    Arrays.sort(keys);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (distinct == 0 || keys[distinct - 1] != keys[i]) {
        keys[distinct++] = keys[i];
      }
    }
    int unknown = 0;
    synchronized (this) {
      for (int i = 0; i < distinct; i++) {
        if (known.get(keys[i]) == null) {
          keys[unknown++] = keys[i];
        }
      }
    }
    return Arrays.copyOf(keys, unknown);
  }

  /** Call only after the transaction that catalogued them committed. */
  synchronized void addAll(long[] keys) {
    for (long key : keys) {
      known.put(key, Boolean.TRUE);
    }
  }

  static long key(int term, long epochDay) {
    return (epochDay << 32) | (term & 0xffff_ffffL);
  }

  static int term(long key) {
    return (int) key;
  }

  static long epochDay(long key) {
    return key >> 32;
  }
}
