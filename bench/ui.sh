#!/usr/bin/env bash
# Web UI: time to first waterfall of a 1,000-span trace in headless Chromium, from navigation start
# to the page's performance marks (rows in the DOM; after the frame that paints them), median over
# RUNS fresh page loads. query-svc runs as a @QuarkusTest (WaterfallFirstDrawBench) over the test
# database's IT schema, where the trace is written through PgSpanWriter; Chromium and chromedriver
# come from Debian (scripts/infra.sh up).
# Env: RUNS (9), SPANS (1000).
source "$(dirname "$0")/lib.sh"
RUNS="${RUNS:-9}" SPANS="${SPANS:-1000}"
log "building query-svc and running WaterfallFirstDrawBench ($RUNS runs, $SPANS spans); load $(loadavg)"
( cd "$ROOT" && mvn -B -o -q -pl query-svc -am verify -Dtest=WaterfallFirstDrawBench \
    -Dsurefire.failIfNoSpecifiedTests=false -Dcairn.bench.runs="$RUNS" -Dcairn.bench.spans="$SPANS" \
    -Dcairn.bench.out="$OUT/results.txt" >"$OUT/mvn.log" 2>&1 ) || { tail -40 "$OUT/mvn.log" >&2; die "benchmark failed"; }
echo "load average after: $(loadavg)" >>"$OUT/results.txt"
cat "$OUT/results.txt"
