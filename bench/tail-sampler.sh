#!/usr/bin/env bash
# Tail sampling's own cost, in one JVM: records as the collector writes them (one per service of a
# trace, interleaved) through sampler-svc's TailSampler with the default policies, time moved by
# hand so that ~BUFFERED spans wait for their decision (as at a steady rate with a 10 s decision
# wait). Reports spans per CPU-second of the sampling thread, and heap bytes per buffered span next
# to the record (wire) bytes per span. No Kafka: the transaction and client costs are the pipeline
# benchmark's (bench/pipeline.sh, BASE_RATE=0.01). Env: TRACES (20000), ROUNDS (5), BASE_RATE
# (0.01), BUFFERED (200000), JAVA_OPTS (-Xmx1g, as ./cairn up).
source "$(dirname "$0")/lib.sh"
TRACES="${TRACES:-20000}" ROUNDS="${ROUNDS:-5}" BASE_RATE="${BASE_RATE:-0.01}" BUFFERED="${BUFFERED:-200000}"
JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"

log "compiling sampler-svc's test classes"
(cd "$ROOT" && mvn -B -q -o -pl sampler-svc -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" >"$OUT/build.log" 2>&1) \
  || { tail -30 "$OUT/build.log" >&2; die "build failed"; }
CP="$(cat "$OUT/classpath.txt"):$ROOT/sampler-svc/target/classes:$ROOT/sampler-svc/target/test-classes"

log "load average before: $(loadavg)"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$CP" dev.cairn.sampler.bench.TailSamplerBenchmark "$TRACES" "$ROUNDS" "$BASE_RATE" "$BUFFERED" \
  | tee "$OUT/rounds.txt"
{ cat "$OUT/rounds.txt"; echo "load average after: $(loadavg)"; } >"$OUT/summary.txt"
log "summary in $OUT/summary.txt"
