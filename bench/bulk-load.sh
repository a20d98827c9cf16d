#!/usr/bin/env bash
# Fills a database of its own (default cairn_bulk) with SPANS spans of generated traces ending over
# the WINDOW before now, written straight through trace-store's PgSpanWriter by `cairn-loadgen bulk`
# (WRITERS parallel writers, batches of 5,000 spans per retention class, as storage-svc), and
# reports the rate, the loader's and PostgreSQL's CPU per span and the bytes per span on disk.
# The manifest (sample trace ids spread over the window, common/rare/absent tag values) goes to
# bench/target/bulk-<db>/, where bench/query-volume.sh reads it.
# Refuses to start when SPANS x BYTES_PER_SPAN would not fit in 80 % of the free disk (FORCE=1
# skips the check). Env: SPANS (50000000), WINDOW (168h), WRITERS (2), SEED (7), END (now, ISO-8601),
# BYTES_PER_SPAN (measured from the database when it already holds spans, else 1900: the row
# layout measured 1,700-1,900 B/span with these traces),
# FRESH=1 drops and recreates the database first. CHUNK_INTERVAL (e.g. 6h; a fresh database only):
# the chunk interval of every timestamp-partitioned hypertable, for comparing chunk sizes: the
# schema is first made by a load of 1,000 spans a month before the window, then the interval set
# (storage-svc sets its own, cairn.storage.retention.chunk-intervals.*, when it starts).
export CAIRN_BENCH_DB="${CAIRN_BENCH_DB:-cairn_bulk}"
source "$(dirname "$0")/lib.sh"
SPANS="${SPANS:-50000000}" WINDOW="${WINDOW:-168h}" WRITERS="${WRITERS:-2}" SEED="${SEED:-7}"
END="${END:-$(date -u +%Y-%m-%dT%H:%M:%SZ)}"
MANIFEST="$ROOT/bench/target/bulk-$BENCH_DB"
need_jars
psql_admin() { PGPASSWORD="$DB_PASSWORD" psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -v ON_ERROR_STOP=1 -Atq "$@"; }
if [ "${FRESH:-0}" = 1 ]; then
  log "dropping database $BENCH_DB"
  psql_admin -c "drop database if exists $BENCH_DB"
fi
ensure_bench_db
db_bytes() { psql_bench -c "select pg_database_size(current_database())"; }
have=$(stored_spans)
bytes_per_span="${BYTES_PER_SPAN:-}"
if [ -z "$bytes_per_span" ]; then
  if [ "$have" -gt 100000 ]; then bytes_per_span=$(( $(db_bytes) / have )); else bytes_per_span=1900; fi
fi
free=$(( $(df --output=avail -B1 "$ROOT" | tail -1) ))
need=$(( SPANS * bytes_per_span ))
log "$BENCH_DB holds $have spans; $SPANS more at ~$bytes_per_span B/span need $((need >> 30)) GiB, $((free >> 30)) GiB free"
if [ "$need" -gt $(( free / 10 * 8 )) ] && [ "${FORCE:-0}" != 1 ]; then
  die "not enough disk for $SPANS spans: try SPANS=$(( free / 10 * 8 / bytes_per_span )) or less, or FORCE=1"
fi

# CPU of the loader's PostgreSQL backends (application_name cairn-loadgen-bulk), sampled while it
# runs: the last value seen per backend, summed at the end (a backend's counters die with it).
pg_cpu_sampler() {
  local clk; clk=$(getconf CLK_TCK)
  declare -A last=()
  while :; do
    for pid in $(psql_bench -c "select pid from pg_stat_activity where application_name = 'cairn-loadgen-bulk'" 2>/dev/null); do
      t=$(awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null) && last[$pid]=$t
    done
    total=0; for v in "${last[@]:-0}"; do total=$((total + v)); done
    echo "scale=2; $total / $clk" | bc >"$OUT/pg-cpu-seconds"
    sleep 2
  done
}
if [ -n "${CHUNK_INTERVAL:-}" ]; then
  [ "$have" -eq 0 ] || die "CHUNK_INTERVAL needs an empty database (FRESH=1)"
  early=$(date -u -d "$END - 30 days" +%Y-%m-%dT%H:%M:%SZ)
  java -jar "$LOADGEN_JAR" bulk --jdbc-url "jdbc:postgresql://$DB_HOST:$DB_PORT/$BENCH_DB" --user "$DB_USER" \
    --spans 1000 --window 1m --end "$early" --progress 0 >/dev/null 2>&1 || die "could not create the schema"
  psql_bench -c "select set_chunk_time_interval(format('%I.%I', hypertable_schema, hypertable_name)::regclass,
      interval '$CHUNK_INTERVAL') from timescaledb_information.dimensions where column_type = 'timestamptz'::regtype" >/dev/null
  log "chunk interval of every hypertable: $CHUNK_INTERVAL"
fi
pg_cpu_sampler &
PIDS+=("$!")
load_before=$(loadavg)
bytes_before=$(db_bytes)
log "loading $SPANS spans over $WINDOW before $END with $WRITERS writer(s); load average $load_before"
java -Xmx1g -jar "$LOADGEN_JAR" bulk --jdbc-url "jdbc:postgresql://$DB_HOST:$DB_PORT/$BENCH_DB" --user "$DB_USER" \
  --spans "$SPANS" --window "$WINDOW" --end "$END" --writers "$WRITERS" --seed "$SEED" --manifest "$MANIFEST" \
  >"$OUT/bulk.txt" 2> >(grep --line-buffered -v -e '^INFO' -e '^[A-Z][a-z][a-z] [0-9]' -e '^[|+]' -e '^$' | tee "$OUT/bulk.err" >&2)
sleep 3
load_after=$(loadavg)
cat "$OUT/bulk.txt"
r=$(sed -n 's/^RESULT //p' "$OUT/bulk.txt")
psql_bench -c "analyze" 2>/dev/null  # (the catalog tables it may not analyze say so on stderr)
written=$(jq .spans <<<"$r")
pg_cpu=$(cat "$OUT/pg-cpu-seconds" 2>/dev/null || echo 0)
bytes_after=$(db_bytes)
total=$(stored_spans)
{
  echo "bulk load into $BENCH_DB: $written spans ($(jq .traces <<<"$r") traces) over $WINDOW before $END, $WRITERS writer(s), seed $SEED"
  printf '  %.0f spans/s over %.0f s; loader %.1f µs CPU/span; PostgreSQL backends %.1f µs CPU/span\n' \
    "$(jq .spansPerSecond <<<"$r")" "$(jq .seconds <<<"$r")" "$(jq ".loaderCpuSeconds * 1e6 / .spans" <<<"$r")" \
    "$(echo "$pg_cpu * 1000000 / $written" | bc -l)"
  printf '  database %d MiB (+%d MiB), %d spans stored in all: %.0f B/span\n' $((bytes_after >> 20)) \
    $(((bytes_after - bytes_before) >> 20)) "$total" "$(echo "$bytes_after / $total" | bc -l)"
  echo "  load average before $load_before, after $load_after; manifest in $MANIFEST"
} | tee "$OUT/summary.txt"
