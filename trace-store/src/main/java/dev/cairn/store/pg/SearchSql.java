package dev.cairn.store.pg;

import dev.cairn.store.SearchCursor;
import dev.cairn.store.TraceQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * The search statement for one {@link TraceQuery}: fixed SQL fragments joined with numbered
 * placeholders; every value of the query is a parameter, never part of the text.
 *
 * <p>The summary table drives (time range, keyset cursor, errors, services; index on start desc,
 * trace id desc). Span criteria (operation, tags, durations, with the service) must hold together
 * on one span, checked by an EXISTS over the trace's spans; its {@code start_time >= $start} bound
 * is always true for a trace starting in range and lets TimescaleDB skip older chunks.
 */
record SearchSql(String text, List<Object> parameters) {

  static SearchSql of(TraceQuery query) {
    Builder b = new Builder();
    long start = PgTraceReader.unixNano(query.start());
    long end = PgTraceReader.unixNano(query.end());
    StringBuilder sql =
        new StringBuilder(
            "SELECT t.trace_id, t.start_unix_nano, t.end_unix_nano, t.root_service_name,"
                + " t.root_span_name, t.span_count, t.error_count, t.services"
                + " FROM trace_summaries t WHERE t.start_unix_nano >= ");
    sql.append(b.param(start)).append(" AND t.start_unix_nano < ").append(b.param(end));
    if (query.after().isPresent()) {
      SearchCursor cursor = query.after().get();
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
      sql.append(" AND t.services @> ARRAY[")
          .append(b.param(query.service().get()))
          .append("::text]");
    }
    boolean spanCriteria =
        query.operation().isPresent()
            || !query.tags().isEmpty()
            || query.minDuration().isPresent()
            || query.maxDuration().isPresent();
    if (spanCriteria) {
      sql.append(" AND EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id")
          .append(" AND s.start_time >= ")
          .append(b.param(PgTraceReader.partitionBound(start)))
          .append(" AND s.start_time >= t.start_time AND s.start_time <= t.last_span_start");
      if (query.service().isPresent()) {
        sql.append(" AND s.service_name = ").append(b.param(query.service().get()));
      }
      if (query.operation().isPresent()) {
        sql.append(" AND s.name = ").append(b.param(query.operation().get()));
      }
      for (TraceQuery.TagFilter tag : query.tags()) {
        sql.append(" AND s.tags @> jsonb_build_object(")
            .append(b.param(tag.key()))
            .append("::text, ")
            .append(b.param(tag.value()))
            .append("::text)");
      }
      if (query.minDuration().isPresent()) {
        sql.append(" AND s.duration_nano >= ").append(b.param(nanos(query.minDuration().get())));
      }
      if (query.maxDuration().isPresent()) {
        sql.append(" AND s.duration_nano <= ").append(b.param(nanos(query.maxDuration().get())));
      }
      sql.append(")");
    }
    sql.append(" ORDER BY t.start_unix_nano DESC, t.trace_id DESC LIMIT ")
        .append(b.param(query.limit() + 1));
    return new SearchSql(sql.toString(), b.parameters);
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
