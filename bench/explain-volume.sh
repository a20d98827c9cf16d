#!/usr/bin/env bash
# EXPLAIN (ANALYZE, BUFFERS) of trace by id and of searches with a rare tag and with a tag no span
# has, on the database bench/bulk-load.sh filled (default cairn_bulk), with the statements
# trace-store's PgTraceReader sends for the compact layout (V6): each three times in one session
# (the first plans cold; the term-index slice as a prepared generic plan, as query-svc runs it, so
# only its first run plans), values from the manifest (bench/query-volume.sh derives one when there
# is none). Prints the plan of the last run and, for every run, planning and execution time; the
# chunk lines show what was pruned. Env: TRACE (a trace id, default the manifest's middle sample).
export CAIRN_BENCH_DB="${CAIRN_BENCH_DB:-cairn_bulk}"
source "$(dirname "$0")/lib.sh"
MANIFEST="$ROOT/bench/target/bulk-$BENCH_DB"
[ -f "$MANIFEST/values.tsv" ] || die "no manifest in $MANIFEST: run bench/query-volume.sh (it derives one) first"
value() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$MANIFEST/values.tsv"; }
samples=$(grep -c -v '^#' "$MANIFEST/traces.tsv")
TRACE="${TRACE:-$(grep -v '^#' "$MANIFEST/traces.tsv" | sed -n "$((samples / 2))p" | cut -f1)}"
start=$(( $(value window_start_unix_nano) - 60000000000 )) end=$(( $(value window_end_unix_nano) + 1 ))
# a tag's search term as trace-store's SearchTerms.hash makes it (FNV-1a 64 of 't', key, NUL, value, folded)
term() { python3 -c 'import sys
h = 0xcbf29ce484222325
for b in b"t" + sys.argv[1].encode() + b"\0" + sys.argv[2].encode(): h = ((h ^ b) * 0x100000001b3) & (2**64 - 1)
f = (h ^ (h >> 32)) & 0xffffffff
print(f - 2**32 if f >= 2**31 else f)' "$1" "$2"; }
ts() { psql_bench -c "select to_timestamp($1 / 1e9)"; }
IFS='|' read -r first last < <(psql_bench -c "select min(start_time), max(last_segment_start) from trace_summaries_all where trace_id = '$TRACE'")
[ -n "$first" ] || die "trace $TRACE is not in trace_summaries_all: this script reads the compact layout (V6)"
explain() { # NAME SQL [SETUP]: three runs in one session
  local sql="explain (analyze, buffers, costs off) $2;"
  printf '%s\n%s\n%s\n%s\n' "${3:-}" "$sql" "$sql" "$sql" | psql_bench >"$OUT/$1.txt" 2>&1
  echo "== $1: planning / execution ms of 3 runs:" \
    "$(grep -E 'Planning Time|Execution Time' "$OUT/$1.txt" | awk '{ print $3 }' | paste -sd' ')"
  awk '/^[A-Z]/ && NR > 1 && prev ~ /Execution Time/ { n++ } { prev = $0 } n == 2' "$OUT/$1.txt" \
    | grep -E 'Index|Scan on|Chunks excluded|ChunkAppend|Join|rows=' | sed 's/(actual time=[^)]*)//' | sort | uniq -c | sort -rn | head -12 || true
}
echo "trace $TRACE, segments from $first to $last; chunks: $(psql_bench -c "select string_agg(hypertable_name || ' ' || n, ', ') from (select hypertable_name, count(*) n from timescaledb_information.chunks group by 1) c")"
explain trace-bounds "SELECT min(start_time), max(last_segment_start), sum(span_count) FROM trace_summaries_all WHERE trace_id = '$TRACE'"
explain trace-segments "SELECT payload FROM trace_segments WHERE trace_id = '$TRACE' AND start_time >= '$first' AND start_time <= '$last'"
from=$(ts "$start") top=$(ts "$end")
slice() { # NAME TERM: the term-index slice over the whole window below the top, as a cached generic plan
  explain "$1" "EXECUTE slice('$from', '$top', ARRAY[$2], 210)" \
    "SET plan_cache_mode = force_generic_plan; PREPARE slice(timestamptz, timestamptz, integer[], bigint) AS
     SELECT s.trace_id, s.start_time FROM trace_segments s WHERE s.start_time >= \$1 AND (s.start_time < \$2) IS TRUE
     AND s.terms @> \$3::integer[] LIMIT \$4;"
}
slice slice-rare-tag "$(term "$(value customer_key)" "$(value customer_rare)")"
slice slice-absent-tag "$(term "$(value customer_key)" "$(value customer_absent)")"
explain summaries-by-id "SELECT t.trace_id, t.start_unix_nano FROM trace_summaries_all t WHERE t.trace_id = ANY (ARRAY['$TRACE']::uuid[])
  AND t.partition_time >= '$first'::timestamptz - interval '1 day' AND t.partition_time <= '$last'::timestamptz + interval '1 day'
  AND t.start_unix_nano >= $start AND t.start_unix_nano < $end ORDER BY t.start_unix_nano DESC, t.trace_id DESC"
