#!/usr/bin/env bash
# Fills the term-day catalog (migration V11, search_term_days) of a database whose segments were
# written before it, day by day, and then moves the catalog's start (search_catalogs.since) to the
# first day filled, so that searches over those days are answered from it too. Run it while no
# writer of a version before V11 is running. Idempotent (ON CONFLICT DO NOTHING); each day is one
# statement, reading that day's segment chunks once. Env: CAIRN_BENCH_DB (cairn_bulk).
export CAIRN_BENCH_DB="${CAIRN_BENCH_DB:-cairn_bulk}"
source "$(dirname "$0")/lib.sh"

read -r first since < <(psql_bench -F ' ' -c "select date_trunc('day', min(start_time), 'UTC')::date,
    (select since from search_catalogs where catalog = 'term_days')::date from trace_segments")
[ -n "$first" ] || die "$BENCH_DB holds no segments"
[ -n "$since" ] || die "$BENCH_DB has no term-day catalog: start storage-svc (or a bulk load) once to migrate it to V11"
if [ "$since" = "-infinity" ] || [ "$(date -u -d "$since" +%s)" -le "$(date -u -d "$first" +%s)" ]; then
  log "$BENCH_DB: the catalog already covers every segment (from $since)"; exit 0
fi
log "$BENCH_DB: segments from $first, catalog from $since"
day="$first"
while [ "$(date -u -d "$day" +%s)" -lt "$(date -u -d "$since" +%s)" ]; do
  started=$(date +%s)
  psql_bench -c "insert into search_term_days (term, seen_day)
      select distinct term, timestamptz '$day 00:00:00+00' from trace_segments, unnest(terms) term
      where start_time >= timestamptz '$day 00:00:00+00'
        and start_time < timestamptz '$day 00:00:00+00' + interval '1 day'
      on conflict do nothing" >/dev/null
  log "$day: $(psql_bench -c "select count(*) from search_term_days where seen_day = timestamptz '$day 00:00:00+00'") term days in $(( $(date +%s) - started )) s"
  day=$(date -u -d "$day + 1 day" +%F)
done
psql_bench -c "update search_catalogs set since = least(since, timestamptz '$first 00:00:00+00')
    where catalog = 'term_days'" >/dev/null
log "catalog now from $(psql_bench -c "select since from search_catalogs where catalog = 'term_days'")"
