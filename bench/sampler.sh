#!/usr/bin/env bash
# sampler-svc alone with tail sampling on, through the real Kafka: spans per CPU-second of the
# sampler process. A collector fills a topic of its own with SPANS spans from cairn-loadgen
# (default generator: 20 services, <= 50 spans a trace, 8 attributes a span), then stops; each run
# starts a sampler with a fresh consumer group on that topic (base rate BASE_RATE, decision wait
# DECISION_WAIT, transactions every 250 ms) and measures its CPU from readiness until the whole
# topic is consumed and every trace decided (consumer lag 0, nothing buffered). CPU before
# readiness (JVM start) is not counted; JIT warm-up during the run is.
# Env: SPANS (2000000), RUNS (3), BASE_RATE (0.01), DECISION_WAIT (1s).
source "$(dirname "$0")/lib.sh"
SPANS="${SPANS:-2000000}" RUNS="${RUNS:-3}" BASE_RATE="${BASE_RATE:-0.01}" DECISION_WAIT="${DECISION_WAIT:-1s}"
need_jars collector-svc sampler-svc

ingested="bench-$RUN_ID.ingested" sampled="bench-$RUN_ID.sampled" decisions="bench-$RUN_ID.decisions"
create_topic "$ingested"; create_topic "$sampled"; create_topic "$decisions"
http_port=$(free_port); grpc_port=$(free_port)
start_service collector collector-svc "$http_port" \
  -Dcairn.collector.kafka.topic="$ingested" -Dcairn.collector.kafka.bootstrap-servers="$KAFKA" \
  -Dquarkus.grpc.server.port="$grpc_port" -Dquarkus.grpc.server.host=127.0.0.1
log "filling $ingested with $SPANS spans"
java -jar "$LOADGEN_JAR" --protocol grpc --endpoint "127.0.0.1:$grpc_port" --spans "$SPANS" \
  --progress 0 >"$OUT/fill.txt"
published=$(metric "http://127.0.0.1:$http_port" cairn_collector_spans_published_total)
kill "$PID_collector"
log "$published spans in $ingested"

printf '%-4s %12s %10s %8s %14s %12s %s\n' run spans traces cpu_s spans/cpu-s kept_spans load_avg | tee "$OUT/summary.txt"
for i in $(seq 1 "$RUNS"); do
  port=$(free_port)
  start_service "sampler-$i" sampler-svc "$port" \
    -Dcairn.sampler.ingested-topic="$ingested" -Dcairn.sampler.sampled-topic="$sampled" \
    -Dcairn.sampler.decision-log-topic="$decisions" -Dcairn.sampler.group-id="bench-sampler-$RUN_ID-$i" \
    -Dcairn.sampler.kafka.bootstrap-servers="$KAFKA" -Dcairn.sampler.base-rate="$BASE_RATE" \
    -Dcairn.sampler.decision-wait="$DECISION_WAIT"
  pid_var="PID_sampler_$i"; pid=${!pid_var}
  url="http://127.0.0.1:$port"
  cpu0=$(cpu_seconds "$pid")
  until [ "$(metric "$url" cairn_sampler_spans_received_total)" -ge "$published" ] \
      && [ "$(metric "$url" cairn_sampler_buffered_spans)" -eq 0 ]; do
    kill -0 "$pid" 2>/dev/null || die "sampler exited"
    sleep 0.5
  done
  cpu1=$(cpu_seconds "$pid")
  traces=$(metric "$url" cairn_sampler_traces_decided_total)
  kept=$(metric "$url" cairn_sampler_spans_kept_total)
  cpu=$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.1f", b - a }')
  printf '%-4s %12s %10s %8s %14.0f %12s %s\n' "$i" "$published" "$traces" "$cpu" \
    "$(awk -v s="$published" -v c="$cpu" 'BEGIN { print s / c }')" "$kept" "$(loadavg)" | tee -a "$OUT/summary.txt"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
done
log "median spans per CPU-second: $(awk 'NR > 1 { print $5 }' "$OUT/summary.txt" | median)" 2>&1 | tee -a "$OUT/summary.txt"
