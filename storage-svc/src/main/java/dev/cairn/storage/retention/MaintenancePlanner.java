package dev.cairn.storage.retention;

import dev.cairn.store.RetentionTier;
import dev.cairn.store.StoreTable;
import dev.cairn.store.StoreTables;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the maintenance jobs do, as statements for each table of {@link StoreTables}: pure, so that
 * both licence modes are tested by the statements they produce; {@code JdbcPlanExecutor} only runs
 * them. Under the Community licence the start-up plan hands retention and compression to
 * TimescaleDB's policies; under Apache-2 the retention run drops the expired chunks itself. The
 * rollups are the same job under both.
 */
public final class MaintenancePlanner {

  static final String SET_CHUNK_INTERVAL =
      "SELECT public.set_chunk_time_interval(?::regclass, ?::interval)";
  static final String DROP_CHUNKS =
      "SELECT public.drop_chunks(?::regclass, older_than => ?::timestamptz)";
  static final String REMOVE_RETENTION_POLICY =
      "SELECT public.remove_retention_policy(?::regclass, if_exists => true)";
  static final String ADD_RETENTION_POLICY =
      "SELECT public.add_retention_policy(?::regclass, drop_after => ?::interval)";
  static final String REMOVE_COMPRESSION_POLICY =
      "SELECT public.remove_compression_policy(?::regclass, if_exists => true)";
  static final String ADD_COMPRESSION_POLICY =
      "SELECT public.add_compression_policy(?::regclass, compress_after => ?::interval)";

  /** Same preference as the minute tables' merge (V3): slowest, then smallest trace id, span id. */
  private static final String EXEMPLAR_ORDER =
      " ORDER BY exemplar_duration_nano DESC NULLS LAST, exemplar_trace_id, exemplar_span_id";

  private static final String EXEMPLAR_COLUMNS =
      " (array_agg(exemplar_trace_id"
          + EXEMPLAR_ORDER
          + "))[1], (array_agg(exemplar_span_id"
          + EXEMPLAR_ORDER
          + "))[1], (array_agg(exemplar_duration_nano"
          + EXEMPLAR_ORDER
          + "))[1]";

  private static final String REPLACE_AGGREGATE =
      " calls = EXCLUDED.calls, spans = EXCLUDED.spans,"
          + " duration_sum_nano = EXCLUDED.duration_sum_nano, buckets = EXCLUDED.buckets,"
          + " exemplar_trace_id = EXCLUDED.exemplar_trace_id,"
          + " exemplar_span_id = EXCLUDED.exemplar_span_id,"
          + " exemplar_duration_nano = EXCLUDED.exemplar_duration_nano";

  /** The hours' full recomputation from the minute rows replaces what an earlier run wrote. */
  static final String ROLL_UP_SPAN_METRICS =
      "INSERT INTO span_metrics_hourly (hour, service_name, span_name, kind, status_code, calls,"
          + " spans, duration_sum_nano, buckets, exemplar_trace_id, exemplar_span_id,"
          + " exemplar_duration_nano)"
          + " SELECT public.time_bucket(INTERVAL '1 hour', minute), service_name, span_name, kind,"
          + " status_code, sum(calls), sum(spans), sum(duration_sum_nano),"
          + " cairn_sum_buckets(buckets),"
          + EXEMPLAR_COLUMNS
          + " FROM span_metrics WHERE minute >= ?::timestamptz AND minute < ?::timestamptz"
          + " GROUP BY 1, service_name, span_name, kind, status_code"
          + " ON CONFLICT (service_name, span_name, kind, status_code, hour) DO UPDATE SET"
          + REPLACE_AGGREGATE;

  static final String ROLL_UP_SERVICE_EDGES =
      "INSERT INTO service_edges_hourly (hour, client_service, server_service, edge_type, calls,"
          + " errors, spans, duration_sum_nano, buckets, exemplar_trace_id, exemplar_span_id,"
          + " exemplar_duration_nano)"
          + " SELECT public.time_bucket(INTERVAL '1 hour', minute), client_service,"
          + " server_service, edge_type, sum(calls), sum(errors), sum(spans),"
          + " sum(duration_sum_nano), cairn_sum_buckets(buckets),"
          + EXEMPLAR_COLUMNS
          + " FROM service_edges WHERE minute >= ?::timestamptz AND minute < ?::timestamptz"
          + " GROUP BY 1, client_service, server_service, edge_type"
          + " ON CONFLICT (client_service, server_service, edge_type, hour) DO UPDATE SET"
          + REPLACE_AGGREGATE
          + ", errors = EXCLUDED.errors";

  private final RetentionPolicy policy;

  public MaintenancePlanner(RetentionPolicy policy) {
    this.policy = policy;
  }

  public RetentionPolicy policy() {
    return policy;
  }

  /**
   * Run once at start-up: chunk intervals of every table (new chunks only), and under the Community
   * licence the retention and compression policies, removed and added again so that a changed
   * period takes effect.
   */
  public List<PlannedStatement> startup(LicenceMode mode) {
    List<PlannedStatement> plan = new ArrayList<>();
    for (StoreTable table : StoreTables.ALL) {
      plan.add(statement(table, SET_CHUNK_INTERVAL, policy.chunkInterval(table)));
    }
    if (mode == LicenceMode.COMMUNITY) {
      for (StoreTable table : StoreTables.ALL) {
        plan.add(statement(table, REMOVE_RETENTION_POLICY));
        plan.add(statement(table, ADD_RETENTION_POLICY, policy.period(table.tier())));
      }
      for (StoreTable table : StoreTables.WARM_COMPRESSED) {
        // the name is a constant of StoreTables: ALTER TABLE takes no bind parameter
        plan.add(
            new PlannedStatement(
                table.name(),
                "ALTER TABLE "
                    + table.name()
                    + " SET (timescaledb.compress, timescaledb.compress_orderby = '"
                    + table.timeColumn()
                    + " DESC')",
                List.of()));
        plan.add(statement(table, REMOVE_COMPRESSION_POLICY));
        plan.add(statement(table, ADD_COMPRESSION_POLICY, policy.warmAfter()));
      }
    }
    return plan;
  }

  /**
   * The chunk drops of one retention run under Apache-2 (none under the Community licence: the
   * policies drop them). Per-minute aggregates are dropped only up to the rollup's watermark, so
   * that no minute leaves before its hour is rolled up.
   *
   * @param rolledUpTo the rollup job's watermark (empty: nothing rolled up yet)
   */
  public List<PlannedStatement> retention(
      LicenceMode mode, Instant now, Optional<Instant> rolledUpTo) {
    if (mode == LicenceMode.COMMUNITY) {
      return List.of();
    }
    List<PlannedStatement> plan = new ArrayList<>();
    for (StoreTable table : StoreTables.ALL) {
      Instant cutoff = now.minus(policy.period(table.tier()));
      if (table.tier() == RetentionTier.AGGREGATES) {
        if (rolledUpTo.isEmpty()) {
          continue;
        }
        cutoff = cutoff.isBefore(rolledUpTo.get()) ? cutoff : rolledUpTo.get();
      }
      plan.add(statement(table, DROP_CHUNKS, cutoff));
    }
    return plan;
  }

  /** The hourly rollups of one window, span metrics and service edges. */
  public List<PlannedStatement> rollup(RollupWindow window) {
    return List.of(
        new PlannedStatement(
            StoreTables.SPAN_METRICS_HOURLY.name(),
            ROLL_UP_SPAN_METRICS,
            List.of(window.from(), window.to())),
        new PlannedStatement(
            StoreTables.SERVICE_EDGES_HOURLY.name(),
            ROLL_UP_SERVICE_EDGES,
            List.of(window.from(), window.to())));
  }

  /** The window of the next rollup run ({@link RollupWindow#of}) under this policy. */
  public Optional<RollupWindow> rollupWindow(
      Instant now, Optional<Instant> watermark, Optional<Instant> earliestMinute) {
    return RollupWindow.of(
        now, watermark, earliestMinute, policy.rollupLookback(), policy.maxHoursPerRun());
  }

  private static PlannedStatement statement(StoreTable table, String sql, Object... parameters) {
    List<Object> values = new ArrayList<>();
    values.add(table.name());
    values.addAll(List.of(parameters));
    return new PlannedStatement(table.name(), sql, values);
  }
}
