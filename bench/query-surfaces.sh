#!/usr/bin/env bash
# The same trace by id and the same searches through /api/v1, GraphQL and the Jaeger API of one
# query-svc over $BENCH_DB (>= MIN_SPANS spans; bench/fill.sh first when it holds fewer),
# interleaved: each client asks every surface in turn, starting each round at the next one
# (`cairn-loadgen surfaces`), so noise on the shared machine hits all alike. RUNS runs per
# scenario; medians of the runs' p50 and p99 per surface, and of the runs' ratios to /api/v1.
# Before the runs, every scenario runs once unmeasured for SERVER_WARMUP, so that the first run
# does not meet a cold JIT. Env: MIN_SPANS (1000000), RUNS (3), DURATION (15s), WARMUP (3s),
# SERVER_WARMUP (30s), CONCURRENCY (1), SERVICE (svc-002), ONLY (a regex of scenario names).
source "$(dirname "$0")/lib.sh"
MIN_SPANS="${MIN_SPANS:-1000000}" RUNS="${RUNS:-3}" DURATION="${DURATION:-15s}" WARMUP="${WARMUP:-3s}"
SERVER_WARMUP="${SERVER_WARMUP:-30s}" CONCURRENCY="${CONCURRENCY:-1}" SERVICE="${SERVICE:-svc-002}" ONLY="${ONLY:-.}"
need_jars query-svc
ensure_bench_db
spans=$(stored_spans)
if [ "$spans" -lt "$MIN_SPANS" ]; then
  log "$BENCH_DB holds $spans spans (< $MIN_SPANS): bench/fill.sh first"
  TARGET="$MIN_SPANS" "$ROOT/bench/fill.sh"
  spans=$(stored_spans)
fi
# The compact layout (V6): a summary is written with its trace's segments, so every id answers.
traces=$(psql_bench -c "select count(*) from trace_summaries_all")
psql_bench -c "select trace_id from trace_summaries_all order by random() limit 2000" >"$OUT/ids.txt"
read -r start end < <(psql_bench -F ' ' -c "select min(start_unix_nano), max(start_unix_nano) + 1 from trace_summaries_all")
port=$(free_port)
start_service query query-svc "$port" -Dquarkus.datasource.reactive.url="postgresql://$DB_HOST:$DB_PORT/$BENCH_DB"
URL="http://127.0.0.1:$port"
window="start=$start&end=$end"

declare -A SCENARIOS=(
  [1-trace-by-id]=""
  [2-service]="service=$SERVICE&$window&limit=20"
  [3-service+tag]="service=$SERVICE&tag=http.method:POST&$window&limit=20"
  [4-service+minDuration]="service=$SERVICE&minDuration=100ms&$window&limit=20"
)
TRACE_SURFACES=rest,graphql,jaeger,rest-view,graphql-lean
SEARCH_SURFACES=rest,graphql,jaeger
echo "$spans spans, $traces traces in $BENCH_DB; searches over [$start, $end) ns; concurrency $CONCURRENCY;" \
  "worktree at $(git -C "$ROOT" rev-parse --short HEAD)" | tee "$OUT/summary.txt"
printf '%-22s %3s %-12s %7s %9s %9s %8s %8s %7s %s\n' scenario run surface requests p50_ms p99_ms p50/rest p99/rest results load_avg \
  | tee -a "$OUT/summary.txt"
scenarios=$(printf '%s\n' "${!SCENARIOS[@]}" | grep -E -- "$ONLY" | sort)
what_of() {
  if [ -z "${SCENARIOS[$1]}" ]; then
    what=(--ids "$OUT/ids.txt" --surfaces "$TRACE_SURFACES")
  else
    what=(--search "${SCENARIOS[$1]}" --surfaces "$SEARCH_SURFACES")
  fi
}
for name in $scenarios; do
  what_of "$name"
  java -jar "$LOADGEN_JAR" surfaces --url "$URL" "${what[@]}" --duration 1s --warmup "$SERVER_WARMUP" >"$OUT/$name-warmup.txt" ||
    log "$name warm-up: some requests failed"
done
for name in $scenarios; do
  what_of "$name"
  for i in $(seq 1 "$RUNS"); do
    java -jar "$LOADGEN_JAR" surfaces --url "$URL" "${what[@]}" --concurrency "$CONCURRENCY" \
      --duration "$DURATION" --warmup "$WARMUP" --label "$name" >"$OUT/$name-$i.txt" || log "$name run $i: some requests failed"
    r=$(sed -n 's/^RESULT //p' "$OUT/$name-$i.txt")
    echo "$r" >>"$OUT/results.jsonl"
    load=$(loadavg)
    # one line per surface, ratios to rest within this run
    jq -r --arg run "$i" --arg load "$load" '
      .surfaces.rest.latencyMs as $r
      | .surfaces | to_entries[]
      | [.key, .value.requests, .value.latencyMs.p50, .value.latencyMs.p99,
         (.value.latencyMs.p50 / $r.p50), (.value.latencyMs.p99 / $r.p99), .value.results] | @tsv' <<<"$r" |
      while IFS=$'\t' read -r surface n p50 p99 r50 r99 results; do
        printf '%-22s %3s %-12s %7s %9.2f %9.2f %8.2f %8.2f %7s %s\n' "$name" "$i" "$surface" "$n" "$p50" "$p99" "$r50" "$r99" \
          "$results" "$load" | tee -a "$OUT/summary.txt"
      done
  done
done
echo "medians of $RUNS runs (ratios: median of the runs' own ratios to rest):" | tee -a "$OUT/summary.txt"
for name in $scenarios; do
  for surface in $(jq -r --arg n "$name" 'select(.label == $n) | .surfaces | keys_unsorted[]' "$OUT/results.jsonl" | awk '!seen[$0]++'); do
    sel() { jq -r --arg n "$name" --arg s "$surface" "select(.label == \$n) | $1" "$OUT/results.jsonl" | median; }
    printf '  %-22s %-12s p50 %7s ms  p99 %7s ms  p50/rest %5.2f  p99/rest %5.2f\n' "$name" "$surface" \
      "$(sel '.surfaces[$s].latencyMs.p50')" "$(sel '.surfaces[$s].latencyMs.p99')" \
      "$(sel '.surfaces[$s].latencyMs.p50 / .surfaces.rest.latencyMs.p50')" \
      "$(sel '.surfaces[$s].latencyMs.p99 / .surfaces.rest.latencyMs.p99')" | tee -a "$OUT/summary.txt"
  done
done
echo "load average at the end: $(loadavg)" | tee -a "$OUT/summary.txt"
