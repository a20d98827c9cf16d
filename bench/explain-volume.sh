#!/usr/bin/env bash
# EXPLAIN (ANALYZE, BUFFERS) of trace by id and of a search with a rare tag, on the database
# bench/bulk-load.sh filled (default cairn_bulk), with the statements trace-store's PgTraceReader
# sends for the row-per-span layout (V1-V5; the compact layout's statements differ): each one
# three times in one session (the first plans cold), values from the manifest. Prints the plan of
# the last run and, for every run, planning and execution time; the chunk lines show what was
# pruned. Env: TRACE (a trace id, default the manifest's middle sample).
export CAIRN_BENCH_DB="${CAIRN_BENCH_DB:-cairn_bulk}"
source "$(dirname "$0")/lib.sh"
MANIFEST="$ROOT/bench/target/bulk-$BENCH_DB"
value() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$MANIFEST/values.tsv"; }
samples=$(grep -c -v '^#' "$MANIFEST/traces.tsv")
TRACE="${TRACE:-$(grep -v '^#' "$MANIFEST/traces.tsv" | sed -n "$((samples / 2))p" | cut -f1)}"
start=$(( $(value window_start_unix_nano) - 60000000000 )) end=$(( $(value window_end_unix_nano) + 1 ))
IFS='|' read -r first last < <(psql_bench -c "select start_time, last_span_start from trace_summaries where trace_id = '$TRACE'")
[ -n "$first" ] || die "trace $TRACE is not in trace_summaries: this script reads the V1-V5 tables (see its header)"
explain() { # NAME SQL: three runs in one session
  local sql="explain (analyze, buffers, costs off) $2;"
  printf '%s\n%s\n%s\n' "$sql" "$sql" "$sql" | psql_bench >"$OUT/$1.txt" 2>&1
  echo "== $1: planning / execution ms of 3 runs:" \
    "$(grep -E 'Planning Time|Execution Time' "$OUT/$1.txt" | awk '{ print $3 }' | paste -sd' ')"
  awk '/^[A-Z]/ && NR > 1 && prev ~ /Execution Time/ { n++ } { prev = $0 } n == 2' "$OUT/$1.txt" \
    | grep -E 'Index|Scan on|Chunks excluded|ChunkAppend|Join|rows=' | sed 's/(actual time=[^)]*)//' | sort | uniq -c | sort -rn | head -12
}
echo "trace $TRACE, spans from $first to $last; chunks: $(psql_bench -c "select string_agg(hypertable_name || ' ' || n, ', ') from (select hypertable_name, count(*) n from timescaledb_information.chunks group by 1) c")"
explain trace-summary "SELECT start_time, last_span_start, span_count FROM trace_summaries WHERE trace_id = '$TRACE'"
explain trace-spans "SELECT s.trace_id, s.span_id, s.start_unix_nano, s.attributes::text, coalesce(r.resource, s.resource)::text
  FROM spans s LEFT JOIN resources r ON r.resource_id = s.resource_id
  WHERE s.trace_id = '$TRACE' AND s.start_time >= '$first' AND s.start_time <= '$last' ORDER BY s.start_unix_nano, s.span_id LIMIT 50001"
explain search-rare-tag-join "SELECT t.trace_id, t.start_unix_nano FROM trace_summaries t
  WHERE t.start_unix_nano >= $start AND t.start_unix_nano < $end AND EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id
    AND s.start_time >= to_timestamp($start / 1e9) AND s.start_time >= t.start_time AND s.start_time <= t.last_span_start
    AND s.tags @> jsonb_build_object('$(value customer_key)'::text, '$(value customer_rare)'::text))
  ORDER BY t.start_unix_nano DESC, t.trace_id DESC LIMIT 21"
explain search-rare-tag-probe "SELECT * FROM (SELECT t.trace_id, t.start_unix_nano, t.start_time, t.last_span_start FROM trace_summaries t
  WHERE t.start_unix_nano >= $start AND t.start_unix_nano < $end ORDER BY t.start_unix_nano DESC, t.trace_id DESC LIMIT 210) t
  WHERE EXISTS (SELECT 1 FROM spans s WHERE s.trace_id = t.trace_id AND s.start_time >= to_timestamp($start / 1e9)
    AND s.start_time >= t.start_time AND s.start_time <= t.last_span_start
    AND s.tags @> jsonb_build_object('$(value customer_key)'::text, '$(value customer_rare)'::text) OFFSET 0)
  ORDER BY t.start_unix_nano DESC, t.trace_id DESC LIMIT 21"
