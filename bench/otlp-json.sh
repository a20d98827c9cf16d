#!/usr/bin/env bash
# Printing one large trace as OTLP/JSON, in one JVM: the JsonFormat-based printer that
# OtlpJsonWriter replaced (test-scope JsonFormatReference) against OtlpJson.print to a String,
# printUtf8 to bytes and print to an OutputStream, interleaved in every round; plus the mapping
# from model spans to TracesData for scale. No services, Kafka or database: trace-model's test
# classes only. Env: SPANS (50000), WARMUPS (3), ROUNDS (7), JAVA_OPTS (-Xmx1g, as ./cairn up).
source "$(dirname "$0")/lib.sh"
SPANS="${SPANS:-50000}" WARMUPS="${WARMUPS:-3}" ROUNDS="${ROUNDS:-7}" JAVA_OPTS="${JAVA_OPTS:--Xmx1g}"

log "compiling trace-model's test classes"
(cd "$ROOT" && mvn -B -q -pl trace-model test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" >"$OUT/build.log" 2>&1) \
  || { tail -30 "$OUT/build.log" >&2; die "build failed"; }
CP="$(cat "$OUT/classpath.txt"):$ROOT/trace-model/target/classes:$ROOT/trace-model/target/test-classes"

log "load average before: $(loadavg)"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$CP" dev.cairn.model.otlp.OtlpJsonPrintBenchmark "$SPANS" "$WARMUPS" "$ROUNDS" \
  | tee "$OUT/rounds.txt"
{ sed -n '/^median/,$p' "$OUT/rounds.txt"; echo "load average after: $(loadavg)"; } >"$OUT/summary.txt"
log "summary in $OUT/summary.txt"
