package dev.cairn.store.pg;

import dev.cairn.model.Span;
import dev.cairn.model.SpanId;
import dev.cairn.model.SpanKind;
import dev.cairn.model.SpanStatus;
import dev.cairn.model.StatusCode;
import dev.cairn.model.TraceId;
import dev.cairn.store.Operation;
import dev.cairn.store.QueryTimeoutException;
import dev.cairn.store.SearchCursor;
import dev.cairn.store.StoreFailure;
import dev.cairn.store.StoreUnavailableException;
import dev.cairn.store.TracePage;
import dev.cairn.store.TraceQuery;
import dev.cairn.store.TraceReader;
import dev.cairn.store.TraceSpans;
import dev.cairn.store.TraceSummary;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Reads traces from TimescaleDB with the Vert.x reactive PostgreSQL client. Every value travels as
 * a bind parameter; the only SQL assembled at run time joins fixed fragments ({@link SearchSql}).
 *
 * <p>Failures to reach the database surface as {@link StoreUnavailableException}; a statement the
 * database cancels (its {@code statement_timeout}, set on the pool's connections by the caller) as
 * {@link QueryTimeoutException}.
 */
public final class PgTraceReader implements TraceReader {

  private static final String TRACE_BOUNDS =
      "SELECT start_time, last_span_start, span_count FROM trace_summaries WHERE trace_id = $1";

  /**
   * The bounds from the summary are constants of this query, so TimescaleDB excludes every chunk
   * outside [first span start, last span start] instead of probing the trace-id index of each
   * chunk. Measured (EXPLAIN ANALYZE, 48 one-hour chunks): without bounds the plan scans an index
   * in all 48 chunks; with them, one chunk (see trace-store's FindTraceChunkExclusionIT). {@code
   * $4} is the cap plus one: the database sorts with a bounded top-N and sends no more rows.
   */
  static final String TRACE_SPANS =
      "SELECT s.trace_id, s.span_id, s.parent_span_id, s.start_unix_nano, s.end_unix_nano,"
          + " s.name, s.kind, s.status_code, s.status_message, s.trace_state, s.flags,"
          + " s.attributes::text AS attributes, s.dropped_attributes_count,"
          + " s.events::text AS events, s.dropped_events_count, s.links::text AS links,"
          + " s.dropped_links_count, coalesce(r.resource, s.resource)::text AS resource,"
          + " s.scope::text AS scope"
          // a row written before resources were stored once holds its resource inline
          + " FROM spans s LEFT JOIN resources r ON r.resource_id = s.resource_id"
          + " WHERE s.trace_id = $1 AND s.start_time >= $2 AND s.start_time <= $3"
          + " ORDER BY s.start_unix_nano, s.span_id LIMIT $4";

  /** SQLState query_canceled: statement_timeout expired (or an operator cancelled the query). */
  private static final String QUERY_CANCELED = "57014";

  private static final String SERVICES =
      "SELECT DISTINCT service_name COLLATE \"C\" AS service_name FROM operations ORDER BY 1";

  private static final String OPERATIONS =
      "SELECT span_name, kind FROM operations WHERE service_name = $1 ORDER BY span_name COLLATE \"C\", kind";

  private final Pool pool;
  private final Executor decoder;

  /**
   * Decodes spans on Mutiny's default worker pool (in Quarkus, its worker threads).
   *
   * @param pool connections whose search path holds the trace-store schema
   */
  public PgTraceReader(Pool pool) {
    this(pool, Infrastructure.getDefaultWorkerPool());
  }

  /**
   * @param pool connections whose search path holds the trace-store schema
   * @param decoder where rows of a trace become spans and the result is emitted: decoding a large
   *     trace's JSON columns takes long enough that it must not run on the pool's event loop
   */
  public PgTraceReader(Pool pool, Executor decoder) {
    this.pool = pool;
    this.decoder = decoder;
  }

  @Override
  public Uni<TraceSpans> findTrace(TraceId traceId, int maxSpans) {
    if (maxSpans < 1) {
      throw new IllegalArgumentException("maxSpans must be at least 1, got " + maxSpans);
    }
    Object id = SpanCopyEncoder.uuidOf(traceId);
    return pool.preparedQuery(TRACE_BOUNDS)
        .execute(Tuple.of(id))
        .flatMap(
            bounds -> {
              if (bounds.size() == 0) {
                return Uni.createFrom().item(TraceSpans.ABSENT);
              }
              Row row = bounds.iterator().next();
              int storedSpanCount = row.getInteger("span_count");
              return pool.preparedQuery(TRACE_SPANS)
                  .execute(
                      Tuple.of(
                          id,
                          row.getOffsetDateTime("start_time"),
                          row.getOffsetDateTime("last_span_start"),
                          maxSpans + 1L))
                  .emitOn(decoder)
                  .map(rows -> spans(rows, maxSpans, storedSpanCount));
            })
        .onFailure()
        .transform(PgTraceReader::translate);
  }

  /**
   * Without span criteria, one statement over the summaries. With them, a probe of the newest
   * candidate traces first, and only when that does not fill the page, a join over the span indexes
   * for the rest of the range (see {@link SearchSql} for why both).
   */
  @Override
  public Uni<TracePage> search(TraceQuery query) {
    Uni<List<Row>> rows;
    if (!SearchSql.hasSpanCriteria(query)) {
      rows = rows(SearchSql.of(query, TagResources.NONE));
    } else {
      int budget = probeBudget(query.limit());
      rows =
          tagResources(query)
              .flatMap(
                  resources ->
                      rows(SearchSql.probe(query, resources, budget))
                          .flatMap(
                              probed ->
                                  probed.size() > query.limit()
                                      ? Uni.createFrom().item(probed)
                                      : rest(query, resources, budget, probed)));
    }
    return rows.map(found -> page(found, query.limit()))
        .onFailure()
        .transform(PgTraceReader::translate);
  }

  private Uni<TagResources> tagResources(TraceQuery query) {
    List<TraceQuery.TagFilter> tags = query.tags();
    if (tags.isEmpty()) {
      return Uni.createFrom().item(TagResources.NONE);
    }
    return pool.preparedQuery(TagResources.LOOKUP)
        .execute(
            Tuple.of(
                tags.stream().map(TraceQuery.TagFilter::key).toArray(String[]::new),
                tags.stream().map(TraceQuery.TagFilter::value).toArray(String[]::new),
                TagResources.lookupService(query.service())))
        .map(
            found -> {
              List<TagResources.Match> rows = new ArrayList<>(found.size());
              found.forEach(
                  row ->
                      rows.add(
                          new TagResources.Match(
                              row.getLong(0), row.getUUID(1), row.getString(2))));
              return TagResources.of(tags, rows, query.service());
            });
  }

  /**
   * Candidate traces the probe examines before the search switches to the join: ten per row wanted,
   * so that any search where at least one candidate in ten matches needs no join.
   */
  static int probeBudget(int limit) {
    return Math.max(200, 10 * (limit + 1));
  }

  /** The probe found {@code probed} (not a full page): the join from its last candidate on. */
  private Uni<List<Row>> rest(
      TraceQuery query, TagResources resources, int budget, List<Row> probed) {
    return rows(SearchSql.boundary(query, budget))
        .flatMap(
            boundary -> {
              if (boundary.isEmpty()) {
                return Uni.createFrom().item(probed); // the probe examined every candidate
              }
              Row last = boundary.get(0);
              SearchCursor after =
                  new SearchCursor(
                      last.getLong("start_unix_nano"),
                      SpanCopyEncoder.traceIdOf(last.getUUID("trace_id")));
              int wanted = query.limit() + 1 - probed.size();
              return customPlanRows(SearchSql.join(query, resources, Optional.of(after), wanted))
                  .map(
                      joined -> {
                        List<Row> all = new ArrayList<>(probed);
                        all.addAll(joined);
                        return all;
                      });
            });
  }

  /**
   * Runs {@code sql} planned for its actual parameters. The join's generic plan (which a pool that
   * caches prepared statements gets after five runs) estimates a handful of summaries in any time
   * range and probes them one by one: every trace of the service, seconds (measured 6.6 s median
   * for a tag no span has, against 0.16 s with custom plans).
   */
  private Uni<List<Row>> customPlanRows(SearchSql sql) {
    return pool.withTransaction(
        connection ->
            connection
                .query("SET LOCAL plan_cache_mode = force_custom_plan")
                .execute()
                .flatMap(
                    ignored ->
                        connection
                            .preparedQuery(sql.text())
                            .execute(Tuple.from(sql.parameters()))
                            .map(PgTraceReader::list)));
  }

  private Uni<List<Row>> rows(SearchSql sql) {
    return pool.preparedQuery(sql.text())
        .execute(Tuple.from(sql.parameters()))
        .map(PgTraceReader::list);
  }

  private static List<Row> list(RowSet<Row> rows) {
    List<Row> list = new ArrayList<>(rows.size());
    rows.forEach(list::add);
    return list;
  }

  @Override
  public Uni<List<String>> services() {
    return pool.query(SERVICES)
        .execute()
        .map(
            rows -> {
              List<String> services = new ArrayList<>(rows.size());
              rows.forEach(row -> services.add(row.getString(0)));
              return services;
            })
        .onFailure()
        .transform(PgTraceReader::translate);
  }

  @Override
  public Uni<List<Operation>> operations(String service) {
    return pool.preparedQuery(OPERATIONS)
        .execute(Tuple.of(service))
        .map(
            rows -> {
              List<Operation> operations = new ArrayList<>(rows.size());
              rows.forEach(
                  row ->
                      operations.add(
                          new Operation(row.getString(0), SpanKind.forNumber(row.getShort(1)))));
              return operations;
            })
        .onFailure()
        .transform(PgTraceReader::translate);
  }

  /** Timestamp parameter for a partition-column bound, floored like the column itself. */
  static OffsetDateTime partitionBound(long unixNano) {
    return SpanCopyEncoder.partitionTime(unixNano).atOffset(ZoneOffset.UTC);
  }

  /** Nanoseconds since the epoch, saturated at the range of a long. */
  static long unixNano(Instant instant) {
    try {
      return Math.addExact(
          Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    } catch (ArithmeticException e) {
      return instant.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static TracePage page(List<Row> rows, int limit) {
    List<TraceSummary> traces = new ArrayList<>(Math.min(rows.size(), limit));
    boolean more = false;
    for (Row row : rows) {
      if (traces.size() == limit) {
        more = true;
        break;
      }
      traces.add(summary(row));
    }
    Optional<SearchCursor> next = Optional.empty();
    if (more) {
      TraceSummary last = traces.get(traces.size() - 1);
      next = Optional.of(new SearchCursor(last.startTimeUnixNano(), last.traceId()));
    }
    return new TracePage(traces, next);
  }

  private static TraceSummary summary(Row row) {
    return new TraceSummary(
        SpanCopyEncoder.traceIdOf(row.getUUID("trace_id")),
        row.getLong("start_unix_nano"),
        row.getLong("end_unix_nano"),
        row.getString("root_service_name"),
        row.getString("root_span_name"),
        row.getInteger("span_count"),
        row.getInteger("error_count"),
        List.of(row.getArrayOfStrings("services")));
  }

  /**
   * A span written under both retention classes is one span. Such a duplicate counts against the
   * cap in SQL (deduplicating there would cost a full sort instead of a top-N), so a trace may
   * return a few spans fewer than the cap.
   */
  private static TraceSpans spans(RowSet<Row> rows, int maxSpans, int storedSpanCount) {
    List<Span> spans = new ArrayList<>(Math.min(rows.size(), maxSpans));
    Set<List<Long>> seen = new HashSet<>();
    int read = 0;
    for (Row row : rows) {
      if (read++ == maxSpans) {
        break;
      }
      if (seen.add(List.of(row.getLong("span_id"), row.getLong("start_unix_nano")))) {
        spans.add(span(row));
      }
    }
    return new TraceSpans(spans, rows.size() > maxSpans, storedSpanCount);
  }

  private static Span span(Row row) {
    Long parent = row.getLong("parent_span_id");
    return new Span(
        SpanCopyEncoder.traceIdOf(row.getUUID("trace_id")),
        new SpanId(row.getLong("span_id")),
        parent == null ? Optional.empty() : Optional.of(new SpanId(parent)),
        row.getString("trace_state"),
        row.getInteger("flags"),
        row.getString("name"),
        SpanKind.forNumber(row.getShort("kind")),
        row.getLong("start_unix_nano"),
        row.getLong("end_unix_nano"),
        AttributeJson.readAttributes(row.getString("attributes")),
        row.getInteger("dropped_attributes_count"),
        AttributeJson.readEvents(row.getString("events")),
        row.getInteger("dropped_events_count"),
        AttributeJson.readLinks(row.getString("links")),
        row.getInteger("dropped_links_count"),
        new SpanStatus(
            StatusCode.forNumber(row.getShort("status_code")), row.getString("status_message")),
        AttributeJson.readResource(row.getString("resource")),
        AttributeJson.readScope(row.getString("scope")));
  }

  /**
   * Errors of the SQL itself pass through; losing the database, or a schema that storage-svc has
   * not migrated yet (undefined table, 42P01), becomes retryable; a cancelled statement (57014)
   * becomes a timeout, so the caller can tell an expensive query from an unreachable store.
   */
  static Throwable translate(Throwable failure) {
    if (failure instanceof PgException pg && QUERY_CANCELED.equals(pg.getSqlState())) {
      return new QueryTimeoutException(
          "the database cancelled the query: it ran longer than the statement timeout", failure);
    }
    if (failure instanceof PgException pg) {
      String state = pg.getSqlState();
      if ("42P01".equals(state)) {
        return new StoreUnavailableException(
            "trace store schema is not migrated yet (storage-svc migrates it at start)", failure);
      }
      if (StoreFailure.ofSqlState(state) == StoreFailure.PERMANENT) {
        return failure;
      }
    } else if (failure instanceof StoreUnavailableException
        || failure instanceof QueryTimeoutException
        || failure instanceof IllegalArgumentException
        || failure instanceof IllegalStateException) {
      return failure;
    }
    return new StoreUnavailableException(
        "trace store unavailable: " + failure.getMessage(), failure);
  }
}
