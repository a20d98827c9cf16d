package dev.cairn.store.pg;

import java.time.Duration;

/**
 * How a writer trains the store's stop terms ({@link StopTerms}, migration V12) when none are
 * stored yet.
 *
 * @param segments fresh segments to count before training, at the least
 * @param period how long to count them, at the least: the list is permanent, so it should not be
 *     learnt from the first seconds of traffic (one load test, one batch job)
 * @param grace how long after the list is stored writers keep writing the terms: readers reload the
 *     list every {@link StoredStopTerms#READER_REFRESH}, so a search that a reader started on an
 *     older view cannot miss a segment written without them
 */
public record StopTermSettings(int segments, Duration period, Duration grace) {

  /** At the seed's rate (~770 segments a second) a few seconds of segments, counted for an hour. */
  public static final StopTermSettings DEFAULT =
      new StopTermSettings(10_000, Duration.ofHours(1), Duration.ofMinutes(10));

  public StopTermSettings {
    if (segments < 1 || period.isNegative() || grace.isNegative()) {
      throw new IllegalArgumentException(
          "stop-term training needs at least one segment and non-negative periods");
    }
  }

  /**
   * For a store no reader searches while it is filled (the bulk loader): trains on the first {@code
   * segments} and uses the list at once.
   */
  public static StopTermSettings withoutReaders(int segments) {
    return new StopTermSettings(segments, Duration.ZERO, Duration.ZERO);
  }
}
