package dev.cairn.store.pg;

import dev.cairn.store.SearchCursor;
import dev.cairn.store.TraceQuery;
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
 * <p>A search with span criteria runs in up to three statements ({@link PgTraceReader#search}):
 *
 * <ol>
 *   <li>{@link #probe}: the newest {@code budget} candidate traces, in search order, each checked
 *       by a correlated probe over its own spans (trace-id index) that stops at the first matching
 *       span; the statement stops as soon as {@code limit + 1} traces matched. This answers every
 *       search whose matches are not rare (the usual case) in a few milliseconds.
 *   <li>{@link #boundary}: when the probe did not fill the page, the position of the last candidate
 *       it examined, if there were that many.
 *   <li>{@link #join} from that position on: the span criteria as a semi-join, which PostgreSQL
 *       plans from the span indexes (GIN on tags, service/operation B-tree); fast exactly when
 *       matching spans are rare, i.e. when probing trace after trace would not end.
 * </ol>
 *
 * <p>Why not the join alone: PostgreSQL estimates that few spans match a tag ({@code @>} has no
 * useful statistics) and hashes every span of the service matching the tag or the duration
 * (hundreds of thousands, through a lossy bitmap) before the first row comes out: 3–9 s over 5.8 M
 * spans for a search that needs 20 traces. Why not the probe alone: a search that matches nothing
 * would probe every trace of the service in the time range (58 s over the same data, cold).
 */
record SearchSql(String text, List<Object> parameters) {

  private static final String COLUMNS =
      "t.trace_id, t.start_unix_nano, t.end_unix_nano, t.root_service_name,"
          + " t.root_span_name, t.span_count, t.error_count, t.services";

  /** Whether the query has criteria that only spans can answer. */
  static boolean hasSpanCriteria(TraceQuery query) {
    return query.operation().isPresent()
        || !query.tags().isEmpty()
        || query.minDuration().isPresent()
        || query.maxDuration().isPresent();
  }

  /** The whole search as one statement: {@link #join} from the query's own cursor. */
  static SearchSql of(TraceQuery query, TagResources resources) {
    return join(query, resources, query.after(), query.limit() + 1);
  }

  /**
   * Traces after {@code after} matching the query, at most {@code rows}, span criteria as a
   * semi-join (the planner is free to start from the span indexes).
   */
  static SearchSql join(
      TraceQuery query, TagResources resources, Optional<SearchCursor> after, int rows) {
    Builder b = new Builder();
    StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS);
    sql.append(" FROM trace_summaries t WHERE ");
    summaryCriteria(b, sql, query, after, true);
    if (hasSpanCriteria(query)) {
      sql.append(" AND ");
      spanCriteria(b, sql, query, resources, "");
    }
    sql.append(" ORDER BY t.start_unix_nano DESC, t.trace_id DESC LIMIT ").append(b.param(rows));
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
  static SearchSql probe(TraceQuery query, TagResources resources, int budget) {
    Builder b = new Builder();
    StringBuilder sql = new StringBuilder("SELECT * FROM (SELECT ").append(COLUMNS);
    sql.append(", t.start_time, t.last_span_start FROM trace_summaries t WHERE ");
    summaryCriteria(b, sql, query, query.after(), false);
    sql.append(" ORDER BY t.start_unix_nano DESC, t.trace_id DESC LIMIT ")
        .append(b.param(budget))
        .append(") t WHERE ");
    spanCriteria(b, sql, query, resources, " OFFSET 0");
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
        new StringBuilder("SELECT t.start_unix_nano, t.trace_id FROM trace_summaries t WHERE ");
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
   * A tag is an attribute of the span or of its resource: {@code s.tags @> tag}, or, when stored
   * resources match it ({@link TagResources}), {@code (s.tags @> tag OR s.resource_id = ANY
   * (ids))}. With a service, that OR carries the service into each branch instead of beside it
   * ({@code (service AND tags) OR (service AND resource)}, the same rows): beside it, PostgreSQL
   * would rather filter every span of the service than combine the tag and resource indexes.
   */
  private static void spanCriteria(
      Builder b,
      StringBuilder sql,
      TraceQuery query,
      TagResources resources,
      String subQuerySuffix) {
    sql.append("EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id")
        .append(" AND s.start_time >= ")
        .append(b.param(PgTraceReader.partitionBound(PgTraceReader.unixNano(query.start()))))
        .append(" AND s.start_time >= t.start_time AND s.start_time <= t.last_span_start");
    Optional<String> service = query.service().map(name -> "s.service_name = " + b.param(name));
    boolean serviceInTags =
        service.isPresent() && query.tags().stream().anyMatch(tag -> !resources.of(tag).isEmpty());
    if (service.isPresent() && !serviceInTags) {
      sql.append(" AND ").append(service.get());
    }
    if (query.operation().isPresent()) {
      sql.append(" AND s.name = ").append(b.param(query.operation().get()));
    }
    for (TraceQuery.TagFilter tag : query.tags()) {
      String pair =
          "jsonb_build_object("
              + b.param(tag.key())
              + "::text, "
              + b.param(tag.value())
              + "::text)";
      String bySpan = "s.tags @> " + pair;
      if (resources.of(tag).isEmpty()) {
        sql.append(" AND ").append(bySpan);
        continue;
      }
      String byResource =
          resources.tooMany(tag)
              ? "s.resource_id = ANY (ARRAY(SELECT r.resource_id FROM resources r WHERE r.tags @> "
                  + pair
                  + "))"
              : "s.resource_id = ANY ("
                  + b.param(resources.of(tag).toArray(UUID[]::new))
                  + "::uuid[])";
      if (serviceInTags) {
        bySpan = service.get() + " AND " + bySpan;
        byResource = service.get() + " AND " + byResource;
      }
      sql.append(" AND ((").append(bySpan).append(") OR (").append(byResource).append("))");
    }
    if (query.minDuration().isPresent()) {
      sql.append(" AND s.duration_nano >= ").append(b.param(nanos(query.minDuration().get())));
    }
    if (query.maxDuration().isPresent()) {
      sql.append(" AND s.duration_nano <= ").append(b.param(nanos(query.maxDuration().get())));
    }
    sql.append(subQuerySuffix).append(")");
  }

  private static long nanos(java.time.Duration duration) {
    try {
      return duration.toNanos();
    } catch (ArithmeticException e) {
      return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static final class Builder {
    final List<Object> parameters = new ArrayList<>();

    String param(Object value) {
      parameters.add(value);
      return "$" + parameters.size();
    }
  }
}
