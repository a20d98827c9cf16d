#!/usr/bin/env bash
# Federation: latency of search (limit 20) and trace by id through region a of two query-svc
# regions (each a process over its own schema in the test database, each the other's peer),
# federated against a alone (cairn-federation: local) on the same processes, the kinds interleaved
# in every round, medians over RUNS rounds (FederationBench in e2e). Both regions run on this one
# machine, so the figures show the cost of the fan-out and merge, not a WAN's latency.
# Env: RUNS (31), TRACES per region (500).
source "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-31}" TRACES="${TRACES:-500}"
log "building and running FederationBench ($RUNS rounds, $TRACES traces per region); load $(loadavg)"
( cd "$ROOT" && mvn -B -o -q -pl e2e -am verify -Dtest=FederationBench \
    -Dsurefire.failIfNoSpecifiedTests=false -Dcairn.bench.runs="$RUNS" -Dcairn.bench.traces="$TRACES" \
    -Dcairn.bench.out="$OUT/results.txt" >"$OUT/mvn.log" 2>&1 ) || { tail -40 "$OUT/mvn.log" >&2; die "benchmark failed"; }
echo "load average after: $(loadavg)" >>"$OUT/results.txt"
cat "$OUT/results.txt"
