package dev.cairn.store.pg;

import java.util.OptionalInt;

/**
 * The span durations a segment's duration terms mark ({@link SearchTerms}): a span of a service
 * lasting at least a threshold gives the segment the term of that service and threshold, for every
 * threshold it reaches. So a search for a service's spans of at least a minimum requires one term,
 * the highest threshold at or below the minimum, and the term index finds the segments where the
 * service was that slow instead of every segment of the service.
 *
 * <p>The ladder starts at 100 ms: a minimum below it is rarely asked of a trace search, and a
 * threshold most spans reach would add a term per service to nearly every segment. Steps of about
 * three keep a segment's extra terms few (a 5 s span marks four) while a minimum is never more than
 * ~3.3 times its threshold; the recheck on the decoded spans is exact anyway.
 *
 * <p>Stored terms depend on this ladder: changing it needs a new {@code search_catalogs} row and
 * term kind, as the duration terms themselves did (V13).
 */
final class DurationThresholds {

  private static final long MILLI = 1_000_000L;

  /** Ascending, in nanoseconds. */
  private static final long[] THRESHOLDS = {
    100 * MILLI, 300 * MILLI, 1_000 * MILLI, 3_000 * MILLI, 10_000 * MILLI, 30_000 * MILLI
  };

  /** Each threshold's name in its term: milliseconds as text. */
  private static final String[] NAMES = new String[THRESHOLDS.length];

  static {
    for (int i = 0; i < THRESHOLDS.length; i++) {
      NAMES[i] = Long.toString(THRESHOLDS[i] / MILLI);
    }
  }

  private DurationThresholds() {}

  /** How many thresholds a span of {@code nanos} reaches: it marks the first that many. */
  static int reached(long nanos) {
    int n = 0;
    while (n < THRESHOLDS.length && nanos >= THRESHOLDS[n]) {
      n++;
    }
    return n;
  }

  /** The highest threshold at or below {@code minimumNanos}, if any: the one a search requires. */
  static OptionalInt at(long minimumNanos) {
    int reached = reached(minimumNanos);
    return reached == 0 ? OptionalInt.empty() : OptionalInt.of(reached - 1);
  }

  /** The name of threshold {@code index} in its term. */
  static String name(int index) {
    return NAMES[index];
  }
}
