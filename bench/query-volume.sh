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
printf '%-18s %4s %8s %9s %9s %9s %9s %8s %s\n' scenario run requests req/s p50_ms p99_ms max_ms results load_avg | tee -a "$OUT/summary.txt"
for name in $(printf '%s\n' "${!SCENARIOS[@]}" | grep -E -- "$ONLY" | sort); do
  params="${SCENARIOS[$name]}"
  for i in $(seq 1 "$RUNS"); do
    if [ -z "$params" ]; then what=(--ids "$MANIFEST/traces.tsv"); else what=(--search "$params"); fi
    java -jar "$LOADGEN_JAR" query --url "$URL" "${what[@]}" --concurrency "$CONCURRENCY" \
      --duration "$DURATION" --warmup "$WARMUP" --label "$name" >"$OUT/$name-$i.txt" || log "$name run $i: some requests failed"
    r=$(sed -n 's/^RESULT //p' "$OUT/$name-$i.txt")
    echo "$r" >>"$OUT/results.jsonl"
    printf '%-18s %4s %8s %9.1f %9.2f %9.2f %9.2f %8s %s\n' "$name" "$i" "$(jq .requests <<<"$r")" "$(jq .perSecond <<<"$r")" \
      "$(jq .latencyMs.p50 <<<"$r")" "$(jq .latencyMs.p99 <<<"$r")" "$(jq .latencyMs.max <<<"$r")" "$(jq .firstPageTraces <<<"$r")" \
      "$(loadavg)" | tee -a "$OUT/summary.txt"
  done
done
echo "medians of $RUNS runs:" | tee -a "$OUT/summary.txt"
for name in $(printf '%s\n' "${!SCENARIOS[@]}" | grep -E -- "$ONLY" | sort); do
  sel() { jq -r --arg n "$name" "select(.label == \$n) | $1" "$OUT/results.jsonl" | median; }
  printf '  %-18s p50 %s ms  p99 %s ms  (%s requests a run, %s traces on the first page)  %s\n' "$name" "$(sel .latencyMs.p50)" \
    "$(sel .latencyMs.p99)" "$(sel .requests)" "$(sel .firstPageTraces)" \
    "${SCENARIOS[$name]:-$(grep -c -v '^#' "$MANIFEST/traces.tsv") sampled trace ids}" | tee -a "$OUT/summary.txt"
done
