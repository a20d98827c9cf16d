#!/usr/bin/env bash
# The writer's cost per span in two storage layouts, same spans, same run, rounds interleaved:
#   before: the V1–V5 layout (a row per span, typed jsonb, tags GIN, resources once), as built at
#           BEFORE_REF (default 5e19805, main before the compact layout);
#   after:  this checkout's layout (V6: zstd OTLP segments per trace per batch, hashed search
#           terms under one GIN index, summaries per class).
# Input: the newest ROWS (40000) spans of the benchmark database, whole traces, exported once
# (bench/storage-layout/ExportSpans.java): of its V1–V5 table when it has rows there (written
# before V6), else of its compact layout (bench/pipeline.sh writes it; or CAIRN_BENCH_DB=<a
# database bench/bulk-load.sh filled>). Each round, for each layout, one JVM
# (bench/storage-layout/WriterBench.java on that build's classpath) writes them through that
# build's PgSpanWriter in batches of BATCH (2000) into a fresh schema (after a warm-up pass into
# another), then COPYs (binary) the rows that produced into a third fresh schema with the same
# indexes: writer rate vs raw COPY, PostgreSQL backend CPU and the writing thread's CPU per span,
# bytes per span on disk (every table the writer filled, with TOAST and indexes).
# VARIANTS (empty): names of bench/storage-layout/variants/<name>.sql, each run as one more layout:
# the after build with that SQL appended to its newest migration (an index or storage setting to
# try without a commit). Runs in a scratch database of its own (dropped at the end). Env: ROWS,
# ROUNDS (5), BATCH, BEFORE_REF, AFTER_REF (HEAD), VARIANTS, LANES (1: the writer on one thread
# and connection; storage-svc runs 3, cairn.storage.batch.writers, each lane the traces of its
# share; the raw COPY stays one connection), BENCH_JAVA_OPTS (the writer JVM's options after
# -Xmx2g; default -XX:+UseParallelGC, as storage-svc runs; e.g. -XX:+UseG1GC to compare; they also
# take WriterBench's options: '-XX:+UseParallelGC -Dstore=fresh' measures a store's first hour,
# before its segment dictionary and stop-term list are trained, instead of a store past it).
source "$(dirname "$0")/lib.sh"
ROWS="${ROWS:-40000}" ROUNDS="${ROUNDS:-5}" BATCH="${BATCH:-2000}" VARIANTS="${VARIANTS:-}" LANES="${LANES:-1}"
BEFORE_REF="${BEFORE_REF:-5e19805}" AFTER_REF="${AFTER_REF:-HEAD}"
SCRATCH="${BENCH_DB}_layout"
ensure_bench_db
have=$(stored_spans)
[ "$have" -ge "$ROWS" ] || die "$BENCH_DB holds $have spans, fewer than $ROWS: run bench/pipeline.sh first"

psql_db() { PGPASSWORD="$DB_PASSWORD" psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$1" -v ON_ERROR_STOP=1 -Atq "${@:2}"; }
trap 'psql_db postgres -c "drop database if exists $SCRATCH" >/dev/null 2>&1 || true' EXIT
jdbc() { echo "jdbc:postgresql://$DB_HOST:$DB_PORT/$1"; }

# build NAME REF: trace-store of REF, built in a copy of its tree (no install), its classpath in $OUT/NAME.cp
build() {
  local name="$1" ref="$2" src="$OUT/$1-src"
  mkdir -p "$src"
  git -C "$ROOT" archive "$ref" | tar -x -C "$src"
  log "building trace-store of $ref ($name)"
  # online: a fresh machine's Maven repository lacks the dependency plugin's own dependencies
  mvn -B -q -f "$src/pom.xml" -pl trace-store -am -DskipTests -Dspotless.check.skip=true \
    package dependency:build-classpath -Dmdep.outputFile="$OUT/$name.deps" >"$OUT/$name-build.log" 2>&1 \
    || { tail -20 "$OUT/$name-build.log" >&2; die "build of $ref failed"; }
  echo "$src/trace-store/target/classes:$src/trace-model/target/classes:$(cat "$OUT/$name.deps")" >"$OUT/$name.cp"
}
build before "$BEFORE_REF"
build after "$AFTER_REF"
# variant NAME: the after build's classes with variants/NAME.sql appended to its newest migration
variant() {
  local sql="$ROOT/bench/storage-layout/variants/$1.sql" classes="$OUT/$1-classes"
  [ -f "$sql" ] || die "no variant $sql"
  cp -r "$OUT/after-src/trace-store/target/classes" "$classes"
  local newest
  newest=$(ls "$classes/db/migration" | sort -V | tail -1)
  cat "$sql" >>"$classes/db/migration/$newest"
  sed "s#^$OUT/after-src/trace-store/target/classes#$classes#" "$OUT/after.cp" >"$OUT/$1.cp"
}
for v in $VARIANTS; do variant "$v"; done
# Parallel GC by default, as storage-svc runs (./cairn up, the container images).
# shellcheck disable=SC2086
bench() { java -Xmx2g ${BENCH_JAVA_OPTS:--XX:+UseParallelGC} -Dlanes="$LANES" -cp "$(cat "$OUT/$1.cp")" "$ROOT/bench/storage-layout/WriterBench.java" "${@:2}"; }

log "exporting the newest $ROWS spans of $BENCH_DB"
java -Xmx2g -cp "$(cat "$OUT/after.cp")" "$ROOT/bench/storage-layout/ExportSpans.java" \
  "$(jdbc "$BENCH_DB")" "$DB_USER" "$DB_PASSWORD" "$ROWS" "$OUT/spans.otlp" 2>>"$OUT/jvm.log"
tail -1 "$OUT/jvm.log" >&2
psql_db postgres -c "drop database if exists $SCRATCH" -c "create database $SCRATCH"

: >"$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  for layout in before after $VARIANTS; do
    line=$(bench "$layout" run "$(jdbc "$SCRATCH")" "$DB_USER" "$DB_PASSWORD" "$OUT/spans.otlp" "$BATCH" 2>>"$OUT/jvm.log") \
      || { tail -20 "$OUT/jvm.log" >&2; die "$layout run failed"; }
    echo "$layout $line load=$(loadavg | cut -d' ' -f1)" >>"$OUT/rounds.txt"
    log "round $round $layout: $line (load $(loadavg))"
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
field() { awk -v l="$1" -v k="$2" '$1 == l { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' "$OUT/rounds.txt"; }
keys="writer_spans_per_s copy_spans_per_s writer_over_copy pg_us_per_span jvm_us_per_span copy_pg_us_per_span bytes_per_span"
{
  echo "medians of $ROUNDS rounds, $ROWS spans, batches of $BATCH"
  printf '%-7s' layout; for k in $keys; do printf ' %s' "$k"; done; echo
  for layout in before after $VARIANTS; do
    printf '%-7s' "$layout"; for k in $keys; do printf ' %s' "$(field "$layout" "$k" | median)"; done; echo
  done
  # ratios within each round, then their median
  echo "per-round ratios before/after (median): pg_us $(paste <(field before pg_us_per_span) <(field after pg_us_per_span) | awk '{print $1/$2}' | median)," \
    "jvm_us $(paste <(field before jvm_us_per_span) <(field after jvm_us_per_span) | awk '{print $1/$2}' | median)," \
    "bytes $(paste <(field before bytes_per_span) <(field after bytes_per_span) | awk '{print $1/$2}' | median)"
} | tee "$OUT/result.txt"
log "results in $OUT"
