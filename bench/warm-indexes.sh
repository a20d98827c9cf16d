#!/usr/bin/env bash
# Bytes per span before and after the warm tier's index rebuild (storage-svc's IndexRebuildJob,
# REINDEX INDEX CONCURRENTLY of each warm chunk's indexes), as storage-svc runs it: bench/bulk-load.sh
# fills a database of its own with SPANS spans over WINDOW ending at END (default two days ago, so
# that every chunk, the summaries' day chunks too, is past warm-after's 1 day), then storage-svc
# starts on it with its maintenance schedule (every 5 s) and runs until the four rebuild jobs (segments and
# summaries of both classes) have run; the database size per span before and after, per hypertable
# too, the rebuild's wall time and PostgreSQL's CPU (every postgres process, the parallel index
# build workers included) over it. Env: CAIRN_BENCH_DB (cairn_warm_indexes), SPANS (5000000), WINDOW
# (1h), END, SKIP_LOAD=1 (the database as it is: a second run finds nothing left to rebuild).
export CAIRN_BENCH_DB="${CAIRN_BENCH_DB:-cairn_warm_indexes}"
source "$(dirname "$0")/lib.sh"
SPANS="${SPANS:-5000000}" WINDOW="${WINDOW:-1h}"
END="${END:-$(date -u -d '2 days ago' +%Y-%m-%dT%H:00:00Z)}"
need_jars storage-svc
if [ "${SKIP_LOAD:-0}" != 1 ]; then
  FRESH=1 SPANS="$SPANS" WINDOW="$WINDOW" END="$END" BYTES_PER_SPAN=200 "$ROOT/bench/bulk-load.sh"
fi
spans=$(stored_spans)
sizes() {
  psql_bench -c "select hypertable_name, hypertable_size(format('%I.%I', hypertable_schema, hypertable_name)::regclass)
    from timescaledb_information.hypertables where hypertable_name like 'trace_%' order by 1"
  echo "database|$(psql_bench -c "select pg_database_size(current_database())")"
}
# every postgres process's CPU, plus what the postmaster reaped from exited children (parallel workers)
# (read from /proc: a slim Debian has no procps; the postmaster is the postgres process whose
# parent is not one)
pg_cpu() {
  local pid ppid
  for stat in /proc/[0-9]*/stat; do
    pid=${stat#/proc/}; pid=${pid%/stat}
    [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ] || continue
    awk '{ print $14 + $15 }' "$stat" 2>/dev/null
    ppid=$(awk '{ print $4 }' "$stat" 2>/dev/null) || continue
    [ "$(cat "/proc/$ppid/comm" 2>/dev/null)" = postgres ] || awk '{ print $16 + $17 }' "$stat" 2>/dev/null
  done | awk -v t="$(getconf CLK_TCK)" '{ s += $1 } END { printf "%.2f\n", s / t }'
}
sizes >"$OUT/before.txt"

topic="bench-$RUN_ID.sampled"; create_topic "$topic"
port=$(free_port)
cpu0=$(pg_cpu); t0=$(date +%s.%N)
start_service storage storage-svc "$port" \
  -Dcairn.storage.kafka.topic="$topic" -Dcairn.storage.kafka.group-id="bench-storage-$RUN_ID" \
  -Dcairn.storage.kafka.bootstrap-servers="$KAFKA" \
  -Dquarkus.datasource.jdbc.url="jdbc:postgresql://$DB_HOST:$DB_PORT/$BENCH_DB" \
  -Dcairn.storage.retention.schedule.initial-delay=1s -Dcairn.storage.retention.schedule.every=5s
log "waiting for the four index-rebuild runs"
deadline=$((SECONDS + 1800))
until [ "$(psql_bench -c "select count(*) from maintenance_runs where job like 'index-rebuild-%' and last_run > to_timestamp($t0)")" = 4 ]; do
  [ $SECONDS -lt $deadline ] || die "the rebuild jobs did not all run in 30 minutes (see $OUT/storage.log)"
  sleep 1
done
t1=$(date +%s.%N); cpu1=$(pg_cpu)
sizes >"$OUT/after.txt"
psql_bench -c "select job, last_result from maintenance_runs where job like 'index-rebuild-%' order by job" >"$OUT/runs.txt"

# the rebuild's own wall time: from the start-up plan's log line (the first tick) to the last rebuild's
stamp() { date -u -d "$(cut -c1-23 <<<"$1" | tr , .)" +%s.%N; }
first=$(grep -m1 'maintenance policies' "$OUT/storage.log" || grep -m1 'TimescaleDB licence' "$OUT/storage.log")
# (storage-svc logs a run only when it rebuilt something)
last=$(grep 'maintenance index-rebuild-' "$OUT/storage.log" | tail -1 || true)
wall="nothing to rebuild"
[ -z "$last" ] || wall="$(echo "$(stamp "$last") - $(stamp "$first")" | bc) s wall (storage-svc's log)"
{
  echo "warm index rebuild on $BENCH_DB ($spans spans): $wall;"
  echo "  PostgreSQL $(echo "$cpu1 - $cpu0" | bc) CPU-s over the $(echo "$t1 - $t0" | bc | cut -d. -f1) s from storage-svc's start (every postgres process, autovacuum too)"
  printf '  %-26s %12s %12s\n' table "B/span before" "B/span after"
  join -t'|' <(sort "$OUT/before.txt") <(sort "$OUT/after.txt") | awk -F'|' -v n="$spans" '{ printf "  %-26s %12.1f %12.1f\n", $1, $2 / n, $3 / n }'
  sed 's/^/  /' "$OUT/runs.txt"
  echo "  load average $(loadavg)"
} | tee "$OUT/summary.txt"
