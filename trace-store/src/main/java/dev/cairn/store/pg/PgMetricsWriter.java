package dev.cairn.store.pg;

import dev.cairn.model.metrics.EdgeSeries;
import dev.cairn.model.metrics.Exemplar;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.metrics.SpanSeries;
import dev.cairn.store.InvalidSpanBatchException;
import dev.cairn.store.MetricsDelta;
import dev.cairn.store.MetricsWriter;
import dev.cairn.store.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Adds span-metric deltas to {@code span_metrics} and {@code service_edges}, exactly once per
 * record: in one transaction it locks the partition's row in {@code metrics_offsets}, adds only the
 * records at or past its {@code next_offset} (one upsert per series: sums added, histograms added
 * bucket by bucket, the preferred exemplar kept), and moves {@code next_offset} past the last
 * record. A redelivered record (a consumer restarted before Kafka heard of the commit, a partition
 * moved to another replica) is below the stored offset and adds nothing, whichever replica sees it.
 * Returns only after the commit. Thread-safe (a connection per call).
 */
public final class PgMetricsWriter implements MetricsWriter {

  private static final String ENSURE_OFFSET =
      "INSERT INTO metrics_offsets (topic, partition, next_offset) VALUES (?, ?, 0)"
          + " ON CONFLICT DO NOTHING";

  private static final String LOCK_OFFSET =
      "SELECT next_offset FROM metrics_offsets WHERE topic = ? AND partition = ? FOR UPDATE";

  private static final String NEXT_OFFSETS =
      "SELECT partition, next_offset FROM metrics_offsets WHERE topic = ?";

  private static final String MOVE_OFFSET =
      "UPDATE metrics_offsets SET next_offset = ? WHERE topic = ? AND partition = ?";

  /** Same order as {@code Exemplar.PREFERRED}: slowest, then smallest trace id, then span id. */
  private static final String MERGE_EXEMPLAR =
      " (exemplar_trace_id, exemplar_span_id, exemplar_duration_nano) = (SELECT e.t, e.s, e.d"
          + " FROM (VALUES (m.exemplar_trace_id, m.exemplar_span_id, m.exemplar_duration_nano),"
          + " (EXCLUDED.exemplar_trace_id, EXCLUDED.exemplar_span_id,"
          + " EXCLUDED.exemplar_duration_nano)) AS e(t, s, d)"
          + " ORDER BY e.d DESC NULLS LAST, e.t, e.s LIMIT 1)";

  private static final String MERGE_AGGREGATE =
      " calls = m.calls + EXCLUDED.calls, spans = m.spans + EXCLUDED.spans,"
          + " duration_sum_nano = m.duration_sum_nano + EXCLUDED.duration_sum_nano,"
          + " buckets = cairn_add_buckets(m.buckets, EXCLUDED.buckets),"
          + MERGE_EXEMPLAR;

  private static final String UPSERT_SPAN_SERIES =
      "INSERT INTO span_metrics AS m (minute, service_name, span_name, kind, status_code, calls,"
          + " spans, duration_sum_nano, buckets, exemplar_trace_id, exemplar_span_id,"
          + " exemplar_duration_nano) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (service_name, span_name, kind, status_code, minute) DO UPDATE SET"
          + MERGE_AGGREGATE;

  private static final String UPSERT_EDGE_SERIES =
      "INSERT INTO service_edges AS m (minute, client_service, server_service, edge_type, errors,"
          + " calls, spans, duration_sum_nano, buckets, exemplar_trace_id, exemplar_span_id,"
          + " exemplar_duration_nano) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (client_service, server_service, edge_type, minute) DO UPDATE SET"
          + " errors = m.errors + EXCLUDED.errors,"
          + MERGE_AGGREGATE;

  private final DataSource dataSource;

  public PgMetricsWriter(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Map<Integer, Long> nextOffsets(String topic) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(NEXT_OFFSETS)) {
      query.setString(1, topic);
      Map<Integer, Long> offsets = new HashMap<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          offsets.put(rows.getInt(1), rows.getLong(2));
        }
      }
      return offsets;
    } catch (SQLException e) {
      throw PgSpanWriter.translate(e);
    }
  }

  /**
   * @throws StoreUnavailableException when the transaction failed for a reason that may pass
   * @throws InvalidSpanBatchException when the database refused a value of the deltas; the same
   *     records fail the same way
   */
  @Override
  public int apply(String topic, int partition, List<MetricsDelta> deltas) {
    if (deltas.isEmpty()) {
      return 0;
    }
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        int applied = applyInTransaction(connection, topic, partition, deltas);
        connection.commit();
        return applied;
      } catch (SQLException | RuntimeException e) {
        try {
          connection.rollback();
        } catch (SQLException rollbackFailure) {
          e.addSuppressed(rollbackFailure);
        }
        throw e;
      }
    } catch (SQLException e) {
      throw PgSpanWriter.translate(e);
    }
  }

  private static int applyInTransaction(
      Connection connection, String topic, int partition, List<MetricsDelta> deltas)
      throws SQLException {
    try (PreparedStatement ensure = connection.prepareStatement(ENSURE_OFFSET)) {
      ensure.setString(1, topic);
      ensure.setInt(2, partition);
      ensure.executeUpdate();
    }
    long next;
    try (PreparedStatement lock = connection.prepareStatement(LOCK_OFFSET)) {
      lock.setString(1, topic);
      lock.setInt(2, partition);
      try (ResultSet row = lock.executeQuery()) {
        row.next();
        next = row.getLong(1);
      }
    }
    int applied = 0;
    long last = -1;
    try (PreparedStatement spans = connection.prepareStatement(UPSERT_SPAN_SERIES);
        PreparedStatement edges = connection.prepareStatement(UPSERT_EDGE_SERIES)) {
      for (MetricsDelta delta : deltas) {
        if (delta.offset() < next || delta.offset() <= last) {
          continue; // added before (or given twice)
        }
        for (SpanSeries series : delta.batch().spanSeries()) {
          spans.setObject(1, minute(series.minuteUnixNano()));
          spans.setString(2, series.service());
          spans.setString(3, series.operation());
          spans.setShort(4, (short) series.kind().number());
          spans.setShort(5, (short) series.status().number());
          bindAggregate(connection, spans, 6, series.aggregate());
          spans.addBatch();
        }
        for (EdgeSeries series : delta.batch().edgeSeries()) {
          edges.setObject(1, minute(series.minuteUnixNano()));
          edges.setString(2, series.client());
          edges.setString(3, series.server());
          edges.setShort(4, (short) series.type().number());
          edges.setDouble(5, series.errors());
          bindAggregate(connection, edges, 6, series.aggregate());
          edges.addBatch();
        }
        last = delta.offset();
        applied++;
      }
      spans.executeBatch();
      edges.executeBatch();
    }
    if (last >= 0) {
      try (PreparedStatement move = connection.prepareStatement(MOVE_OFFSET)) {
        move.setLong(1, last + 1);
        move.setString(2, topic);
        move.setInt(3, partition);
        move.executeUpdate();
      }
    }
    return applied;
  }

  /** Binds calls, spans, duration sum, buckets and the exemplar's three columns from {@code at}. */
  private static void bindAggregate(
      Connection connection, PreparedStatement statement, int at, SeriesAggregate aggregate)
      throws SQLException {
    statement.setDouble(at, aggregate.count());
    statement.setLong(at + 1, aggregate.spans());
    statement.setDouble(at + 2, aggregate.durationSumNanos());
    double[] buckets = aggregate.buckets();
    Double[] boxed = new Double[buckets.length];
    for (int i = 0; i < buckets.length; i++) {
      boxed[i] = buckets[i];
    }
    statement.setArray(at + 3, connection.createArrayOf("float8", boxed));
    Exemplar exemplar = aggregate.exemplar().orElse(null);
    if (exemplar == null) {
      statement.setNull(at + 4, Types.OTHER);
      statement.setNull(at + 5, Types.BIGINT);
      statement.setNull(at + 6, Types.BIGINT);
    } else {
      statement.setObject(at + 4, SpanCopyEncoder.uuidOf(exemplar.traceId()));
      statement.setLong(at + 5, exemplar.spanId().value());
      statement.setLong(at + 6, exemplar.durationNanos());
    }
  }

  static OffsetDateTime minute(long unixNano) {
    return OffsetDateTime.ofInstant(
        Instant.ofEpochSecond(Math.floorDiv(unixNano, 1_000_000_000L)), ZoneOffset.UTC);
  }
}
