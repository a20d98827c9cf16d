#!/usr/bin/env bash
# collector-svc alone, OTLP/gRPC -> Kafka (acks=all): accepted spans/s, ack latency, CPU per span.
# Starts its own collector-svc on free ports with a topic of its own, runs loadgen unthrottled
# RUNS times for DURATION (after one short warm-up run), prints each run and the medians.
# Env: RUNS (3), DURATION (30s), CONNECTIONS (4), IN_FLIGHT (8), BATCH (512), WARMUP (10s).
source "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-3}" DURATION="${DURATION:-30s}" CONNECTIONS="${CONNECTIONS:-4}"
IN_FLIGHT="${IN_FLIGHT:-8}" BATCH="${BATCH:-512}" WARMUP="${WARMUP:-10s}"
need_jars collector-svc

topic="bench-$RUN_ID.ingested"
create_topic "$topic"
http_port=$(free_port); grpc_port=$(free_port)
start_service collector collector-svc "$http_port" \
  -Dcairn.collector.kafka.topic="$topic" -Dcairn.collector.kafka.bootstrap-servers="$KAFKA" \
  -Dquarkus.grpc.server.port="$grpc_port" -Dquarkus.grpc.server.host=127.0.0.1 \
  -Dcairn.collector.zipkin.port=0
pid=$PID_collector

loadgen() {
  java -jar "$LOADGEN_JAR" --protocol grpc --endpoint "127.0.0.1:$grpc_port" --connections "$CONNECTIONS" \
    --in-flight "$IN_FLIGHT" --batch-size "$BATCH" --progress 0 "$@"
}
log "warm-up $WARMUP"
loadgen --duration "$WARMUP" >"$OUT/warmup.txt"

printf '%-4s %12s %9s %9s %9s %8s %14s %16s %s\n' run accepted/s p50_ms p99_ms failed cpu_s spans/cpu-s loadgen_cpu_s load_avg | tee "$OUT/summary.txt"
for i in $(seq 1 "$RUNS"); do
  cpu0=$(cpu_seconds "$pid")
  /usr/bin/time -f '%U %S' -o "$OUT/loadgen-time-$i.txt" \
    java -jar "$LOADGEN_JAR" --protocol grpc --endpoint "127.0.0.1:$grpc_port" --connections "$CONNECTIONS" \
    --in-flight "$IN_FLIGHT" --batch-size "$BATCH" --progress 0 --duration "$DURATION" >"$OUT/run-$i.txt"
  cpu1=$(cpu_seconds "$pid")
  r=$(sed -n 's/^RESULT //p' "$OUT/run-$i.txt")
  acc=$(jq .acceptedPerSecond <<<"$r"); el=$(jq .elapsedSeconds <<<"$r")
  cpu=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.1f", b - a }')
  per_cpu=$(jq -r --argjson cpu "$cpu" '(.spansAccepted / $cpu) | floor' <<<"$r")
  lg_cpu=$(awk '{ printf "%.1f", $1 + $2 }' "$OUT/loadgen-time-$i.txt")
  printf '%-4s %12.0f %9.2f %9.2f %9s %8s %14s %16s %s\n' "$i" "$acc" "$(jq .latencyMs.p50 <<<"$r")" \
    "$(jq .latencyMs.p99 <<<"$r")" "$(jq .spansFailed <<<"$r")" "$cpu" "$per_cpu" "$lg_cpu" "$(loadavg)" | tee -a "$OUT/summary.txt"
  echo "$r" >>"$OUT/results.jsonl"
done

# Ack latency below saturation: the unthrottled runs above measure queueing behind 4 x 8 requests
# in flight; these offer a fixed RATE (spans/s) instead.
RATE="${RATE:-20000}" RATED_DURATION="${RATED_DURATION:-20s}"
printf '%-4s %12s %9s %9s %9s %s\n' run rate p50_ms p99_ms max_ms load_avg | tee -a "$OUT/summary-rated.txt"
for i in $(seq 1 "$RUNS"); do
  loadgen --rate "$RATE" --duration "$RATED_DURATION" >"$OUT/rated-$i.txt"
  r=$(sed -n 's/^RESULT //p' "$OUT/rated-$i.txt")
  printf '%-4s %12.0f %9.2f %9.2f %9.2f %s\n' "$i" "$(jq .acceptedPerSecond <<<"$r")" "$(jq .latencyMs.p50 <<<"$r")" \
    "$(jq .latencyMs.p99 <<<"$r")" "$(jq .latencyMs.max <<<"$r")" "$(loadavg)" | tee -a "$OUT/summary-rated.txt"
  echo "$r" >>"$OUT/rated.jsonl"
done
published=$(metric "http://127.0.0.1:$http_port" cairn_collector_spans_published_total)
acc_med=$(jq .acceptedPerSecond "$OUT/results.jsonl" | median)
p99_med=$(jq .latencyMs.p99 "$OUT/results.jsonl" | median)
p50_med=$(jq .latencyMs.p50 "$OUT/results.jsonl" | median)
cpu_med=$(awk 'NR > 1 { print $7 }' "$OUT/summary.txt" | median)
rp50=$(jq .latencyMs.p50 "$OUT/rated.jsonl" | median)
rp99=$(jq .latencyMs.p99 "$OUT/rated.jsonl" | median)
{
  echo "median accepted spans/s (unthrottled): $acc_med"
  echo "median ack latency ms (unthrottled, $CONNECTIONS x $IN_FLIGHT in flight): p50 $p50_med p99 $p99_med"
  echo "median collector spans per CPU-second: $cpu_med"
  echo "median ack latency ms at $RATE spans/s: p50 $rp50 p99 $rp99"
  echo "collector published total (incl. warm-up): $published"
  echo "cores: $(nproc); load average at end: $(loadavg)"
} | tee -a "$OUT/summary.txt"
