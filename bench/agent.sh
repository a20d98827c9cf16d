#!/usr/bin/env bash
# The agent role (collector-svc, cairn.collector.role=agent). First its own time per request
# without a network (AgentEnqueueBenchmark: IngestService in agent role on the caller's thread,
# paced at RATE, ENQUEUE_OPTS heap). Then, in front of a gateway collector: the export latency
# the application sees (loadgen -> agent, answered once queued), the agent's own time per request
# (validate, sample, queue: its request-duration histogram), its
# resident memory (VmRSS, sampled every second) and CPU at a fixed RATE. For comparison, the same
# load once straight at the gateway (answered after Kafka acked).
# Env: RUNS (3), DURATION (30s), RATE (10000), BATCH (512), CONNECTIONS (1), IN_FLIGHT (4),
#      WARMUP (15s), AGENT_JAVA_OPTS (-Xms16m -Xmx96m -XX:+UseSerialGC: a sidecar's heap),
#      PROBABILITY (1.0, the agent's head sampling), ENQUEUE_SECONDS (30), ENQUEUE_OPTS.
source "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-3}" DURATION="${DURATION:-30s}" RATE="${RATE:-10000}" BATCH="${BATCH:-512}"
CONNECTIONS="${CONNECTIONS:-1}" IN_FLIGHT="${IN_FLIGHT:-4}" WARMUP="${WARMUP:-15s}"
AGENT_JAVA_OPTS="${AGENT_JAVA_OPTS:--Xms16m -Xmx96m -XX:+UseSerialGC}" PROBABILITY="${PROBABILITY:-1.0}"
need_jars collector-svc

log "compiling collector-svc's test classes"
(cd "$ROOT" && mvn -B -q -o -pl collector-svc -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" >"$OUT/build.log" 2>&1) \
  || { tail -30 "$OUT/build.log" >&2; die "build failed"; }
CP="$(cat "$OUT/classpath.txt"):$ROOT/collector-svc/target/classes:$ROOT/collector-svc/target/test-classes"
log "enqueue without a network, load average before: $(loadavg)"
# shellcheck disable=SC2086
java ${ENQUEUE_OPTS:-$AGENT_JAVA_OPTS} -cp "$CP" dev.cairn.collector.agent.AgentEnqueueBenchmark \
  "$RATE" "${ENQUEUE_SECONDS:-30}" "$BATCH" "$PROBABILITY" | tee "$OUT/enqueue.txt"

topic="bench-$RUN_ID.ingested"
create_topic "$topic"
gw_http=$(free_port); gw_grpc=$(free_port); ag_http=$(free_port); ag_grpc=$(free_port)
start_service gateway collector-svc "$gw_http" \
  -Dcairn.collector.kafka.topic="$topic" -Dcairn.collector.kafka.bootstrap-servers="$KAFKA" \
  -Dquarkus.grpc.server.port="$gw_grpc" -Dquarkus.grpc.server.host=127.0.0.1 \
  -Dcairn.collector.zipkin.port=0
SERVICE_JAVA_OPTS="$AGENT_JAVA_OPTS" start_service agent collector-svc "$ag_http" \
  -Dcairn.collector.role=agent -Dcairn.collector.agent.gateways="127.0.0.1:$gw_grpc" \
  -Dcairn.collector.agent.sampling.probability="$PROBABILITY" -Dquarkus.grpc.server.port="$ag_grpc" \
  -Dcairn.collector.zipkin.port=0
agent_pid=$PID_agent

loadgen() {
  java -jar "$LOADGEN_JAR" --protocol grpc --connections "$CONNECTIONS" --in-flight "$IN_FLIGHT" \
    --batch-size "$BATCH" --progress 0 --rate "$RATE" "$@"
}

# The agent's request-duration histogram (seconds, cumulative buckets) as "le count" lines.
histogram() {
  curl -fsS "http://127.0.0.1:$ag_http/q/metrics" | awk '
    /^cairn_collector_request_duration_seconds_bucket\{/ && /outcome="success"/ && /transport="grpc"/ {
      match($0, /le="[^"]*"/); le = substr($0, RSTART + 4, RLENGTH - 5); print le, $NF }'
}
# quantile Q of the requests between two histogram snapshots (upper bucket bound, in ms)
quantile() {
  python3 - "$1" "$2" "$3" <<'PY'
import sys
q, before, after = float(sys.argv[1]), sys.argv[2], sys.argv[3]
def read(path):
    d = {}
    for line in open(path):
        le, n = line.split()
        d[float('inf') if le == '+Inf' else float(le)] = float(n)
    return d
b, a = read(before), read(after)
les = sorted(a)
total = a[les[-1]] - b.get(les[-1], 0)
for le in les:
    if a[le] - b.get(le, 0) >= q * total:
        print('%.2f' % (le * 1000)); break
PY
}

log "warm-up $WARMUP at $RATE spans/s"
loadgen --endpoint "127.0.0.1:$ag_grpc" --duration "$WARMUP" >"$OUT/warmup.txt"

printf '%-4s %8s %10s %10s %10s %13s %13s %10s %10s %8s %s\n' run rate p50_ms p99_ms max_ms agent_p50_ms agent_p99_ms rss_max_mb rss_med_mb cpu_s load_avg \
  | tee "$OUT/summary.txt"
for i in $(seq 1 "$RUNS"); do
  histogram >"$OUT/hist-before-$i.txt"
  cpu0=$(cpu_seconds "$agent_pid")
  ( while kill -0 "$agent_pid" 2>/dev/null; do awk '/^VmRSS/ { print $2 }' "/proc/$agent_pid/status"; sleep 1; done ) \
    >"$OUT/rss-$i.txt" &
  sampler=$!
  loadgen --endpoint "127.0.0.1:$ag_grpc" --duration "$DURATION" >"$OUT/run-$i.txt"
  kill "$sampler" 2>/dev/null || true
  cpu1=$(cpu_seconds "$agent_pid")
  histogram >"$OUT/hist-after-$i.txt"
  r=$(sed -n 's/^RESULT //p' "$OUT/run-$i.txt")
  echo "$r" >>"$OUT/results.jsonl"
  rss_max=$(sort -n "$OUT/rss-$i.txt" | tail -1 | awk '{ printf "%.1f", $1 / 1024 }')
  rss_med=$(median <"$OUT/rss-$i.txt" | awk '{ printf "%.1f", $1 / 1024 }')
  printf '%-4s %8.0f %10.2f %10.2f %10.2f %13s %13s %10s %10s %8s %s\n' "$i" "$(jq .acceptedPerSecond <<<"$r")" \
    "$(jq .latencyMs.p50 <<<"$r")" "$(jq .latencyMs.p99 <<<"$r")" "$(jq .latencyMs.max <<<"$r")" \
    "$(quantile 0.5 "$OUT/hist-before-$i.txt" "$OUT/hist-after-$i.txt")" \
    "$(quantile 0.99 "$OUT/hist-before-$i.txt" "$OUT/hist-after-$i.txt")" \
    "$rss_max" "$rss_med" "$(awk -v a="$cpu0" -v b="$cpu1" 'BEGIN { printf "%.1f", b - a }')" "$(loadavg)" \
    | tee -a "$OUT/summary.txt"
done

log "the same load straight at the gateway, once"
loadgen --endpoint "127.0.0.1:$gw_grpc" --duration "$DURATION" >"$OUT/gateway.txt"
g=$(sed -n 's/^RESULT //p' "$OUT/gateway.txt")
queued_bytes=$(metric "http://127.0.0.1:$ag_http" cairn_collector_agent_queued_bytes_total)
queued_spans=$(metric "http://127.0.0.1:$ag_http" cairn_collector_spans_published_total)
rows() { awk -v c="$1" 'NR > 1 { print $c }' "$OUT/summary.txt" | median; }
agent_p50=$(rows 6) agent_p99=$(rows 7) rss_max=$(rows 8) rss_med=$(rows 9)
{
  echo "enqueue without a network: $(tail -1 "$OUT/enqueue.txt")"
  echo "median export latency ms seen by the application at $RATE spans/s: p50 $(jq .latencyMs.p50 "$OUT/results.jsonl" | median) p99 $(jq .latencyMs.p99 "$OUT/results.jsonl" | median)"
  echo "median agent time per request ms (histogram bucket bound): p50 $agent_p50 p99 $agent_p99"
  echo "median agent RSS MB: max $rss_max, median $rss_med (java opts: $AGENT_JAVA_OPTS)"
  echo "straight at the gateway (after Kafka's ack): p50 $(jq .latencyMs.p50 <<<"$g") p99 $(jq .latencyMs.p99 <<<"$g")"
  echo "agent: sent $(metric "http://127.0.0.1:$ag_http" cairn_collector_agent_spans_sent_total) spans, dropped $(metric "http://127.0.0.1:$ag_http" cairn_collector_agent_spans_dropped_total), queued $queued_spans spans / $queued_bytes bytes ($(awk -v b="$queued_bytes" -v s="$queued_spans" 'BEGIN { if (s > 0) printf "%.0f", b / s }') bytes per span)"
  echo "cores: $(nproc); load average at end: $(loadavg)"
} | tee -a "$OUT/summary.txt"
