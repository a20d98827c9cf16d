package dev.cairn.storage.config;

import dev.cairn.storage.retention.RetentionPolicy;
import dev.cairn.store.RetentionTier;
import java.util.Map;

/** {@code cairn.storage.retention.*} as the planner's {@link RetentionPolicy}. */
public final class RetentionPolicies {

  private RetentionPolicies() {}

  /**
   * @throws IllegalArgumentException when the block is inconsistent (see {@link RetentionPolicy})
   */
  public static RetentionPolicy from(StorageConfig.Retention retention) {
    StorageConfig.ChunkIntervals chunks = retention.chunkIntervals();
    return new RetentionPolicy(
        Map.of(
            RetentionTier.STANDARD, retention.standard(),
            RetentionTier.EXTENDED, retention.extended(),
            RetentionTier.AGGREGATES, retention.aggregates(),
            RetentionTier.ROLLUPS, retention.rollups()),
        Map.of(
            RetentionTier.STANDARD, chunks.standard(),
            RetentionTier.EXTENDED, chunks.extended(),
            RetentionTier.AGGREGATES, chunks.aggregates(),
            RetentionTier.ROLLUPS, chunks.rollups()),
        chunks.summaries(),
        retention.warmAfter(),
        retention.rollup().lookback(),
        retention.rollup().maxHoursPerRun());
  }
}
