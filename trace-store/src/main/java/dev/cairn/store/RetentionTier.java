package dev.cairn.store;

import dev.cairn.model.wire.RetentionClass;

/**
 * How long the rows of a table are kept, configured per tier ({@code cairn.storage.retention.*}).
 * Every table that grows with the data belongs to exactly one tier ({@link StoreTables}).
 */
public enum RetentionTier {
  /** Spans of ordinary traces (7 days by default). */
  STANDARD,
  /** Spans of traces with errors, slow or debugged (30 days by default). */
  EXTENDED,
  /** Per-minute span metrics and service edges (90 days by default). */
  AGGREGATES,
  /** The hourly rollups of the per-minute aggregates, the cold tier (90 days by default). */
  ROLLUPS,
  /**
   * The catalogs the spans refer to (operations, resources): not configured, kept as long as the
   * longest span tier plus one day, so that a catalog row outlives every span that refers to it.
   */
  CATALOG;

  /** Whether the tier has a period and chunk interval of its own in the configuration. */
  public boolean configured() {
    return this != CATALOG;
  }

  /** The tier of a sampled trace's spans. */
  public static RetentionTier of(RetentionClass retention) {
    return switch (retention) {
      case STANDARD -> STANDARD;
      case EXTENDED -> EXTENDED;
    };
  }
}
