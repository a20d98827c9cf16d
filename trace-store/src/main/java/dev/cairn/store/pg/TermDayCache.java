package dev.cairn.store.pg;

import com.carrotsearch.hppc.IntHashSet;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Search terms known to be in the term-day catalog for a day, so that the writer states each term
 * at most once per day (migration V11, {@code search_term_days}). The catalog holds one row per
 * term per UTC day of the starts of the segments holding it. Per day a primitive set of terms: a
 * batch looks up every term of every segment (~8 a span), where sorting them all and asking a
 * recency-ordered map of boxed keys took a tenth of the writer's CPU (docs/benchmarks.md, section
 * 2). Bounded: past {@code maxSize} term days the oldest days are forgotten first (writes are for
 * recent days), a day of more terms than that along with them; a miss only costs an {@code INSERT
 * ... ON CONFLICT DO NOTHING}.
 *
 * <p>A key is the day (days since 1970-01-01) in the high 32 bits and the term in the low ones.
 */
final class TermDayCache {

  /** Term days remembered as catalogued: about 10 heap bytes each, ~10 MB. */
  static final int DEFAULT_SIZE = 1 << 20;

  private final int maxSize;
  private final TreeMap<Long, IntHashSet> knownByDay = new TreeMap<>();
  private int size;

  TermDayCache(int maxSize) {
    this.maxSize = maxSize;
  }

  /**
   * The term days of the segments not known yet, sorted (so concurrent writers lock rows in one
   * order) and distinct.
   *
   * @param terms each segment's terms ({@link SearchTerms#of}), in the order of {@code starts}
   */
  long[] unknownOf(List<Instant> starts, List<int[]> terms) {
    long[] unknown = new long[64];
    int n = 0;
    synchronized (this) {
      for (int i = 0; i < starts.size(); i++) {
        long day = Math.floorDiv(starts.get(i).getEpochSecond(), 86_400L);
        IntHashSet known = knownByDay.get(day);
        for (int term : terms.get(i)) {
          if (known == null || !known.contains(term)) {
            if (n == unknown.length) {
              unknown = Arrays.copyOf(unknown, n * 2);
            }
            unknown[n++] = key(term, day);
          }
        }
      }
    }
    // once the catalog is warm, few or none
    Arrays.sort(unknown, 0, n);
    int distinct = 0;
    for (int i = 0; i < n; i++) {
      if (distinct == 0 || unknown[distinct - 1] != unknown[i]) {
        unknown[distinct++] = unknown[i];
      }
    }
    return Arrays.copyOf(unknown, distinct);
  }

  /** Call only after the transaction that catalogued them committed. */
  synchronized void addAll(long[] keys) {
    for (long key : keys) {
      if (knownByDay.computeIfAbsent(epochDay(key), d -> new IntHashSet()).add(term(key))) {
        size++;
      }
    }
    while (size > maxSize && !knownByDay.isEmpty()) {
      size -= knownByDay.pollFirstEntry().getValue().size();
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
