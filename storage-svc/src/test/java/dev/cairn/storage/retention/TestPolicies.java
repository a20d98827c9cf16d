package dev.cairn.storage.retention;

import dev.cairn.store.RetentionTier;
import java.time.Duration;
import java.util.Map;

/** The configuration's defaults as a {@link RetentionPolicy}, for the tests. */
final class TestPolicies {

  private TestPolicies() {}

  static RetentionPolicy defaults() {
    return new RetentionPolicy(
        Map.of(
            RetentionTier.STANDARD, Duration.ofDays(7),
            RetentionTier.EXTENDED, Duration.ofDays(30),
            RetentionTier.AGGREGATES, Duration.ofDays(90),
            RetentionTier.ROLLUPS, Duration.ofDays(90)),
        Map.of(
            RetentionTier.STANDARD, Duration.ofHours(1),
            RetentionTier.EXTENDED, Duration.ofHours(1),
            RetentionTier.AGGREGATES, Duration.ofDays(1),
            RetentionTier.ROLLUPS, Duration.ofDays(7)),
        Duration.ofDays(1),
        Duration.ofDays(1),
        Duration.ofHours(3),
        168);
  }

  /** The defaults with {@code tier} kept for {@code period}. */
  static RetentionPolicy with(RetentionTier tier, Duration period) {
    RetentionPolicy defaults = defaults();
    Map<RetentionTier, Duration> periods = new java.util.EnumMap<>(defaults.periods());
    periods.put(tier, period);
    return new RetentionPolicy(
        periods,
        defaults.chunkIntervals(),
        defaults.summaryChunkInterval(),
        defaults.warmAfter(),
        defaults.rollupLookback(),
        defaults.maxHoursPerRun());
  }
}
