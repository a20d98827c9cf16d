package dev.cairn.store.pg;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TermDayCacheTest {

  private static final Instant MAY_1 = Instant.parse("2022-05-01T23:59:59Z");
  private static final Instant MAY_2 = Instant.parse("2022-05-02T00:00:00Z");
  private static final long DAY_1 = 19113; // 2022-05-01

  @Test
  void unknownTermDaysAreDistinctSortedAndForgottenOnlyIfNeverAdded() {
    // sorted by day, then by term as an unsigned number: one order for every writer
    TermDayCache cache = new TermDayCache(100);
    long[] unknown =
        cache.unknownOf(
            List.of(MAY_2, MAY_1, MAY_1), List.of(new int[] {7}, new int[] {-3, 7}, new int[] {7}));
    assertThat(unknown)
        .containsExactly(
            TermDayCache.key(7, DAY_1),
            TermDayCache.key(-3, DAY_1),
            TermDayCache.key(7, DAY_1 + 1));
    // not added (the transaction did not commit): still unknown
    assertThat(cache.unknownOf(List.of(MAY_1), List.<int[]>of(new int[] {7})))
        .containsExactly(TermDayCache.key(7, DAY_1));
    cache.addAll(unknown);
    assertThat(cache.unknownOf(List.of(MAY_1, MAY_2), List.of(new int[] {7, -3}, new int[] {7})))
        .isEmpty();
  }

  @Test
  void pastItsSizeTheOldestDaysAreForgottenFirst() {
    TermDayCache cache = new TermDayCache(3);
    cache.addAll(new long[] {TermDayCache.key(1, DAY_1), TermDayCache.key(2, DAY_1)});
    cache.addAll(new long[] {TermDayCache.key(1, DAY_1 + 1), TermDayCache.key(2, DAY_1 + 1)});
    assertThat(cache.unknownOf(List.of(MAY_1), List.<int[]>of(new int[] {1, 2})))
        .containsExactly(TermDayCache.key(1, DAY_1), TermDayCache.key(2, DAY_1));
    assertThat(cache.unknownOf(List.of(MAY_2), List.<int[]>of(new int[] {1, 2, 3})))
        .containsExactly(TermDayCache.key(3, DAY_1 + 1));
  }

  @Test
  void aKeyHoldsItsTermAndDayWhateverTheirSigns() {
    for (int term : new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE}) {
      for (long day : new long[] {-719_528, -1, 0, DAY_1, 2_932_896}) {
        long key = TermDayCache.key(term, day);
        assertThat(TermDayCache.term(key)).isEqualTo(term);
        assertThat(TermDayCache.epochDay(key)).isEqualTo(day);
      }
    }
  }
}
