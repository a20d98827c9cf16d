#!/usr/bin/env bash
# query-svc latency over database cairn_bench holding >= MIN_SPANS spans (bench/fill.sh is run
# first when it holds fewer): GET /api/v1/traces/{id} for random stored trace ids, and typical
# searches over the whole stored time range, each RUNS times for DURATION with CONCURRENCY
# closed-loop clients (`cairn-loadgen query`), medians of the runs' p50 and p99.
# Env: MIN_SPANS (5000000), RUNS (3), DURATION (15s), WARMUP (3s), CONCURRENCY (2), SERVICE (svc-002),
# ONLY (a regex of the scenario names to run, e.g. ONLY=trace-by-id).
# Reads the compact layout (V6). docs/benchmarks.md section 3's figures were measured on the V1-V5
# tables with this script before it did; on V6, 6-service+resource-tag is an empty search
# (host.name:node-3 is on no svc-002 trace), answered from the segments' term index.
source "$(dirname "$0")/lib.sh"
MIN_SPANS="${MIN_SPANS:-5000000}" RUNS="${RUNS:-3}" DURATION="${DURATION:-15s}" WARMUP="${WARMUP:-3s}"
CONCURRENCY="${CONCURRENCY:-2}" SERVICE="${SERVICE:-svc-002}" ONLY="${ONLY:-.}"
need_jars query-svc
ensure_bench_db
spans=$(stored_spans)
if [ "$spans" -lt "$MIN_SPANS" ]; then
  log "$BENCH_DB holds $spans spans (< $MIN_SPANS): bench/fill.sh first"
  TARGET="$MIN_SPANS" "$ROOT/bench/fill.sh"
  spans=$(stored_spans)
fi
# The compact layout (V6): its summaries, of both retention classes.
traces=$(psql_bench -c "select count(*) from trace_summaries_all")
psql_bench -c "select trace_id from trace_summaries_all order by random() limit 5000" >"$OUT/ids.txt"
read -r start end < <(psql_bench -F ' ' -c "select min(start_unix_nano), max(start_unix_nano) + 1 from trace_summaries_all")
port=$(free_port)
start_service query query-svc "$port" -Dquarkus.datasource.reactive.url="postgresql://$DB_HOST:$DB_PORT/$BENCH_DB"
URL="http://127.0.0.1:$port"
window="start=$start&end=$end"
# A pod of SERVICE, read from the resource of its oldest stored trace (the compact layout keeps
# resources inside the encoded segments, so SQL cannot list them): one of the service's instances.
oldest=$(curl -fsS "$URL/api/v1/traces?service=$SERVICE&$window&limit=1000" | jq -r '.traces[-1].traceId // empty')
pod=$( [ -n "$oldest" ] && curl -fsS "$URL/api/v1/traces/$oldest" | jq -r --arg s "$SERVICE" '[.resourceSpans[].resource.attributes
  | select(any(.key == "service.name" and .value.stringValue == $s)) | .[] | select(.key == "k8s.pod.name") | .value.stringValue][0] // empty')
pod="${pod:-none}"

declare -A SCENARIOS=(
  [1-trace-by-id]=""
  [2-service]="service=$SERVICE&$window&limit=20"
  [3-service+tag]="service=$SERVICE&tag=http.method:POST&$window&limit=20"
  [4-service+minDuration]="service=$SERVICE&minDuration=100ms&$window&limit=20"
  [5-errors]="error=true&$window&limit=20"
  [6-service+resource-tag]="service=$SERVICE&tag=host.name:node-3&$window&limit=20"
  [7-rare-pod]="tag=k8s.pod.name:$pod&$window&limit=20"
  [8-service+rare-pod]="service=$SERVICE&tag=k8s.pod.name:$pod&$window&limit=20"
)
echo "$spans spans, $traces traces in $BENCH_DB; searches over [$start, $end) ns; concurrency $CONCURRENCY" | tee "$OUT/summary.txt"
run_scenarios "$URL" "$OUT/ids.txt"
