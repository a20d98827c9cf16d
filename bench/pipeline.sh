#!/usr/bin/env bash
# The whole pipeline (collector -> Kafka -> sampler (keep all) -> Kafka -> storage -> TimescaleDB
# -> query), each service its own JVM on free ports with topics and consumer groups of its own,
# writing into database cairn_bench (CAIRN_BENCH_DB). For each offered rate in RATES (spans/s, loadgen --rate):
#   - stored spans/s during the step (storage-svc cairn_storage_spans_written_total),
#   - both consumers' lag at the end of the step, and how long the backlog took to drain,
#   - export-to-queryable delay p50/p99 (loadgen --trace-ids-out, followed by `loadgen queryable`
#     polling GET /api/v1/traces/{id} every 50 ms until all spans of the trace are returned),
#   - CPU seconds per process during the step.
# A rate is sustained when storage wrote >= 95 % of the offered spans during the step and the
# backlog drained within 10 s after it.
# Each rate is run REPEATS times in a row (same services); the medians per rate end the summary.
# The warm-up lets the services' JIT compilers finish (at 15 s they still took ~10 % of the
# machine during the first steps; perf, 2026-11-25).
# Env: RATES ("2500 4000 5500"), STEP (30s), REPEATS (3), SAMPLE (0.005), DRAIN_MAX (120),
#      WARMUP (60s), BASE_RATE (1.0: sampler keeps all), DECISION_WAIT (10s: the sampler's tail
#      decision wait, part of the export-to-queryable delay; DECISION_WAIT_S the same in seconds).
# Under tail sampling (BASE_RATE < 1) a rate is sustained when both consumers' lag is back to 0
# within DRAIN_MAX after the decision wait: storage then writes only the kept share, and "stored"
# is that share.
source "$(dirname "$0")/lib.sh"
WARMUP="${WARMUP:-60s}"
RATES="${RATES:-2500 4000 5500}" STEP="${STEP:-30s}" REPEATS="${REPEATS:-3}" SAMPLE="${SAMPLE:-0.005}" DRAIN_MAX="${DRAIN_MAX:-120}"
need_jars collector-svc sampler-svc storage-svc query-svc
ensure_bench_db

ingested="bench-$RUN_ID.ingested" sampled="bench-$RUN_ID.sampled" decisions="bench-$RUN_ID.decisions"
create_topic "$ingested"; create_topic "$sampled"; create_topic "$decisions"
storage_port=$(free_port); sampler_port=$(free_port); query_port=$(free_port)
collector_port=$(free_port); grpc_port=$(free_port)
start_service storage storage-svc "$storage_port" \
  -Dcairn.storage.kafka.topic="$sampled" -Dcairn.storage.kafka.group-id="bench-storage-$RUN_ID" \
  -Dcairn.storage.kafka.bootstrap-servers="$KAFKA" \
  -Dquarkus.datasource.jdbc.url="jdbc:postgresql://$DB_HOST:$DB_PORT/$BENCH_DB"
start_service sampler sampler-svc "$sampler_port" \
  -Dcairn.sampler.ingested-topic="$ingested" -Dcairn.sampler.sampled-topic="$sampled" \
  -Dcairn.sampler.group-id="bench-sampler-$RUN_ID" -Dcairn.sampler.kafka.bootstrap-servers="$KAFKA" \
  -Dcairn.sampler.decision-log-topic="$decisions" \
  -Dcairn.sampler.base-rate="${BASE_RATE:-1.0}" -Dcairn.sampler.decision-wait="${DECISION_WAIT:-10s}"
start_service query query-svc "$query_port" \
  -Dquarkus.datasource.reactive.url="postgresql://$DB_HOST:$DB_PORT/$BENCH_DB"
start_service collector collector-svc "$collector_port" \
  -Dcairn.collector.kafka.topic="$ingested" -Dcairn.collector.kafka.bootstrap-servers="$KAFKA" \
  -Dquarkus.grpc.server.port="$grpc_port" -Dquarkus.grpc.server.host=127.0.0.1 \
  -Dcairn.collector.zipkin.port=0
STORAGE="http://127.0.0.1:$storage_port" SAMPLER="http://127.0.0.1:$sampler_port"
QUERY="http://127.0.0.1:$query_port"
KAFKA_PID=$(cat "$ROOT/.cairn/run/kafka.pid" 2>/dev/null || echo 0)

pg_cpu() { ps -C postgres -o times= | awk '{ s += $1 } END { print s + 0 }'; }
cpu_all() {
  printf '%s %s %s %s %s %s\n' "$(cpu_seconds "$PID_collector")" "$(cpu_seconds "$PID_sampler")" \
    "$(cpu_seconds "$PID_storage")" "$(cpu_seconds "$PID_query")" "$(cpu_seconds "$KAFKA_PID")" "$(pg_cpu)"
}
lags() { echo "$(metric "$SAMPLER" cairn_sampler_consumer_lag) $(metric "$STORAGE" cairn_storage_consumer_lag)"; }

loadgen() {
  java -jar "$LOADGEN_JAR" --protocol grpc --endpoint "127.0.0.1:$grpc_port" --connections 2 --progress 0 "$@"
}
log "warm-up $WARMUP at 5000 spans/s"
loadgen --rate 5000 --duration "$WARMUP" >"$OUT/warmup.txt"
sleep 5

printf '%-7s %9s %9s %9s %7s %7s %9s %9s %9s %9s %11s  %-32s %s\n' offered accepted stored lag_end drain_s \
  q_count q_p50_ms q_p99_ms q_missing batch_ms batch_spans "cpu_s(coll samp stor qry kfk pg)" load_avg | tee "$OUT/summary.txt"
batch_stats() {
  curl -fsS "$STORAGE/q/metrics" | awk '/^cairn_storage_batch_latency_seconds_(sum|count) / { v[$1] = $2 }
    /^cairn_storage_batch_size_spans_(sum|count) / { v[$1] = $2 }
    END { printf "%s %s %s %s\n", v["cairn_storage_batch_latency_seconds_sum"] + 0, v["cairn_storage_batch_latency_seconds_count"] + 0,
      v["cairn_storage_batch_size_spans_sum"] + 0, v["cairn_storage_batch_size_spans_count"] + 0 }'
}
for rate in $(for r in $RATES; do for k in $(seq 1 "$REPEATS"); do echo "$r"; done; done); do
  step="$OUT/rate-$rate-$SECONDS"
  b0=($(batch_stats))
  ids="$step.ids.tsv"
  java -jar "$LOADGEN_JAR" queryable --url "$QUERY" --ids "$ids" --idle 10s --give-up "${DRAIN_MAX}s" \
    >"$step.queryable.txt" 2>"$step.queryable.err" &
  follower=$!
  PIDS+=("$follower")
  (while sleep 5; do echo "$(date +%s) $(metric "$STORAGE" cairn_storage_spans_written_total) $(lags)"; done) >"$step.timeline.txt" &
  sampler_loop=$!
  PIDS+=("$sampler_loop")
  cpu0=($(cpu_all)); w0=$(metric "$STORAGE" cairn_storage_spans_written_total); t0=$(date +%s.%N)
  loadgen --rate "$rate" --duration "$STEP" --trace-ids-out "$ids" --trace-ids-sample "$SAMPLE" >"$step.loadgen.txt"
  w1=$(metric "$STORAGE" cairn_storage_spans_written_total); t1=$(date +%s.%N); cpu1=($(cpu_all))
  lag_end=$(lags)
  r=$(sed -n 's/^RESULT //p' "$step.loadgen.txt")
  accepted=$(jq .spansAccepted <<<"$r")
  # drain: until storage has written every span accepted since the step began; under tail
  # sampling (BASE_RATE < 1) most spans are dropped on purpose, so until both consumers have no
  # lag left after the decision wait (what is still buffered in the sampler is then decided)
  d0=$SECONDS
  if [ "$(awk -v r="${BASE_RATE:-1.0}" 'BEGIN { print (r < 1) }')" = 1 ]; then
    sleep "$(( ${DECISION_WAIT_S:-10} + 1 ))"
    while [ "$(lags)" != "0 0" ] && [ $((SECONDS - d0)) -lt "$DRAIN_MAX" ]; do sleep 1; done
  else
    while [ $(( $(metric "$STORAGE" cairn_storage_spans_written_total) - w0 )) -lt "$accepted" ] && [ $((SECONDS - d0)) -lt "$DRAIN_MAX" ]; do sleep 1; done
  fi
  drain=$((SECONDS - d0))
  b1=($(batch_stats))
  wait "$follower" || true
  kill "$sampler_loop" 2>/dev/null || true
  q=$(sed -n 's/^RESULT //p' "$step.queryable.txt")
  cpu=$(for k in 0 1 2 3 4 5; do awk -v a="${cpu0[$k]}" -v b="${cpu1[$k]}" 'BEGIN { printf "%.0f ", b - a }'; done)
  stored_rate=$(awk -v a="$w0" -v b="$w1" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.0f", (b - a) / (e - s) }')
  batch_ms=$(awk -v s0="${b0[0]}" -v s1="${b1[0]}" -v c0="${b0[1]}" -v c1="${b1[1]}" 'BEGIN { printf "%.0f", (c1 > c0 ? 1000 * (s1 - s0) / (c1 - c0) : 0) }')
  batch_spans=$(awk -v s0="${b0[2]}" -v s1="${b1[2]}" -v c0="${b0[3]}" -v c1="${b1[3]}" 'BEGIN { printf "%.0f", (c1 > c0 ? (s1 - s0) / (c1 - c0) : 0) }')
  printf '%-7s %9.0f %9s %9s %7s %7s %9s %9s %9s %9s %11s  %-32s %s\n' "$rate" "$(jq .acceptedPerSecond <<<"$r")" "$stored_rate" \
    "$(echo "$lag_end" | tr ' ' '/')" "$drain" "$(jq .fromAckMs.count <<<"$q")" "$(jq .fromAckMs.p50 <<<"$q")" \
    "$(jq .fromAckMs.p99 <<<"$q")" "$(jq .missing <<<"$q")" "$batch_ms" "$batch_spans" "$cpu" "$(loadavg)" | tee -a "$OUT/summary.txt"
  jq -c --argjson stored "$stored_rate" --argjson drain "$drain" --arg rate "$rate" --argjson q "$q" \
    '{rate: ($rate | tonumber), accepted: .acceptedPerSecond, stored: $stored, drain: $drain, qp50: $q.fromAckMs.p50, qp99: $q.fromAckMs.p99, qcount: $q.fromAckMs.count}' <<<"$r" >>"$OUT/steps.jsonl"
done
echo "medians per offered rate:" | tee -a "$OUT/summary.txt"
for rate in $RATES; do
  sel() { jq -r --argjson r "$rate" "select(.rate == \$r) | $1" "$OUT/steps.jsonl" | median; }
  printf '  offered %6s: accepted %s/s, stored %s/s, drain %s s, export-to-queryable p50 %s ms p99 %s ms\n' "$rate" \
    "$(sel .accepted)" "$(sel .stored)" "$(sel .drain)" "$(sel .qp50)" "$(sel .qp99)" | tee -a "$OUT/summary.txt"
done
echo "columns: lag_end = sampler/storage consumer lag (records) when loadgen stopped; q_* = export-to-queryable delay from the export's ack; cpu_s over the step" | tee -a "$OUT/summary.txt"
echo "cores: $(nproc); spans in $BENCH_DB: $(stored_spans)" | tee -a "$OUT/summary.txt"
