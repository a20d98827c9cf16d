package dev.cairn.store.pg;

import java.util.Arrays;

/**
 * Search terms too common to index (migration V12, {@code search_stop_terms}): writers leave them
 * out of the segments' terms, readers out of the terms a search requires, and the recheck on the
 * decoded spans ({@link SpanCriteria}) still tests them. Immutable.
 */
final class StopTerms {

  static final StopTerms NONE = new StopTerms(new int[0]);

  /**
   * A term in more than this share of the segments counted is a stop term. A search for it then
   * matches about one candidate trace in five or more, which the summaries' probe (ten candidates
   * per result wanted, {@link PgTraceReader#probeBudget}) answers without the index.
   */
  static final double SHARE = 0.2;

  /**
   * The longest list: a segment holds a few hundred terms, at most five times that are stop terms.
   */
  static final int MAX_TERMS = 2_048;

  private final int[] sorted;

  private StopTerms(int[] sorted) {
    this.sorted = sorted;
  }

  static StopTerms of(int... terms) {
    if (terms.length > MAX_TERMS) {
      throw new IllegalArgumentException(
          "at most " + MAX_TERMS + " stop terms, got " + terms.length);
    }
    return new StopTerms(Arrays.stream(terms).sorted().distinct().toArray());
  }

  static StopTerms of(Integer[] terms) {
    return of(Arrays.stream(terms).mapToInt(Integer::intValue).toArray());
  }

  boolean contains(int term) {
    return Arrays.binarySearch(sorted, term) >= 0;
  }

  boolean isEmpty() {
    return sorted.length == 0;
  }

  int size() {
    return sorted.length;
  }

  Integer[] toArray() {
    return Arrays.stream(sorted).boxed().toArray(Integer[]::new);
  }

  /** {@code terms} without the stop terms, in their order. */
  int[] without(int[] terms) {
    if (sorted.length == 0) {
      return terms;
    }
    int[] kept = new int[terms.length];
    int n = 0;
    for (int term : terms) {
      if (!contains(term)) {
        kept[n++] = term;
      }
    }
    return n == terms.length ? terms : Arrays.copyOf(kept, n);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof StopTerms that && Arrays.equals(sorted, that.sorted);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sorted);
  }

  @Override
  public String toString() {
    return sorted.length + " stop terms";
  }
}
