#!/usr/bin/env bash
# The fault suite of `./cairn test` (e2e FaultToleranceE2E), longer and under more load: while the
# load generator sends at RATE spans/s (one OTLP/gRPC and one OTLP/HTTP connection, every
# acknowledged trace id logged), each of kill -9 collector, sampler, storage, query, kill -9 Kafka
# and `pg_ctl stop -m immediate` strikes ROUNDS times, stays down DOWN s and is brought back
# (services restarted, Kafka and PostgreSQL by `scripts/infra.sh up`). Then every acknowledged
# trace must be in the database with all its spans and none twice (SQL: rows vs distinct spans vs
# the trace summary), and REST_PER_FAULT of them per fault are read back over GET /api/v1/traces/{id}.
# The per-fault table (acknowledged vs stored traces and spans) is $OUT/summary.txt.
#
# CAUTION: this crashes the Kafka broker and PostgreSQL cluster of this checkout's .cairn/ (when
# the pipeline uses them: CAIRN_KAFKA_BOOTSTRAP / CAIRN_DB_PORT must point at them, otherwise
# those faults are skipped) and brings them back. Anyone else using them sees the outages.
# Env: ROUNDS (2), RATE (2000), LEAD (8), DOWN (10), TAIL (4), REST_PER_FAULT (300), DRAIN (300).
source "$(dirname "$0")/lib.sh"
ROUNDS="${ROUNDS:-2}" RATE="${RATE:-2000}" LEAD="${LEAD:-8}" DOWN="${DOWN:-10}" TAIL="${TAIL:-4}"
REST_PER_FAULT="${REST_PER_FAULT:-300}" DRAIN="${DRAIN:-300}"
ensure_bench_db

log "fault suite: $ROUNDS round(s) at $RATE spans/s, lead ${LEAD}s, down ${DOWN}s, tail ${TAIL}s (build + run, log: $OUT/mvn.log)"
load0="$(loadavg)" t0=$SECONDS rc=0
# -am: the suite runs the services' packaged jars and the load generator of this checkout
(cd "$ROOT" && CAIRN_FAULTS_ROUNDS="$ROUNDS" CAIRN_FAULTS_RATE="$RATE" CAIRN_FAULTS_LEAD_S="$LEAD" \
  CAIRN_FAULTS_DOWN_S="$DOWN" CAIRN_FAULTS_TAIL_S="$TAIL" CAIRN_FAULTS_REST_PER_FAULT="$REST_PER_FAULT" \
  CAIRN_FAULTS_DRAIN_S="$DRAIN" CAIRN_FAULTS_OUT="$OUT" CAIRN_E2E_DB="$BENCH_DB" CAIRN_KAFKA_BOOTSTRAP="$KAFKA" \
  mvn -B -o -pl e2e -am verify -Dtest=FaultToleranceE2E -Dsurefire.failIfNoSpecifiedTests=false) \
  >"$OUT/mvn.log" 2>&1 || rc=$?
[ -s "$OUT/summary.txt" ] || { grep -E 'Tests run|FAIL|ERROR' "$OUT/mvn.log" | tail -20 >&2; die "no summary (mvn exit $rc)"; }
{
  cat "$OUT/summary.txt"
  grep -E '^\[(WARNING|ERROR)\] Tests run:.*FaultToleranceE2E|Assumption failed' "$OUT/mvn.log" | sed 's/^/  /' || true
  echo "columns: req_fail = export requests that failed (not acknowledged); ack_tr/ack_sp = traces/spans acknowledged in the window;"
  echo "  stor_tr/stor_sp = of those, stored whole / spans stored; miss_sp = acknowledged spans not stored; dup_rows = span rows stored twice;"
  echo "  sum_off = traces whose summary span count differs from their rows; rest_rd/rest_bad = traces read over REST / incomplete there;"
  echo "  partial = traces of requests answered with partial_success (not judged for completeness)"
  echo "mvn exit $rc; $(( SECONDS - t0 )) s including the build; load avg before $load0, after $(loadavg); cores $(nproc)"
} | tee "$OUT/summary.full.txt"
exit "$rc"
