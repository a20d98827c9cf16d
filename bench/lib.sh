# Shared helpers of the bench/*.sh scripts (sourced, not run). Each script starts what it needs on
# free loopback ports, with Kafka topics and consumer groups of its own, and stops it on exit.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOADGEN_JAR="$ROOT/loadgen/target/cairn-loadgen.jar"
KAFKA="${CAIRN_KAFKA_BOOTSTRAP:-127.0.0.1:9092}"
DB_HOST="${CAIRN_DB_HOST:-127.0.0.1}"
DB_PORT="${CAIRN_DB_PORT:-5433}"
DB_USER="${CAIRN_DB_USER:-cairn}"
DB_PASSWORD="${CAIRN_DB_PASSWORD:-cairn}"
# The benchmarks' own database: millions of spans that neither ./cairn up nor the tests see.
BENCH_DB="${CAIRN_BENCH_DB:-cairn_bench}"
# Heap and collector as ./cairn up gives the services (Parallel GC, as the container images choose).
SERVICE_JAVA_OPTS="${CAIRN_BENCH_JAVA_OPTS:--Xmx1g -XX:+UseParallelGC}"
RUN_ID="$(date +%Y%m%d-%H%M%S)-$$"
OUT="$ROOT/bench/target/$(basename "$0" .sh)-$RUN_ID"
mkdir -p "$OUT"
PIDS=()
TOPICS=()

log() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

need_jars() {
  # the benchmarks read results and API answers with jq and curl and sum with bc, which ./cairn
  # does not install
  for tool in jq curl psql bc; do
    command -v "$tool" >/dev/null || die "the benchmarks need $tool (Debian: apt-get install jq curl postgresql-client bc)"
  done
  [ -f "$LOADGEN_JAR" ] || die "missing $LOADGEN_JAR: mvn -B -o -q -pl loadgen -DskipTests package"
  for m in "$@"; do
    [ -f "$ROOT/$m/target/quarkus-app/quarkus-run.jar" ] || die "missing $m jar: mvn -B -o -q -DskipTests package"
  done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

psql_bench() { PGPASSWORD="$DB_PASSWORD" psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$BENCH_DB" -v ON_ERROR_STOP=1 -Atq "$@"; }

ensure_bench_db() {
  if ! PGPASSWORD="$DB_PASSWORD" psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -Atc \
      "select 1 from pg_database where datname = '$BENCH_DB'" | grep -q 1; then
    log "creating database $BENCH_DB"
    PGPASSWORD="$DB_PASSWORD" psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -qc "create database $BENCH_DB"
  fi
}

# start_service NAME MODULE HTTP_PORT [-Dkey=value ...]: starts the packaged Quarkus app in the
# background (its log in $OUT/NAME.log) and waits until /q/health/ready answers 200.
start_service() {
  local name="$1" module="$2" port="$3"; shift 3
  # shellcheck disable=SC2086
  java $SERVICE_JAVA_OPTS -Dquarkus.http.port="$port" -Dquarkus.http.host=127.0.0.1 "$@" \
    -jar "$ROOT/$module/target/quarkus-app/quarkus-run.jar" >"$OUT/$name.log" 2>&1 </dev/null &
  local pid=$!
  PIDS+=("$pid")
  eval "PID_${name//-/_}=$pid"
  local deadline=$((SECONDS + 120))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/q/health/ready" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || { tail -30 "$OUT/$name.log" >&2; die "$name exited at start"; }
    [ $SECONDS -lt $deadline ] || { tail -30 "$OUT/$name.log" >&2; die "$name not ready in 120 s"; }
    sleep 0.5
  done
  log "$name ready on :$port (pid $pid)"
}

kafka_tool() { java -Xmx256m -cp "$(cat "$ROOT/.cairn/kafka/classpath.txt")" "$@"; }

create_topic() {
  kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA" --create --if-not-exists \
    --topic "$1" --partitions 6 --replication-factor 1 >/dev/null
  TOPICS+=("$1")
}

# metric URL NAME: sum of the Prometheus samples of NAME (all label sets), 0 when absent.
metric() {
  curl -fsS "$1/q/metrics" 2>/dev/null | awk -v n="$2" '$1 == n || index($1, n "{") == 1 { s += $NF } END { printf "%.0f\n", s }'
}

cleanup() {
  local rc=$?
  for pid in "${PIDS[@]:-}"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]:-}"; do
    [ -n "$pid" ] || continue
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
  if [ ${#TOPICS[@]} -gt 0 ] && [ "${KEEP_TOPICS:-0}" != 1 ]; then
    for t in "${TOPICS[@]}"; do
      kafka_tool org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA" --delete --topic "$t" >/dev/null 2>&1 || true
    done
  fi
  log "logs and results in $OUT"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# median of numbers, one per line on stdin
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# cpu_seconds PID: user+system CPU time the process has used so far
cpu_seconds() { awk -v t="$(getconf CLK_TCK)" '{ printf "%.2f\n", ($14 + $15) / t }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# stored_spans: spans the trace summaries of the bench database count, in whichever layout wrote
# them: trace_summaries (V1-V5) and, once migration V6 exists, trace_summaries_all (compact).
stored_spans() {
  local sql="select coalesce(sum(span_count), 0) from trace_summaries"
  if [ "$(psql_bench -c "select to_regclass('trace_summaries_all') is not null" 2>/dev/null)" = t ]; then
    sql="select (select coalesce(sum(span_count), 0) from trace_summaries) + (select coalesce(sum(span_count), 0) from trace_summaries_all)"
  fi
  psql_bench -c "$sql" 2>/dev/null || echo 0
}

# run_scenarios URL IDS: the query scenarios of the caller's associative array SCENARIOS (name ->
# /api/v1/traces query string; "" = trace by id for the ids in file IDS) whose names match ONLY, each
# RUNS times for DURATION after WARMUP with CONCURRENCY closed-loop clients (`cairn-loadgen query`);
# a line per run, then the medians of the runs' p50 and p99, into $OUT/summary.txt and results.jsonl.
run_scenarios() {
  local url="$1" ids="$2" name i r
  local names
  names=$(printf '%s\n' "${!SCENARIOS[@]}" | grep -E -- "${ONLY:-.}" | sort)
  printf '%-24s %4s %8s %9s %9s %9s %9s %8s %s\n' scenario run requests req/s p50_ms p99_ms max_ms results load_avg | tee -a "$OUT/summary.txt"
  for name in $names; do
    local what=(--ids "$ids")
    [ -n "${SCENARIOS[$name]}" ] && what=(--search "${SCENARIOS[$name]}")
    # SERVER_WARMUP (0s unless the script sets it): the scenario once unmeasured first, so that a
    # freshly started service's JIT compilation does not land in the first measured run
    if [ "${SERVER_WARMUP:-0s}" != 0s ]; then
      java -jar "$LOADGEN_JAR" query --url "$url" "${what[@]}" --concurrency "$CONCURRENCY" \
        --duration 1s --warmup "$SERVER_WARMUP" --label "$name-warmup" >"$OUT/$name-warmup.txt" || log "$name warm-up: some requests failed"
    fi
    for i in $(seq 1 "$RUNS"); do
      java -jar "$LOADGEN_JAR" query --url "$url" "${what[@]}" --concurrency "$CONCURRENCY" \
        --duration "$DURATION" --warmup "$WARMUP" --label "$name" >"$OUT/$name-$i.txt" || log "$name run $i: some requests failed"
      r=$(sed -n 's/^RESULT //p' "$OUT/$name-$i.txt")
      echo "$r" >>"$OUT/results.jsonl"
      printf '%-24s %4s %8s %9.1f %9.2f %9.2f %9.2f %8s %s\n' "$name" "$i" "$(jq .requests <<<"$r")" "$(jq .perSecond <<<"$r")" \
        "$(jq .latencyMs.p50 <<<"$r")" "$(jq .latencyMs.p99 <<<"$r")" "$(jq .latencyMs.max <<<"$r")" "$(jq .firstPageTraces <<<"$r")" \
        "$(loadavg)" | tee -a "$OUT/summary.txt"
    done
  done
  echo "medians of $RUNS runs:" | tee -a "$OUT/summary.txt"
  for name in $names; do
    sel() { jq -r --arg n "$name" "select(.label == \$n) | $1" "$OUT/results.jsonl" | median; }
    printf '  %-24s p50 %s ms  p99 %s ms  (%s requests a run, %s req/s, %s traces on the first page)  %s\n' "$name" \
      "$(sel .latencyMs.p50)" "$(sel .latencyMs.p99)" "$(sel .requests)" "$(sel .perSecond)" "$(sel .firstPageTraces)" \
      "${SCENARIOS[$name]:-$(grep -c -v '^#' "$ids") sampled trace ids}" | tee -a "$OUT/summary.txt"
  done
}
