#!/usr/bin/env bash
# Brings database cairn_bench to >= TARGET stored spans (default 5,000,000) for the query
# benchmark, with `cairn-loadgen bulk` (bench/bulk-load.sh's loader): new traces over the 7 days
# before now, written straight through trace-store's PgSpanWriter, 200 services, skewed values
# (loadgen/README.md, docs/benchmarks.md section 13). The seed is the number of spans already
# stored, so a second fill writes new traces rather than the same ones again. (Until 2026-12-02
# this copied pipeline-written traces inside PostgreSQL; the loader is as fast and makes real
# traces through the real writer.) Env: TARGET (5000000), WRITERS (2), WINDOW (168h).
source "$(dirname "$0")/lib.sh"
TARGET="${TARGET:-5000000}" WRITERS="${WRITERS:-2}" WINDOW="${WINDOW:-168h}"
need_jars
ensure_bench_db
have=$(stored_spans)
[ "$have" -ge "$TARGET" ] && { log "$BENCH_DB already holds $have spans"; exit 0; }
log "$BENCH_DB holds $have spans: loading $((TARGET - have)) more (load average $(loadavg))"
java -Xmx1g -jar "$LOADGEN_JAR" bulk --jdbc-url "jdbc:postgresql://$DB_HOST:$DB_PORT/$BENCH_DB" --user "$DB_USER" \
  --spans $((TARGET - have)) --window "$WINDOW" --writers "$WRITERS" --seed "$have" --manifest "$OUT/manifest" \
  2> >(grep --line-buffered -v -e '^INFO' -e '^[A-Z][a-z][a-z] [0-9]' -e '^[|+]' -e '^$' >&2) | tee "$OUT/bulk.txt"
psql_bench -c "analyze" 2>/dev/null
log "$BENCH_DB now holds $(stored_spans) spans"
