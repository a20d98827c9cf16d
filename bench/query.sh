#!/usr/bin/env bash
# query-svc latency over database cairn_bench holding >= MIN_SPANS spans (bench/fill.sh is run
# first when it holds fewer): GET /api/v1/traces/{id} for random stored trace ids, and typical
# searches over the whole stored time range, each RUNS times for DURATION with CONCURRENCY
# closed-loop clients (`cairn-loadgen query`), medians of the runs' p50 and p99.
# Env: MIN_SPANS (5000000), RUNS (3), DURATION (15s), WARMUP (3s), CONCURRENCY (2), SERVICE (svc-002),
# ONLY (a regex of the scenario names to run, e.g. ONLY=trace-by-id).
source "$(dirname "$0")/lib.sh"
MIN_SPANS="${MIN_SPANS:-5000000}" RUNS="${RUNS:-3}" DURATION="${DURATION:-15s}" WARMUP="${WARMUP:-3s}"
CONCURRENCY="${CONCURRENCY:-2}" SERVICE="${SERVICE:-svc-002}" ONLY="${ONLY:-.}"
need_jars query-svc
ensure_bench_db
spans=$(psql_bench -c "select count(*) from spans_standard" 2>/dev/null || echo 0)
if [ "$spans" -lt "$MIN_SPANS" ]; then
  log "$BENCH_DB holds $spans spans (< $MIN_SPANS): bench/fill.sh first"
  TARGET="$MIN_SPANS" "$ROOT/bench/fill.sh"
  spans=$(psql_bench -c "select count(*) from spans_standard")
fi
traces=$(psql_bench -c "select count(*) from trace_summaries")
psql_bench -c "select trace_id from trace_summaries order by random() limit 5000" >"$OUT/ids.txt"
read -r start end < <(psql_bench -F ' ' -c "select min(start_unix_nano), max(start_unix_nano) + 1 from trace_summaries")
port=$(free_port)
start_service query query-svc "$port" -Dquarkus.datasource.reactive.url="postgresql://$DB_HOST:$DB_PORT/$BENCH_DB"
URL="http://127.0.0.1:$port"
window="start=$start&end=$end"
# A pod of the service seen by one run of the load generator only: rare over the whole range.
pod=$(psql_bench -c "select tags->>'k8s.pod.name' from resources where tags->>'service.name' = '$SERVICE' order by last_seen limit 1")
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
printf '%-24s %4s %9s %9s %9s %9s %8s %s\n' scenario run req/s p50_ms p99_ms max_ms results load_avg | tee -a "$OUT/summary.txt"
for name in $(printf '%s\n' "${!SCENARIOS[@]}" | grep -E -- "$ONLY" | sort); do
  params="${SCENARIOS[$name]}"
  for i in $(seq 1 "$RUNS"); do
    if [ -z "$params" ]; then what=(--ids "$OUT/ids.txt"); else what=(--search "$params"); fi
    java -jar "$LOADGEN_JAR" query --url "$URL" "${what[@]}" --concurrency "$CONCURRENCY" \
      --duration "$DURATION" --warmup "$WARMUP" --label "$name" >"$OUT/$name-$i.txt" || log "$name run $i: some requests failed"
    r=$(sed -n 's/^RESULT //p' "$OUT/$name-$i.txt")
    echo "$r" >>"$OUT/results.jsonl"
    printf '%-24s %4s %9.1f %9.2f %9.2f %9.2f %8s %s\n' "$name" "$i" "$(jq .perSecond <<<"$r")" "$(jq .latencyMs.p50 <<<"$r")" \
      "$(jq .latencyMs.p99 <<<"$r")" "$(jq .latencyMs.max <<<"$r")" "$(jq .firstPageTraces <<<"$r")" "$(loadavg)" | tee -a "$OUT/summary.txt"
  done
done
echo "medians of $RUNS runs:" | tee -a "$OUT/summary.txt"
for name in $(printf '%s\n' "${!SCENARIOS[@]}" | grep -E -- "$ONLY" | sort); do
  sel() { jq -r --arg n "$name" "select(.label == \$n) | $1" "$OUT/results.jsonl" | median; }
  printf '  %-24s p50 %s ms  p99 %s ms  (%s req/s)  %s\n' "$name" "$(sel .latencyMs.p50)" "$(sel .latencyMs.p99)" "$(sel .perSecond)" \
    "${SCENARIOS[$name]:-random ids of $(wc -l <"$OUT/ids.txt") sampled}" | tee -a "$OUT/summary.txt"
done
