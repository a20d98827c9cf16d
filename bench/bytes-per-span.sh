#!/usr/bin/env bash
# Bytes per stored span in a bench database (default cairn_bulk), per hypertable (heap, TOAST,
# indexes), the terms arrays of standard segments, and the stop-term list (V12) if any. REINDEX=1
# first rebuilds the segments' and summaries' chunk indexes (the size a settled chunk's indexes
# have; a bench database of its own only: it locks each chunk while it runs).
export CAIRN_BENCH_DB="${CAIRN_BENCH_DB:-cairn_bulk}"
source "$(dirname "$0")/lib.sh"
if [ "${REINDEX:-0}" = 1 ]; then
  log "rebuilding the chunk indexes of $BENCH_DB"
  psql_bench -c "select format('REINDEX TABLE %I.%I;', chunk_schema, chunk_name)
                 from timescaledb_information.chunks where hypertable_name like 'trace_s%'" |
    psql_bench >/dev/null
fi
psql_bench -F $'\t' <<'SQL' | column -t -s $'\t'
with n as (select (select coalesce(sum(span_count), 0) from trace_segments_standard)
                + (select coalesce(sum(span_count), 0) from trace_segments_extended) as spans)
select 'relation', 'heap', 'toast', 'indexes', 'total B/span'
union all
select h, round(table_bytes::numeric / n.spans, 1)::text, round(toast_bytes::numeric / n.spans, 1)::text,
       round(index_bytes::numeric / n.spans, 1)::text, round(total_bytes::numeric / n.spans, 1)::text
from n, (values ('trace_segments_standard'), ('trace_segments_extended'), ('trace_summaries_standard'),
                ('trace_summaries_extended'), ('search_term_days')) v(h),
     lateral hypertable_detailed_size(h::regclass)
union all
select 'database', '', '', '', round(pg_database_size(current_database())::numeric / n.spans, 1)::text from n
union all
select 'standard terms', round(sum(pg_column_size(terms))::numeric / sum(span_count), 1)::text,
       'terms/segment', round(avg(cardinality(terms)), 1)::text, '' from trace_segments_standard
union all
select 'stop terms', cardinality(terms)::text, 'counted', segments_counted::text, effective_at::text
from search_stop_terms;
SQL
