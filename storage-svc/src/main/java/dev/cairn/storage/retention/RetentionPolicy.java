package dev.cairn.storage.retention;

import dev.cairn.store.RetentionTier;
import dev.cairn.store.StoreTable;
import dev.cairn.store.StoreTables;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * How long each tier keeps its rows and how its hypertables are chunked, and how the rollup job
 * catches up: the configuration ({@code cairn.storage.retention.*}) as the planner needs it.
 *
 * @param periods how long each tier keeps its rows; every {@link RetentionTier#configured()} tier
 *     present
 * @param chunkIntervals the chunk interval of each tier's tables; every configured tier present
 * @param summaryChunkInterval the chunk interval of the trace summaries (both span tiers)
 * @param warmAfter span chunks older than this are warm: compressed natively under the Community
 *     licence, their segments re-packed per trace under Apache-2 ({@link WarmCompactionJob})
 * @param rollupLookback closed hours recomputed again on every rollup run (late deltas)
 * @param maxHoursPerRun hours one rollup run covers at most
 */
public record RetentionPolicy(
    Map<RetentionTier, Duration> periods,
    Map<RetentionTier, Duration> chunkIntervals,
    Duration summaryChunkInterval,
    Duration warmAfter,
    Duration rollupLookback,
    int maxHoursPerRun) {

  public RetentionPolicy {
    periods = complete(periods, "period");
    chunkIntervals = complete(chunkIntervals, "chunk interval");
    positive(summaryChunkInterval, "summaries chunk interval");
    positive(warmAfter, "warm-after");
    if (rollupLookback.isNegative()) {
      throw new IllegalArgumentException("rollup lookback must not be negative: " + rollupLookback);
    }
    if (maxHoursPerRun < 1) {
      throw new IllegalArgumentException(
          "max hours per rollup run must be >= 1: " + maxHoursPerRun);
    }
    Duration minuteChunks = chunkIntervals.get(RetentionTier.AGGREGATES);
    if (minuteChunks.toSeconds() % 3600 != 0 || minuteChunks.toNanosPart() != 0) {
      // readers switch to the hourly rollups at an hour: minute chunks must be dropped whole hours
      throw new IllegalArgumentException(
          "the aggregates chunk interval must be whole hours: " + minuteChunks);
    }
    if (periods.get(RetentionTier.AGGREGATES).compareTo(rollupLookback) <= 0) {
      // the rollup would recompute hours whose minute rows retention already dropped
      throw new IllegalArgumentException(
          "the aggregates period must be longer than the rollup lookback: "
              + periods.get(RetentionTier.AGGREGATES)
              + " <= "
              + rollupLookback);
    }
  }

  /** The catalogs' chunk interval: the day {@code OperationCache} states an operation for. */
  public static final Duration CATALOG_CHUNK_INTERVAL = Duration.ofDays(1);

  /**
   * How long a tier keeps its rows; for {@link RetentionTier#CATALOG}, the longest span tier's
   * period plus one day (a resource's last_seen may precede its spans by the old writer's hourly
   * refresh, an operation's day starts before its spans).
   */
  public Duration period(RetentionTier tier) {
    if (tier == RetentionTier.CATALOG) {
      Duration standard = periods.get(RetentionTier.STANDARD);
      Duration extended = periods.get(RetentionTier.EXTENDED);
      return (standard.compareTo(extended) >= 0 ? standard : extended).plus(Duration.ofDays(1));
    }
    return periods.get(tier);
  }

  public Duration chunkInterval(RetentionTier tier) {
    return tier == RetentionTier.CATALOG ? CATALOG_CHUNK_INTERVAL : chunkIntervals.get(tier);
  }

  /** The chunk interval of a table: its tier's, or the summaries' own. */
  public Duration chunkInterval(StoreTable table) {
    return StoreTables.SUMMARIES.contains(table)
        ? summaryChunkInterval
        : chunkInterval(table.tier());
  }

  private static Map<RetentionTier, Duration> complete(
      Map<RetentionTier, Duration> values, String what) {
    Map<RetentionTier, Duration> copy = new EnumMap<>(RetentionTier.class);
    for (RetentionTier tier : RetentionTier.values()) {
      if (!tier.configured()) {
        continue;
      }
      Duration value = Objects.requireNonNull(values.get(tier), () -> what + " of " + tier);
      positive(value, what + " of " + tier);
      copy.put(tier, value);
    }
    return Map.copyOf(copy);
  }

  private static void positive(Duration value, String what) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(what + " must be positive: " + value);
    }
  }
}
