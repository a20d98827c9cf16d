#!/usr/bin/env bash
# Bytes per span before and after warm compaction (WarmCompactionJob's SegmentCompaction), same
# spans, same run: the newest TRACES (2000) traces of the benchmark database's standard segments
# (bench/pipeline.sh made them), written through this checkout's PgSpanWriter into a fresh schema
# with each trace split into PARTS batches (its spans dealt round-robin: a trace whose spans reach
# storage in PARTS records), then every chunk compacted. Sizes before, after compaction with a plain
# VACUUM (as autovacuum leaves it) and after VACUUM FULL of the
# segment chunks, so that both sides are compact on disk (see docs/benchmarks.md for why this
# matters). Env: TRACES, PARTS_LIST ("1 2 4 8"), ROUNDS (3).
source "$(dirname "$0")/lib.sh"
TRACES="${TRACES:-2000}" PARTS_LIST="${PARTS_LIST:-1 2 4 8}" ROUNDS="${ROUNDS:-3}"
ensure_bench_db
log "building trace-store of this checkout"
mvn -B -o -q -f "$ROOT/pom.xml" -pl trace-store -am -DskipTests -Dspotless.check.skip=true \
  package dependency:build-classpath -Dmdep.outputFile="$OUT/deps" >"$OUT/build.log" 2>&1 \
  || { tail -20 "$OUT/build.log" >&2; die "build failed"; }
CP="$ROOT/trace-store/target/classes:$ROOT/trace-model/target/classes:$(cat "$OUT/deps")"
for round in $(seq 1 "$ROUNDS"); do
  for parts in $PARTS_LIST; do
    line=$(java -Xmx2g -cp "$CP" "$ROOT/bench/warm-compaction/CompactionBench.java" \
      "jdbc:postgresql://$DB_HOST:$DB_PORT/$BENCH_DB" "$DB_USER" "$DB_PASSWORD" "$TRACES" "$parts" 2>>"$OUT/jvm.log") \
      || { tail -20 "$OUT/jvm.log" >&2; die "run failed"; }
    echo "$line load=$(loadavg | cut -d' ' -f1)" | tee -a "$OUT/rounds.txt"
  done
done
log "results in $OUT/rounds.txt"
