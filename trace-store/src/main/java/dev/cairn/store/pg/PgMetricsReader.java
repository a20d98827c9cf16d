package dev.cairn.store.pg;

import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.StatusCode;
import dev.cairn.model.metrics.DurationBuckets;
import dev.cairn.model.metrics.EdgeType;
import dev.cairn.model.metrics.Exemplar;
import dev.cairn.model.metrics.SeriesAggregate;
import dev.cairn.model.metrics.SpanSeries;
import dev.cairn.store.EdgeTotal;
import dev.cairn.store.MetricsPoint;
import dev.cairn.store.MetricsQuery;
import dev.cairn.store.MetricsReader;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads {@code span_metrics} and {@code service_edges} with the Vert.x reactive PostgreSQL client,
 * and their hourly rollups ({@code *_hourly}, V5) for the hours whose minute rows retention
 * dropped: an answer over a window that crosses that boundary adds hours and minutes as one series
 * (a step shorter than an hour shows an old hour whole, at its start). Fixed SQL, every value a
 * bind parameter; optional filters are {@code ($n IS NULL OR col = $n)}. Histograms are merged in
 * the database ({@code cairn_sum_buckets}, migration V3), so a window of any length sends one row
 * per edge or step. TimescaleDB lives in schema {@code public} (V1).
 */
public final class PgMetricsReader implements MetricsReader {

  /**
   * Where the hourly rollups take over from the per-minute rows of {@code table}: the hour of its
   * oldest minute row ('infinity' once every minute row aged out). Chunks are whole hours and are
   * dropped whole, so the minute rows hold every hour from there on; hourly rows before it, minute
   * rows from it, and no hour is counted twice or missed.
   */
  private static String boundary(String table) {
    return "(SELECT coalesce(public.time_bucket(INTERVAL '1 hour', min(minute)), 'infinity')"
        + " FROM "
        + table
        + ")";
  }

  static final String DEPENDENCIES =
      "SELECT client_service, server_service, edge_type, sum(calls) AS calls,"
          + " sum(errors) AS errors, sum(spans) AS spans, sum(duration_sum_nano) AS duration_sum,"
          + " cairn_sum_buckets(buckets) AS buckets FROM ("
          + " SELECT client_service, server_service, edge_type, calls, errors, spans,"
          + " duration_sum_nano, buckets FROM service_edges WHERE minute >= $1 AND minute < $2"
          + " UNION ALL"
          + " SELECT client_service, server_service, edge_type, calls, errors, spans,"
          + " duration_sum_nano, buckets FROM service_edges_hourly WHERE hour >= $1 AND hour < $2"
          + " AND hour < "
          + boundary("service_edges")
          + ") AS edges"
          + " GROUP BY client_service, server_service, edge_type"
          + " ORDER BY client_service COLLATE \"C\", server_service COLLATE \"C\", edge_type"
          + " LIMIT $3";

  static final String SERVICE_METRICS =
      "SELECT public.time_bucket(make_interval(secs => $4::double precision), minute, $2::timestamptz)"
          + " AS step_start, sum(calls) AS calls,"
          + " coalesce(sum(calls) FILTER (WHERE status_code = 2), 0) AS errors,"
          + " sum(spans) AS spans, sum(duration_sum_nano) AS duration_sum,"
          + " cairn_sum_buckets(buckets) AS buckets FROM ("
          + " SELECT minute, status_code, calls, spans, duration_sum_nano, buckets FROM span_metrics"
          + " WHERE service_name = $1 AND minute >= $2 AND minute < $3"
          + " AND ($5::text IS NULL OR span_name = $5)"
          + " AND ($6::smallint IS NULL OR kind = $6)"
          + " UNION ALL"
          + " SELECT hour, status_code, calls, spans, duration_sum_nano, buckets"
          + " FROM span_metrics_hourly"
          + " WHERE service_name = $1 AND hour >= $2 AND hour < $3"
          + " AND ($5::text IS NULL OR span_name = $5)"
          + " AND ($6::smallint IS NULL OR kind = $6)"
          + " AND hour < "
          + boundary("span_metrics")
          + ") AS series"
          + " GROUP BY step_start ORDER BY step_start";

  static final String SPAN_SERIES =
      "SELECT minute, service_name, span_name, kind, status_code, calls, spans,"
          + " duration_sum_nano AS duration_sum, buckets, exemplar_trace_id, exemplar_span_id,"
          + " exemplar_duration_nano FROM span_metrics WHERE minute > $1 AND minute <= $2"
          + " ORDER BY minute LIMIT $3";

  private final Pool pool;

  /**
   * @param pool connections whose search path holds the trace-store schema
   */
  public PgMetricsReader(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Uni<List<EdgeTotal>> dependencies(Instant start, Instant end, int limit) {
    return pool.preparedQuery(DEPENDENCIES)
        .execute(Tuple.of(utc(start), utc(end), (long) limit))
        .map(
            rows -> {
              List<EdgeTotal> edges = new ArrayList<>(rows.size());
              for (Row row : rows) {
                edges.add(
                    new EdgeTotal(
                        row.getString("client_service"),
                        row.getString("server_service"),
                        EdgeType.forNumber(row.getShort("edge_type")),
                        row.getDouble("errors"),
                        aggregate(row, Optional.empty())));
              }
              return edges;
            })
        .onFailure()
        .transform(PgTraceReader::translate);
  }

  @Override
  public Uni<List<MetricsPoint>> serviceMetrics(MetricsQuery query) {
    return pool.preparedQuery(SERVICE_METRICS)
        .execute(
            Tuple.from(
                new Object[] {
                  query.service(),
                  utc(query.start()),
                  utc(query.end()),
                  (double) query.step().toSeconds(),
                  query.operation().orElse(null),
                  query.kind().map(k -> (short) k.number()).orElse(null)
                }))
        .map(
            rows -> {
              List<MetricsPoint> points = new ArrayList<>(rows.size());
              for (Row row : rows) {
                points.add(
                    new MetricsPoint(
                        row.getOffsetDateTime("step_start").toInstant(),
                        row.getDouble("errors"),
                        aggregate(row, Optional.empty())));
              }
              return points;
            })
        .onFailure()
        .transform(PgTraceReader::translate);
  }

  @Override
  public Uni<List<SpanSeries>> spanSeries(Instant after, Instant through, int limit) {
    return pool.preparedQuery(SPAN_SERIES)
        .execute(Tuple.of(utc(after), utc(through), (long) limit))
        .map(
            rows -> {
              List<SpanSeries> series = new ArrayList<>(rows.size());
              for (Row row : rows) {
                series.add(
                    new SpanSeries(
                        PgTraceReader.unixNano(row.getOffsetDateTime("minute").toInstant()),
                        row.getString("service_name"),
                        row.getString("span_name"),
                        SpanKind.forNumber(row.getShort("kind")),
                        StatusCode.forNumber(row.getShort("status_code")),
                        aggregate(row, exemplar(row))));
              }
              return series;
            })
        .onFailure()
        .transform(PgTraceReader::translate);
  }

  /** Columns calls, spans, duration_sum and buckets of a row. */
  private static SeriesAggregate aggregate(Row row, Optional<Exemplar> exemplar) {
    Double[] stored = row.getArrayOfDoubles("buckets");
    double[] buckets = new double[DurationBuckets.COUNT];
    for (int i = 0; stored != null && i < stored.length && i < buckets.length; i++) {
      buckets[i] = stored[i] == null ? 0 : stored[i];
    }
    return new SeriesAggregate(
        row.getDouble("calls"),
        row.getLong("spans"),
        row.getDouble("duration_sum"),
        buckets,
        exemplar);
  }

  private static Optional<Exemplar> exemplar(Row row) {
    UUID traceId = row.getUUID("exemplar_trace_id");
    if (traceId == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Exemplar(
            SpanCopyEncoder.traceIdOf(traceId),
            new SpanId(row.getLong("exemplar_span_id")),
            row.getLong("exemplar_duration_nano")));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
