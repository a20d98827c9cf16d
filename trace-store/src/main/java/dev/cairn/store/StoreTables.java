package dev.cairn.store;

import dev.cairn.model.wire.RetentionClass;
import java.util.List;

/**
 * Every table of the store that grows with spans or metrics, with its retention tier: the one list
 * retention and chunk settings are planned from. A migration that adds such a table adds it here;
 * {@code StoreTablesIT} fails while a hypertable of the schema is missing from this list.
 *
 * <p>Not listed, because they are not hypertables and do not grow with spans: {@code
 * metrics_offsets} and {@code maintenance_runs}; and the plain table of the V1–V5 layout, {@code
 * trace_summaries}, which is no longer written (docs/architecture.md, "Storage: compact layout").
 */
public final class StoreTables {

  /** Segments (the compact layout, migration V6): one row per trace per written batch. */
  public static final StoreTable SEGMENTS_STANDARD =
      new StoreTable("trace_segments_standard", RetentionTier.STANDARD, "start_time");

  public static final StoreTable SEGMENTS_EXTENDED =
      new StoreTable("trace_segments_extended", RetentionTier.EXTENDED, "start_time");

  /** Trace summaries per class, partitioned by the start of the trace's first write. */
  public static final StoreTable SUMMARIES_STANDARD =
      new StoreTable("trace_summaries_standard", RetentionTier.STANDARD, "partition_time");

  public static final StoreTable SUMMARIES_EXTENDED =
      new StoreTable("trace_summaries_extended", RetentionTier.EXTENDED, "partition_time");

  /**
   * One row per span: the V1–V5 layout. No longer written; listed so that their chunks age out like
   * any other, once the one-off copy into segments is done or no longer wanted.
   */
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

  /**
   * The service/operation catalog (migration V8): one row per operation per day of its spans, so
   * that an operation no longer referenced leaves with its last day's chunk.
   */
  public static final StoreTable OPERATIONS =
      new StoreTable("operations", RetentionTier.CATALOG, "seen_day");

  /**
   * The days each search term occurs on (migration V11): one row per term per day of the segments
   * holding it, kept with the operations.
   */
  public static final StoreTable SEARCH_TERM_DAYS =
      new StoreTable("search_term_days", RetentionTier.CATALOG, "seen_day");

  /** The V2 layout's resources, referred to by the V1–V5 span rows only (no longer written). */
  public static final StoreTable RESOURCES =
      new StoreTable("resources", RetentionTier.CATALOG, "last_seen");

  /** The trace summaries, chunked more coarsely than the segments they count. */
  public static final List<StoreTable> SUMMARIES = List.of(SUMMARIES_STANDARD, SUMMARIES_EXTENDED);

  /**
   * Compressed natively under the Community licence once warm: the segments, written once and never
   * updated (summaries take upserts of late spans, so they stay as written).
   */
  public static final List<StoreTable> WARM_COMPRESSED =
      List.of(SEGMENTS_STANDARD, SEGMENTS_EXTENDED);

  /** In the order retention visits them. */
  public static final List<StoreTable> ALL =
      List.of(
          SEGMENTS_STANDARD,
          SEGMENTS_EXTENDED,
          SUMMARIES_STANDARD,
          SUMMARIES_EXTENDED,
          SPANS_STANDARD,
          SPANS_EXTENDED,
          SPAN_METRICS,
          SERVICE_EDGES,
          SPAN_METRICS_HOURLY,
          SERVICE_EDGES_HOURLY,
          OPERATIONS,
          SEARCH_TERM_DAYS,
          RESOURCES);

  private StoreTables() {}

  /** The segment table of a retention class. */
  public static StoreTable segments(RetentionClass retention) {
    return retention == RetentionClass.EXTENDED ? SEGMENTS_EXTENDED : SEGMENTS_STANDARD;
  }

  /** The summary table of a retention class. */
  public static StoreTable summaries(RetentionClass retention) {
    return retention == RetentionClass.EXTENDED ? SUMMARIES_EXTENDED : SUMMARIES_STANDARD;
  }
}
