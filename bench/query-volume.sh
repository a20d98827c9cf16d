#!/usr/bin/env bash
# Query latency at volume, through the REST API users see (GET /api/v1/traces...), against a
# query-svc started on the database bench/bulk-load.sh filled (default cairn_bulk), using its
# manifest (bench/target/bulk-<db>/): trace by id for the sampled traces (spread over the whole
# window), and searches over the whole 7-day window: a selective one (a rare root service and
# operation), tag searches for the commonest and a rare app.customer_id, a duration search, and
# empty ones (a customer id that matches nothing, alone and with a service), and a stop term of the
# loader's data (http.method=POST, on 55 % of its segments: docs/architecture.md, "Stop terms")
# alone and with the rare customer. Each scenario RUNS
# times for DURATION with CONCURRENCY closed-loop clients (`cairn-loadgen query`); medians of the
# runs' p50 and p99, and the requests each run made.
# Before its runs, each scenario runs once unmeasured for SERVER_WARMUP, so that the first run of a
# freshly started query-svc is not its JIT warm-up (measured: trace by id p99 11-13 ms in the
# first run, 5-7 in the next two).
# Env: RUNS (3), DURATION (20s), WARMUP (3s), SERVER_WARMUP (15s), CONCURRENCY (2), MIN_DURATION (500ms), ONLY (regex),
# QUERY_OPTS (more -Dkey=value for query-svc, e.g. to compare a setting).
# Without a manifest (a database loaded elsewhere, or bench/target cleaned), one is derived from the
# stored data (derive_manifest below) and kept there; CUSTOMERS (100000) is the load's --customers.
export CAIRN_BENCH_DB="${CAIRN_BENCH_DB:-cairn_bulk}"
source "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-3}" DURATION="${DURATION:-20s}" WARMUP="${WARMUP:-3s}" CONCURRENCY="${CONCURRENCY:-2}"
SERVER_WARMUP="${SERVER_WARMUP:-15s}"
MIN_DURATION="${MIN_DURATION:-500ms}" ONLY="${ONLY:-.}"
MANIFEST="$ROOT/bench/target/bulk-$BENCH_DB"
need_jars query-svc
value() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$MANIFEST/values.tsv"; }
urlencode() { jq -rn --arg v "$1" '$v | @uri'; }

# derive_manifest URL: what bench/bulk-load.sh's manifest names, from the stored data of the compact
# layout: 500 traces evenly spaced by start, the window, the rarest root service and operation
# among them; the commonest and an absent customer by the loader's naming (cust-<Zipf rank>); as
# the rare one, the highest-ranked customer that the search API finds on exactly one trace.
derive_manifest() {
  local url="$1" rank found
  log "no manifest in $MANIFEST: deriving one from $BENCH_DB"
  mkdir -p "$MANIFEST"
  { echo "# trace_id (derived from $BENCH_DB)"
    psql_bench -c "select replace(trace_id::text, '-', '') from (select trace_id, row_number() over (order by start_unix_nano) rn,
        count(*) over () n from trace_summaries_all) x where rn % greatest(n / 500, 1) = 0 limit 500"
  } >"$MANIFEST/traces.tsv"
  psql_bench -F $'\t' -c "select 'window_start_unix_nano', min(start_unix_nano) from trace_summaries_all
      union all select 'window_end_unix_nano', max(end_unix_nano) from trace_summaries_all" >"$MANIFEST/values.tsv"
  psql_bench -F $'\t' -c "with s as (select root_service_name, root_span_name from trace_summaries_all
      where replace(trace_id::text, '-', '') in ($(grep -v '^#' "$MANIFEST/traces.tsv" | sed "s/.*/'&'/" | paste -sd,)))
      select 'selective_service', root_service_name from s group by 1, 2, root_span_name order by count(*), 2, root_span_name limit 1" >>"$MANIFEST/values.tsv"
  psql_bench -F $'\t' -c "with s as (select root_service_name, root_span_name from trace_summaries_all
      where replace(trace_id::text, '-', '') in ($(grep -v '^#' "$MANIFEST/traces.tsv" | sed "s/.*/'&'/" | paste -sd,)))
      select 'selective_operation', root_span_name from s group by 1, root_service_name, 2 order by count(*), root_service_name, 2 limit 1" >>"$MANIFEST/values.tsv"
  printf 'customer_key\tapp.customer_id\ncustomer_common\tcust-0000001\ncustomer_absent\tcust-%07d\n' \
    $(( ${CUSTOMERS:-100000} + 1 )) >>"$MANIFEST/values.tsv"
  local window="start=$(( $(value window_start_unix_nano) - 60000000000 ))&end=$(( $(value window_end_unix_nano) + 1 ))"
  for rank in $(seq "${CUSTOMERS:-100000}" -1 $(( ${CUSTOMERS:-100000} - 200 ))); do
    found=$(curl -sf "$url/api/v1/traces?tag=app.customer_id:$(printf 'cust-%07d' "$rank")&$window&limit=2" | jq '.traces | length')
    if [ "$found" = 1 ]; then printf 'customer_rare\tcust-%07d\n' "$rank" >>"$MANIFEST/values.tsv"; break; fi
  done
  grep -q '^customer_rare' "$MANIFEST/values.tsv" || die "no customer on exactly one trace among the 200 rarest"
}
spans=$(stored_spans)
port=$(free_port)
# shellcheck disable=SC2086
start_service query query-svc "$port" -Dquarkus.datasource.reactive.url="postgresql://$DB_HOST:$DB_PORT/$BENCH_DB" ${QUERY_OPTS:-}
URL="http://127.0.0.1:$port"
[ -f "$MANIFEST/values.tsv" ] || derive_manifest "$URL"
# the window the loader wrote, widened by a minute before (a trace starts before it ends)
start=$(( $(value window_start_unix_nano) - 60000000000 ))
end=$(( $(value window_end_unix_nano) + 1 ))
window="start=$start&end=$end"
key=$(value customer_key)
service=$(urlencode "$(value selective_service)")
operation=$(urlencode "$(value selective_operation)")

declare -A SCENARIOS=(
  [1-trace-by-id]=""
  [2-selective]="service=$service&operation=$operation&$window&limit=20"
  [3-tag-common]="tag=$key:$(value customer_common)&$window&limit=20"
  [4-tag-rare]="tag=$key:$(value customer_rare)&$window&limit=20"
  [5-duration]="service=$service&minDuration=$MIN_DURATION&$window&limit=20"
  [6-empty]="tag=$key:$(value customer_absent)&$window&limit=20"
  [7-empty+service]="service=$service&tag=$key:$(value customer_absent)&$window&limit=20"
  [8-tag-stop]="tag=http.method:POST&$window&limit=20"
  [9-stop+rare]="tag=http.method:POST&tag=$key:$(value customer_rare)&$window&limit=20"
)
echo "$spans spans in $BENCH_DB; searches over [$start, $end) ns ($(( (end - start) / 3600000000000 )) h); REST via query-svc ${QUERY_OPTS:-}; concurrency $CONCURRENCY" | tee "$OUT/summary.txt"
run_scenarios "$URL" "$MANIFEST/traces.tsv"
