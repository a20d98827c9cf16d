package dev.cairn.store;

import java.util.List;

/**
 * Every table of the store that grows with spans or metrics, with its retention tier: the one list
 * retention and chunk settings are planned from. A migration that adds such a table adds it here;
 * {@code StoreTablesIT} fails while a hypertable of the schema is missing from this list.
 *
 * <p>Not listed, because they do not grow with spans: {@code operations} (the service/operation
 * catalog), {@code resources} (one row per service instance), {@code metrics_offsets} and {@code
 * maintenance_runs}. {@code trace_summaries} is still a plain table (one row per trace, primary key
 * {@code trace_id}); it joins this list as per-tier hypertables with the storage layout of issue 7.
 */
public final class StoreTables {

  public static final StoreTable SPANS_STANDARD =
      new StoreTable("spans_standard", RetentionTier.STANDARD, "start_time");
  public static final StoreTable SPANS_EXTENDED =
      new StoreTable("spans_extended", RetentionTier.EXTENDED, "start_time");
  public static final StoreTable SPAN_METRICS =
      new StoreTable("span_metrics", RetentionTier.AGGREGATES, "minute");
  public static final StoreTable SERVICE_EDGES =
      new StoreTable("service_edges", RetentionTier.AGGREGATES, "minute");
  public static final StoreTable SPAN_METRICS_HOURLY =
      new StoreTable("span_metrics_hourly", RetentionTier.ROLLUPS, "hour");
  public static final StoreTable SERVICE_EDGES_HOURLY =
      new StoreTable("service_edges_hourly", RetentionTier.ROLLUPS, "hour");

  /** In the order retention visits them. */
  public static final List<StoreTable> ALL =
      List.of(
          SPANS_STANDARD,
          SPANS_EXTENDED,
          SPAN_METRICS,
          SERVICE_EDGES,
          SPAN_METRICS_HOURLY,
          SERVICE_EDGES_HOURLY);

  private StoreTables() {}
}
