package dev.cairn.store.pg;

import dev.cairn.store.SearchCursor;
import dev.cairn.store.TraceQuery;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The search statements for one {@link TraceQuery}: fixed SQL fragments joined with numbered
 * placeholders; every value of the query is a parameter, never part of the text.
 *
 * <p>The summary table drives (time range, keyset cursor, errors, services; index on start desc,
 * trace id desc, or the partial one of traces with errors). Span criteria (operation, tags,
 * durations, with the service) must hold together on one span, checked over the trace's own spans;
 * the {@code start_time} bounds there (query start, and the trace's first and last span start from
 * its summary) are always true for the trace's spans and let TimescaleDB exclude other chunks.
 *
 * <p>A search with span criteria ({@link PgTraceReader#search}) is driven by the segments' term
 * index ({@link IndexedSearch}): {@link #segmentsBetween} names the traces of the matching
 * segments, newest slice first, {@link #summariesOf} fetches their summaries by trace id, and the
 * reader rechecks them. Only when the slice just after the search's top is full (a later page of a
 * common search) do the summaries drive:
 *
 * <ol>
 *   <li>{@link #probe}: the newest {@code budget} candidate traces, in search order, each checked
 *       by a correlated probe over its own segments (trace-id index) that stops at the first
 *       matching one; the statement stops as soon as {@code limit + 1} traces matched.
 *   <li>When the probe did not fill the page: {@link #boundary}, the position of the last candidate
 *       it examined, and from there on the term index again.
 * </ol>
 *
 * <p>Why not the summaries joined to the segments (the plan before): over a 7-day window at 50 M
 * spans PostgreSQL scanned every summary of the window to probe a hash of the GIN matches, 10 s and
 * more for a tag no span has. Why not the term index alone: for a common term it would name a large
 * share of all traces in each slice, where the probe reads about one candidate per result.
 */
record SearchSql(String text, List<Object> parameters) {

  private static final String COLUMNS =
      "t.trace_id, t.start_unix_nano, t.end_unix_nano, t.root_service_name,"
          + " t.root_span_name, t.span_count, t.error_count, t.services, t.start_time,"
          + " t.last_segment_start";

  /** Whether the query has criteria that only spans can answer. */
  static boolean hasSpanCriteria(TraceQuery query) {
    return query.operation().isPresent()
        || !query.tags().isEmpty()
        || query.minDuration().isPresent()
        || query.maxDuration().isPresent();
  }

  /** A search without span criteria: one statement over the summaries. */
  static SearchSql of(TraceQuery query) {
    if (hasSpanCriteria(query)) {
      throw new IllegalArgumentException("span criteria need the probe and the term index");
    }
    Builder b = new Builder();
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS);
    sql.append(" FROM trace_summaries_all t WHERE ");
    summaryCriteria(b, sql, query, query.after(), true);
    sql.append(" ORDER BY t.start_unix_nano DESC, t.trace_id DESC LIMIT ")
        .append(b.param(query.limit() + 1));
    return new SearchSql(sql.toString(), b.parameters);
  }

  /**
   * Of the first {@code budget} candidate traces (summary criteria only, in search order), the
   * first {@code query.limit() + 1} whose spans match.
   *
   * <p>{@code OFFSET 0} keeps the EXISTS a per-row sub-plan: PostgreSQL never flattens a sub-query
   * with OFFSET into a join (a constant {@code LIMIT 1} it would drop), and a sub-plan stops at its
   * first row. The service is tested on the summary as {@code = ANY (services)}, which the GIN
   * index cannot serve, so that the planner keeps the ordered index scan, which can stop early,
   * rather than collecting and sorting every trace of the service.
   */
  static SearchSql probe(TraceQuery query, Integer[] required, int budget) {
    Builder b = new Builder();
    StringBuilder sql = new StringBuilder("SELECT * FROM (SELECT ").append(COLUMNS);
    sql.append(" FROM trace_summaries_all t WHERE ");
    summaryCriteria(b, sql, query, query.after(), false);
    sql.append(" ORDER BY t.start_unix_nano DESC, t.trace_id DESC LIMIT ")
        .append(b.param(budget))
        .append(") t WHERE ");
    spanCriteria(b, sql, query, required, " OFFSET 0");
    sql.append(" ORDER BY t.start_unix_nano DESC, t.trace_id DESC LIMIT ")
        .append(b.param(query.limit() + 1));
    return new SearchSql(sql.toString(), b.parameters);
  }

  /**
   * The position of the {@code budget}-th candidate trace of {@link #probe}; no row when there are
   * fewer candidates, i.e. when the probe examined them all.
   */
  static SearchSql boundary(TraceQuery query, int budget) {
    Builder b = new Builder();
    StringBuilder sql =
        new StringBuilder("SELECT t.start_unix_nano, t.trace_id FROM trace_summaries_all t WHERE ");
    summaryCriteria(b, sql, query, query.after(), false);
    sql.append(" ORDER BY t.start_unix_nano DESC, t.trace_id DESC OFFSET ")
        .append(b.param(budget - 1))
        .append(" LIMIT 1");
    return new SearchSql(sql.toString(), b.parameters);
  }

  private static void summaryCriteria(
      Builder b,
      StringBuilder sql,
      TraceQuery query,
      Optional<SearchCursor> after,
      boolean indexableService) {
    sql.append("t.start_unix_nano >= ")
        .append(b.param(PgTraceReader.unixNano(query.start())))
        .append(" AND t.start_unix_nano < ")
        .append(b.param(PgTraceReader.unixNano(query.end())));
    // every summary starts within a window of its partition time: prunes summary chunks
    sql.append(" AND t.partition_time >= ")
        .append(b.param(windowBound(query.start(), true)))
        .append(" AND t.partition_time <= ")
        .append(b.param(windowBound(query.end(), false)));
    if (after.isPresent()) {
      SearchCursor cursor = after.get();
      sql.append(" AND (t.start_unix_nano, t.trace_id) < (")
          .append(b.param(cursor.startTimeUnixNano()))
          .append(", ")
          .append(b.param(SpanCopyEncoder.uuidOf(cursor.traceId())))
          .append(")");
    }
    if (query.errorsOnly()) {
      sql.append(" AND t.error_count > 0");
    }
    if (query.service().isPresent()) {
      if (indexableService) {
        sql.append(" AND t.services @> ARRAY[")
            .append(b.param(query.service().get()))
            .append("::text]");
      } else {
        sql.append(" AND ")
            .append(b.param(query.service().get()))
            .append("::text = ANY (t.services)");
      }
    }
  }

  /**
   * The segments that may hold a matching span and start in [{@code from}, {@code to}), at most
   * {@code rowLimit}: a slice of the index-driven search ({@link IndexedSearch}). Planned once as a
   * generic plan and reused (run under {@code force_generic_plan}): TimescaleDB excludes the chunks
   * before {@code from} at executor start-up, and each remaining chunk answers from its GIN index
   * on terms. The upper bound is written {@code IS TRUE} on purpose: as a plain comparison
   * PostgreSQL pairs it with the lower one into a range it guesses selective and ANDs every chunk's
   * start_time B-tree into the bitmap (measured 0.5 ms a chunk against 0.015 ms for the GIN alone
   * at 50 M spans); newer chunks are then probed too, which costs a GIN lookup each.
   */
  static SearchSql segmentsBetween(
      TraceQuery query, Integer[] required, OffsetDateTime from, OffsetDateTime to, long rowLimit) {
    Builder b = new Builder();
    StringBuilder sql =
        new StringBuilder("SELECT s.trace_id, s.start_time FROM trace_segments s WHERE ");
    sql.append("s.start_time >= ")
        .append(b.param(from))
        .append(" AND (s.start_time < ")
        .append(b.param(to))
        .append(") IS TRUE");
    segmentCriteria(b, sql, query, required);
    sql.append(" LIMIT ").append(b.param(rowLimit));
    return new SearchSql(sql.toString(), b.parameters);
  }

  /**
   * The summaries of {@code traceIds} that meet the query's summary criteria after {@code after}
   * (by the trace-id key of each summary chunk in the window), in search order; their span criteria
   * are left to the recheck.
   */
  static SearchSql summariesOf(
      TraceQuery query,
      Optional<SearchCursor> after,
      UUID[] traceIds,
      OffsetDateTime from,
      OffsetDateTime to) {
    Builder b = new Builder();
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS);
    sql.append(" FROM trace_summaries_all t WHERE t.trace_id = ANY (")
        .append(b.param(traceIds))
        .append(")");
    // the summary of a segment starting in [from, to) has its partition time within a window of it
    sql.append(" AND t.partition_time >= ")
        .append(b.param(windowBound(from.toInstant(), true)))
        .append(" AND t.partition_time <= ")
        .append(b.param(windowBound(to.toInstant(), false)))
        .append(" AND ");
    summaryCriteria(b, sql, query, after, false);
    sql.append(" ORDER BY t.start_unix_nano DESC, t.trace_id DESC");
    return new SearchSql(sql.toString(), b.parameters);
  }

  /**
   * Some segment of the trace holds every search term the query requires (GIN on terms) and a span
   * duration within the bounds. Necessary, not sufficient: hashes collide and the criteria must
   * hold on one span, which {@link SpanCriteria} rechecks on the decoded candidates.
   */
  private static void spanCriteria(
      Builder b, StringBuilder sql, TraceQuery query, Integer[] required, String subQuerySuffix) {
    sql.append("EXISTS (SELECT 1 FROM trace_segments s WHERE s.trace_id = t.trace_id")
        .append(" AND s.start_time >= t.start_time AND s.start_time <= t.last_segment_start");
    segmentCriteria(b, sql, query, required);
    sql.append(subQuerySuffix).append(")");
  }

  /**
   * The conditions on a segment {@code s} that its terms ({@code required}, {@link
   * SearchTerms#required}) and duration bounds can answer.
   */
  private static void segmentCriteria(
      Builder b, StringBuilder sql, TraceQuery query, Integer[] required) {
    if (required.length > 0) {
      sql.append(" AND s.terms @> ").append(b.param(required)).append("::integer[]");
    }
    if (query.minDuration().isPresent()) {
      sql.append(" AND s.max_duration_nano >= ")
          .append(b.param(SpanCriteria.nanos(query.minDuration().get())));
    }
    if (query.maxDuration().isPresent()) {
      sql.append(" AND s.min_duration_nano <= ")
          .append(b.param(SpanCriteria.nanos(query.maxDuration().get())));
    }
  }

  /** A bound of partition_time for a bound of start time, widened by the summary window. */
  private static OffsetDateTime windowBound(Instant at, boolean lower) {
    Instant min = Instant.parse("0001-01-01T00:00:00Z");
    Instant max = Instant.parse("9999-12-31T00:00:00Z");
    Instant widened;
    try {
      widened =
          lower ? at.minus(PgSpanWriter.SUMMARY_WINDOW) : at.plus(PgSpanWriter.SUMMARY_WINDOW);
    } catch (ArithmeticException | java.time.DateTimeException e) {
      widened = lower ? min : max;
    }
    if (widened.isBefore(min)) {
      widened = min;
    } else if (widened.isAfter(max)) {
      widened = max;
    }
    return widened.atOffset(ZoneOffset.UTC);
  }

  private static final class Builder {
    final List<Object> parameters = new ArrayList<>();

    String param(Object value) {
      parameters.add(value);
      return "$" + parameters.size();
    }
  }
}
