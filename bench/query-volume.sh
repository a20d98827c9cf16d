#!/usr/bin/env bash
# Query latency at volume, through the REST API users see (GET /api/v1/traces...), against a
# query-svc started on the database bench/bulk-load.sh filled (default cairn_bulk), using its
# manifest (bench/target/bulk-<db>/): trace by id for the sampled traces (spread over the whole
# window), and searches over the whole 7-day window: a selective one (a rare root service and
# operation), tag searches for the commonest and a rare app.customer_id, a duration search, and
# empty ones (a customer id that matches nothing, alone and with a service). Each scenario RUNS
# times for DURATION with CONCURRENCY closed-loop clients (`cairn-loadgen query`); medians of the
# runs' p50 and p99, and the requests each run made.
# Env: RUNS (3), DURATION (20s), WARMUP (3s), CONCURRENCY (2), MIN_DURATION (500ms), ONLY (regex),
# QUERY_OPTS (more -Dkey=value for query-svc, e.g. to compare a setting).
export CAIRN_BENCH_DB="${CAIRN_BENCH_DB:-cairn_bulk}"
source "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-3}" DURATION="${DURATION:-20s}" WARMUP="${WARMUP:-3s}" CONCURRENCY="${CONCURRENCY:-2}"
MIN_DURATION="${MIN_DURATION:-500ms}" ONLY="${ONLY:-.}"
MANIFEST="$ROOT/bench/target/bulk-$BENCH_DB"
need_jars query-svc
[ -f "$MANIFEST/values.tsv" ] || die "no manifest in $MANIFEST: run bench/bulk-load.sh first"
value() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$MANIFEST/values.tsv"; }
urlencode() { jq -rn --arg v "$1" '$v | @uri'; }
spans=$(stored_spans)
# the window the loader wrote, widened by a minute before (a trace starts before it ends)
start=$(( $(value window_start_unix_nano) - 60000000000 ))
end=$(( $(value window_end_unix_nano) + 1 ))
window="start=$start&end=$end"
key=$(value customer_key)
service=$(urlencode "$(value selective_service)")
operation=$(urlencode "$(value selective_operation)")
port=$(free_port)
# shellcheck disable=SC2086
start_service query query-svc "$port" -Dquarkus.datasource.reactive.url="postgresql://$DB_HOST:$DB_PORT/$BENCH_DB" ${QUERY_OPTS:-}
URL="http://127.0.0.1:$port"

declare -A SCENARIOS=(
  [1-trace-by-id]=""
  [2-selective]="service=$service&operation=$operation&$window&limit=20"
  [3-tag-common]="tag=$key:$(value customer_common)&$window&limit=20"
  [4-tag-rare]="tag=$key:$(value customer_rare)&$window&limit=20"
  [5-duration]="service=$service&minDuration=$MIN_DURATION&$window&limit=20"
  [6-empty]="tag=$key:$(value customer_absent)&$window&limit=20"
  [7-empty+service]="service=$service&tag=$key:$(value customer_absent)&$window&limit=20"
)
echo "$spans spans in $BENCH_DB; searches over [$start, $end) ns ($(( (end - start) / 3600000000000 )) h); REST via query-svc ${QUERY_OPTS:-}; concurrency $CONCURRENCY" | tee "$OUT/summary.txt"
run_scenarios "$URL" "$MANIFEST/traces.tsv"
