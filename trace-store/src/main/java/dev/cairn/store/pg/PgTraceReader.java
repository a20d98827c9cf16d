package dev.cairn.store.pg;

import dev.cairn.model.Span;
import dev.cairn.model.SpanKind;
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
import dev.cairn.store.pg.SearchTerms.Required;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
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

  /** Bounds over every summary row of the trace (both classes, every stretch). */
  private static final String TRACE_BOUNDS =
      "SELECT min(start_time) AS start_time, max(last_segment_start) AS last_segment_start,"
          + " sum(span_count)::int AS span_count, sum(late_span_count)::int AS late_span_count"
          + " FROM ("
          + BothClasses.summaries(
              "start_time, last_segment_start, span_count, late_span_count", "trace_id = $1")
          + ") t";

  /** {@link #TRACE_BOUNDS} of several traces, one row per stored trace. */
  private static final String TRACES_BOUNDS =
      "SELECT trace_id, min(start_time) AS start_time,"
          + " max(last_segment_start) AS last_segment_start,"
          + " sum(span_count)::int AS span_count, sum(late_span_count)::int AS late_span_count"
          + " FROM ("
          + BothClasses.summaries(
              "trace_id, start_time, last_segment_start, span_count, late_span_count",
              "trace_id = ANY ($1)")
          + ") t GROUP BY trace_id";

  /**
   * The bounds from the summary are parameters of this query that a custom plan sees as constants,
   * so TimescaleDB excludes every chunk outside [first segment start, last segment start] while
   * planning, instead of probing the trace-id index of each chunk (see trace-store's
   * FindTraceChunkExclusionIT) or opening every chunk to exclude it ({@link BothClasses}).
   */
  static final String TRACE_SEGMENTS =
      BothClasses.segments("payload", "trace_id = $1 AND start_time >= $2 AND start_time <= $3");

  /** The segments of several traces: candidates of a search (the exact recheck), or its page. */
  private static final String CANDIDATE_SEGMENTS =
      BothClasses.segments(
          "trace_id, start_time, payload",
          "trace_id = ANY ($1) AND start_time >= $2 AND start_time <= $3");

  /**
   * The catalog's first day and the first and last days in [$2, $3) on which each of the $4
   * distinct terms $1 occurs (migration V11; one index probe per term and day).
   */
  private static final String TERM_DAYS =
      "SELECT (SELECT since FROM search_catalogs WHERE catalog = 'term_days') AS since,"
          + " min(seen_day) AS first_day, max(seen_day) AS last_day FROM ("
          + "SELECT seen_day FROM search_term_days"
          + " WHERE term = ANY ($1) AND seen_day >= $2 AND seen_day < $3"
          + " GROUP BY seen_day HAVING count(*) = $4) d";

  private static final String CUSTOM = "SET LOCAL plan_cache_mode = force_custom_plan";

  /**
   * A generic plan, made once per pooled connection when the pool caches prepared statements
   * (query-svc does): planning a statement over every chunk of a 7-day window costs more than
   * running it (measured 26 ms warm, 100 ms cold, against 10-20 ms of GIN lookups at 50 M spans).
   */
  private static final String GENERIC = "SET LOCAL plan_cache_mode = force_generic_plan";

  /** How far after its trace's start a segment may start: twice a summary's window. */
  private static final Duration REACH = PgSpanWriter.SUMMARY_WINDOW.multipliedBy(2);

  private static final Comparator<Row> SEARCH_ORDER =
      Comparator.<Row>comparingLong(row -> row.getLong("start_unix_nano"))
          .thenComparing(row -> row.getUUID("trace_id"), PgTraceReader::compareUuids)
          .reversed();

  /** SQLState query_canceled: statement_timeout expired (or an operator cancelled the query). */
  private static final String QUERY_CANCELED = "57014";

  private static final String SERVICES =
      "SELECT DISTINCT service_name COLLATE \"C\" AS service_name FROM operations ORDER BY 1";

  private static final String OPERATIONS =
      "SELECT DISTINCT span_name COLLATE \"C\" AS span_name, kind FROM operations"
          + " WHERE service_name = $1 ORDER BY 1, 2";

  /** A zstd frame header's largest size: enough to read the dictionary id a payload names. */
  private static final int ZSTD_FRAME_HEADER_MAX_BYTES = 18;

  private final Pool pool;
  private final SegmentDictionaries dictionaries = new SegmentDictionaries();
  private final StoredStopTerms stopTerms;
  private final StoredDurationTerms durationTerms;
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
    this(pool, decoder, new StoredStopTerms(), new StoredDurationTerms());
  }

  /** With the views of the store's stop terms and duration terms given (tests move their clock). */
  PgTraceReader(
      Pool pool, Executor decoder, StoredStopTerms stopTerms, StoredDurationTerms durationTerms) {
    this.pool = pool;
    this.decoder = decoder;
    this.stopTerms = stopTerms;
    this.durationTerms = durationTerms;
  }

  /** Reads the zstd dictionaries the rows' payloads name that are not in memory yet. */
  private Uni<Void> loadDictionaries(Iterable<Row> rows) {
    List<byte[]> headers = new ArrayList<>();
    for (Row row : rows) {
      var payload = row.getBuffer("payload");
      headers.add(payload.getBytes(0, Math.min(payload.length(), ZSTD_FRAME_HEADER_MAX_BYTES)));
    }
    return dictionaries.load(pool, dictionaries.missing(headers));
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
              Row row = bounds.iterator().next();
              if (row.getValue("start_time") == null) {
                return Uni.createFrom().item(TraceSpans.ABSENT);
              }
              int storedSpanCount = row.getInteger("span_count");
              int lateSpanCount = row.getInteger("late_span_count");
              return pool.preparedQuery(TRACE_SEGMENTS)
                  .execute(
                      Tuple.of(
                          id,
                          row.getOffsetDateTime("start_time"),
                          row.getOffsetDateTime("last_segment_start")))
                  .call(this::loadDictionaries)
                  .emitOn(decoder)
                  .map(rows -> spans(rows, dictionaries, maxSpans, storedSpanCount, lateSpanCount));
            })
        .onFailure()
        .transform(PgTraceReader::translate);
  }

  /**
   * Two statements whatever the number of traces: their summaries' bounds, then their segments
   * within the widest of them (chunks outside it excluded), decoded and capped trace by trace.
   */
  @Override
  public Uni<List<TraceSpans>> findTraces(List<TraceId> traceIds, int maxSpansEach) {
    if (maxSpansEach < 1) {
      throw new IllegalArgumentException("maxSpansEach must be at least 1, got " + maxSpansEach);
    }
    if (traceIds.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    UUID[] ids = traceIds.stream().map(SpanCopyEncoder::uuidOf).toArray(UUID[]::new);
    return pool.preparedQuery(TRACES_BOUNDS)
        .execute(Tuple.of(ids))
        .flatMap(
            bounds -> {
              Map<UUID, Row> stored = new HashMap<>();
              for (Row row : bounds) {
                stored.put(row.getUUID("trace_id"), row);
              }
              if (stored.isEmpty()) {
                return Uni.createFrom()
                    .item(Collections.nCopies(traceIds.size(), TraceSpans.ABSENT));
              }
              return segmentsOf(stored.values())
                  .emitOn(decoder)
                  .map(segments -> byTrace(ids, stored, segments, dictionaries, maxSpansEach));
            })
        .onFailure()
        .transform(PgTraceReader::translate);
  }

  private static List<TraceSpans> byTrace(
      UUID[] ids,
      Map<UUID, Row> stored,
      RowSet<Row> segments,
      SegmentDictionaries dictionaries,
      int maxSpansEach) {
    Map<UUID, List<Row>> segmentsOf = new HashMap<>();
    for (Row segment : segments) {
      segmentsOf.computeIfAbsent(segment.getUUID("trace_id"), id -> new ArrayList<>()).add(segment);
    }
    List<TraceSpans> traces = new ArrayList<>(ids.length);
    for (UUID id : ids) {
      Row bounds = stored.get(id);
      List<Row> rows = segmentsOf.get(id);
      traces.add(
          bounds == null || rows == null
              ? TraceSpans.ABSENT
              : spans(
                  rows,
                  dictionaries,
                  maxSpansEach,
                  bounds.getInteger("span_count"),
                  bounds.getInteger("late_span_count")));
    }
    return traces;
  }

  /**
   * Summary criteria alone: one statement over the summaries. With span criteria, first a slice of
   * the newest segments from the term index ({@link IndexedSearch}): when it is not full the
   * matches are rare and the index drives the whole search; when it is, the newest candidate traces
   * from the summaries are probed ({@link SearchSql#probe}), each rechecked on its decoded spans
   * ({@link SpanCriteria}), and when the probe cannot fill the page the index drives the rest. The
   * terms the index is asked for leave out the store's stop terms ({@link StoredStopTerms}).
   */
  @Override
  public Uni<TracePage> search(TraceQuery query) {
    Uni<List<Row>> rows;
    if (!SearchSql.hasSpanCriteria(query)) {
      rows = rows(SearchSql.of(query));
    } else {
      rows =
          stopTerms
              .forSearch(pool)
              .flatMap(
                  stop ->
                      durationTerms
                          .forSearch(pool)
                          .flatMap(since -> indexed(query, Required.of(query, stop, since))));
    }
    return rows.map(found -> page(found, query.limit()))
        .onFailure()
        .transform(PgTraceReader::translate);
  }

  /** The index-driven search, within the days the term-day catalog names ({@link #termDays}). */
  private Uni<List<Row>> indexed(TraceQuery query, Required required) {
    OffsetDateTime since = required.durationTermsFrom();
    IndexedSearch<Row> search =
        indexedSearch(query, query.after(), query.limit() + 1, false, since);
    return termDays(required.anySegment(), search)
        .flatMap(
            bounds ->
                bounds.isEmpty()
                    ? Uni.createFrom().item(List.<Row>of())
                    : indexed(
                        query,
                        required,
                        query.after(),
                        indexedSearch(query, bounds.get(), false, since)));
  }

  /** An index-driven search for {@code wanted} traces after {@code after}. */
  private static IndexedSearch<Row> indexedSearch(
      TraceQuery query,
      Optional<SearchCursor> after,
      int wanted,
      boolean wholeLateSlice,
      OffsetDateTime durationTermsFrom) {
    Instant top = after.map(c -> instantOf(c.startTimeUnixNano())).orElse(query.end());
    return new IndexedSearch<>(
        partitionBound(unixNano(query.start())),
        top,
        REACH,
        wanted,
        probeBudget(query.limit()),
        wholeLateSlice,
        durationTermsFrom,
        row -> row.getLong("start_unix_nano"),
        SEARCH_ORDER);
  }

  /** An index-driven search within {@code bounds} ({@link TermDayWindow}). */
  private static IndexedSearch<Row> indexedSearch(
      TraceQuery query,
      TermDayWindow.Bounds bounds,
      boolean wholeLateSlice,
      OffsetDateTime durationTermsFrom) {
    return new IndexedSearch<>(
        bounds.floor(),
        bounds.top(),
        Duration.between(bounds.top(), bounds.end()),
        query.limit() + 1,
        probeBudget(query.limit()),
        wholeLateSlice,
        durationTermsFrom,
        row -> row.getLong("start_unix_nano"),
        SEARCH_ORDER);
  }

  /**
   * Where {@code search} can find its matches by the term-day catalog; its own bounds when the
   * query requires no term.
   */
  private Uni<Optional<TermDayWindow.Bounds>> termDays(Integer[] terms, IndexedSearch<Row> search) {
    Instant end = search.to().toInstant();
    if (terms.length == 0) {
      return Uni.createFrom()
          .item(Optional.of(new TermDayWindow.Bounds(search.floor(), search.top(), end)));
    }
    return pool.preparedQuery(TERM_DAYS)
        .execute(
            Tuple.of(
                terms,
                TermDayWindow.firstDayAsked(search.floor()),
                end.atOffset(ZoneOffset.UTC),
                (long) terms.length))
        .map(
            rows -> {
              Row row = rows.iterator().next();
              return TermDayWindow.narrowed(
                  search.floor(),
                  search.top(),
                  end,
                  instantOrNull(row.getOffsetDateTime("since")),
                  Optional.ofNullable(instantOrNull(row.getOffsetDateTime("first_day"))),
                  Optional.ofNullable(instantOrNull(row.getOffsetDateTime("last_day"))));
            });
  }

  private static Instant instantOrNull(OffsetDateTime at) {
    return at == null ? null : at.toInstant();
  }

  /**
   * The probe from {@code after}: its candidates rechecked; when the recheck rejects some of a full
   * probe, the next candidates after the last one examined; when the probe examined its whole
   * budget without filling the page, the index drives the rest from the last trace it examined.
   */
  private Uni<List<Row>> matching(
      TraceQuery query, Required required, Optional<SearchCursor> after, List<Row> matched) {
    TraceQuery from =
        new TraceQuery(
            query.service(),
            query.operation(),
            query.tags(),
            query.minDuration(),
            query.maxDuration(),
            query.errorsOnly(),
            query.start(),
            query.end(),
            query.limit(),
            after);
    int budget = probeBudget(query.limit());
    return customPlanRows(SearchSql.probe(from, required.anySegment(), budget))
        .flatMap(
            probed ->
                recheck(query, probed)
                    .flatMap(
                        accepted -> {
                          matched.addAll(accepted);
                          if (matched.size() > query.limit()) {
                            return Uni.createFrom().item(matched);
                          }
                          if (probed.size() > query.limit()) {
                            Row last = probed.get(probed.size() - 1);
                            return matching(query, required, Optional.of(cursorOf(last)), matched);
                          }
                          return rest(from, required, budget, matched);
                        }));
  }

  /**
   * The segments of the traces of {@code summaries} (rows with trace_id, start_time and
   * last_segment_start), read within the widest of their bounds so chunks outside it are excluded.
   */
  private Uni<RowSet<Row>> segmentsOf(Collection<Row> summaries) {
    OffsetDateTime low = null;
    OffsetDateTime high = null;
    UUID[] ids = new UUID[summaries.size()];
    int i = 0;
    for (Row row : summaries) {
      ids[i++] = row.getUUID("trace_id");
      OffsetDateTime from = row.getOffsetDateTime("start_time");
      OffsetDateTime to = row.getOffsetDateTime("last_segment_start");
      low = low == null || from.isBefore(low) ? from : low;
      high = high == null || to.isAfter(high) ? to : high;
    }
    return pool.preparedQuery(CANDIDATE_SEGMENTS)
        .execute(Tuple.of(ids, low, high))
        .call(this::loadDictionaries);
  }

  /**
   * The candidates whose decoded spans match, in their order: a candidate (one summary, one stretch
   * of its trace) matches when a matching segment starts within its bounds.
   */
  private Uni<List<Row>> recheck(TraceQuery query, List<Row> candidates) {
    if (candidates.isEmpty()) {
      return Uni.createFrom().item(List.of());
    }
    return segmentsOf(candidates)
        .emitOn(decoder)
        .map(
            segments -> {
              Map<UUID, List<OffsetDateTime>> matching = new HashMap<>();
              for (Row segment : segments) {
                if (SegmentMatch.anyMatches(
                    query,
                    SegmentCodec.decompress(
                        segment.getBuffer("payload").getBytes(), dictionaries::known))) {
                  matching
                      .computeIfAbsent(segment.getUUID("trace_id"), id -> new ArrayList<>())
                      .add(segment.getOffsetDateTime("start_time"));
                }
              }
              return candidates.stream().filter(row -> holdsMatch(row, matching)).toList();
            });
  }

  private static boolean holdsMatch(Row summary, Map<UUID, List<OffsetDateTime>> matching) {
    OffsetDateTime from = summary.getOffsetDateTime("start_time");
    OffsetDateTime to = summary.getOffsetDateTime("last_segment_start");
    return matching.getOrDefault(summary.getUUID("trace_id"), List.of()).stream()
        .anyMatch(start -> !start.isBefore(from) && !start.isAfter(to));
  }

  /** PostgreSQL's order of uuid values: their 16 bytes unsigned, most significant first. */
  private static int compareUuids(UUID a, UUID b) {
    int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
    return high != 0
        ? high
        : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
  }

  private static SearchCursor cursorOf(Row row) {
    return new SearchCursor(
        row.getLong("start_unix_nano"), SpanCopyEncoder.traceIdOf(row.getUUID("trace_id")));
  }

  /**
   * Candidate traces the probe examines before the search switches to the term index: ten per row
   * wanted, so that any search where at least one candidate in ten matches needs nothing else; also
   * the segments one term-index slice reads before it is narrowed.
   */
  static int probeBudget(int limit) {
    return Math.max(200, 10 * (limit + 1));
  }

  /**
   * The probe examined its whole budget after {@code query}'s cursor and found {@code matched} (not
   * a full page): the rest from the segments' term index, after the last trace it examined.
   */
  private Uni<List<Row>> rest(TraceQuery query, Required required, int budget, List<Row> matched) {
    return rows(SearchSql.boundary(query, budget))
        .flatMap(
            boundary -> {
              if (boundary.isEmpty()) {
                return Uni.createFrom().item(matched); // the probe examined every candidate
              }
              Optional<SearchCursor> after = Optional.of(cursorOf(boundary.get(0)));
              IndexedSearch<Row> search =
                  indexedSearch(
                      query,
                      after,
                      query.limit() + 1 - matched.size(),
                      true,
                      required.durationTermsFrom());
              return indexed(query, required, after, search)
                  .map(
                      found -> {
                        List<Row> all = new ArrayList<>(matched);
                        all.addAll(found);
                        return all;
                      });
            });
  }

  /**
   * One slice of {@code search} after another until it is complete; a full late slice hands the
   * search to the probe.
   */
  private Uni<List<Row>> indexed(
      TraceQuery query,
      Required required,
      Optional<SearchCursor> after,
      IndexedSearch<Row> search) {
    OffsetDateTime from = search.from();
    OffsetDateTime to = search.to();
    return plannedRows(
            SearchSql.segmentsBetween(
                query, required.of(search.durationTerms()), from, to, search.rowLimit()),
            GENERIC)
        .flatMap(
            segments -> {
              if (segments.size() >= search.rowLimit()) {
                if (search.late()) {
                  return matching(query, required, after, new ArrayList<>());
                }
                search.narrow();
                return indexed(query, required, after, search);
              }
              Set<UUID> named = new LinkedHashSet<>();
              segments.forEach(segment -> named.add(segment.getUUID("trace_id")));
              List<UUID> fresh = search.unseen(named);
              Uni<List<Row>> accepted =
                  fresh.isEmpty()
                      ? Uni.createFrom().item(List.of())
                      : rows(SearchSql.summariesOf(
                              query, after, fresh.toArray(UUID[]::new), from, to))
                          .flatMap(summaries -> recheck(query, summaries));
              return accepted.flatMap(
                  rows -> {
                    if (search.accept(rows)) {
                      return Uni.createFrom().item(search.result());
                    }
                    search.next(segments.size());
                    return indexed(query, required, after, search);
                  });
            });
  }

  private static Instant instantOf(long unixNano) {
    return Instant.ofEpochSecond(
        Math.floorDiv(unixNano, 1_000_000_000L), Math.floorMod(unixNano, 1_000_000_000L));
  }

  /**
   * Runs {@code sql} planned for its actual parameters (the probe too: its generic plan cannot
   * prune summary chunks, measured 9,011 segment rows read against 11), even when the pool caches
   * prepared statements and PostgreSQL would switch to a generic plan after five runs.
   */
  private Uni<List<Row>> customPlanRows(SearchSql sql) {
    return plannedRows(sql, CUSTOM);
  }

  /**
   * Runs {@code sql} under {@code SET LOCAL plan_cache_mode = <mode>} ({@link #CUSTOM} or {@link
   * #GENERIC}, fixed texts).
   */
  private Uni<List<Row>> plannedRows(SearchSql sql, String planCacheMode) {
    return pool.withTransaction(
        connection ->
            connection
                .query(planCacheMode)
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
   * The trace's spans from all its segments, each once (a span written under both retention
   * classes, or in two segments by racing writers, is one span), by start time then span id,
   * capped.
   */
  private static TraceSpans spans(
      Iterable<Row> rows,
      SegmentDictionaries dictionaries,
      int maxSpans,
      int storedSpanCount,
      int lateSpanCount) {
    Map<Segment.SpanKey, Span> unique = new HashMap<>();
    for (Row row : rows) {
      byte[] payload = row.getBuffer("payload").getBytes();
      for (Span span : SegmentCodec.decode(payload, dictionaries::known)) {
        unique.putIfAbsent(Segment.SpanKey.of(span), span);
      }
    }
    List<Span> spans =
        unique.values().stream()
            .sorted(
                Comparator.comparingLong(Span::startTimeUnixNano)
                    .thenComparingLong(span -> span.spanId().value()))
            .toList();
    boolean truncated = spans.size() > maxSpans;
    return new TraceSpans(
        truncated ? spans.subList(0, maxSpans) : spans, truncated, storedSpanCount, lateSpanCount);
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
