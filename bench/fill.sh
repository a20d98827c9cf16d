#!/usr/bin/env bash
# Brings database cairn_bench to >= TARGET stored spans (default 5,000,000) for the query
# benchmark. The spans come from the pipeline (bench/pipeline.sh runs; when the database holds
# fewer than 100,000 spans this script first runs one itself); the rest is made by copying those
# traces inside PostgreSQL under new trace ids (md5 of the old id and the copy number) and shifted
# back in time by a multiple of the base data's time span, so every copy lands in chunks of its own
# and the table, its indexes and trace_summaries grow exactly as with more traffic of the same kind.
# This is a bulk load, not a pipeline measurement: the pipeline is far slower than 5 M spans in
# the time available (see docs/benchmarks.md). Env: TARGET (5000000), PARALLEL (2), BASE_MIN
# (100000: fewer pipeline-written spans than this and a pipeline run comes first).
source "$(dirname "$0")/lib.sh"
TARGET="${TARGET:-5000000}" PARALLEL="${PARALLEL:-2}" BASE_MIN="${BASE_MIN:-100000}"
ensure_bench_db
count() { psql_bench -c "select count(*) from spans_standard" 2>/dev/null || echo 0; }
if [ "$(count)" -lt "$BASE_MIN" ]; then
  log "fewer than $BASE_MIN spans in $BENCH_DB: one pipeline run first"
  RATES=4000 STEP=60s REPEATS=1 "$ROOT/bench/pipeline.sh"
fi
have=$(count)
[ "$have" -ge "$TARGET" ] && { log "$BENCH_DB already holds $have spans"; exit 0; }
psql_bench -c "create table if not exists bench_copies (trace_id uuid primary key, k integer not null)"
# the base: traces that came through the pipeline (not made by an earlier copy)
read -r base_min base_max base_spans < <(psql_bench -F ' ' -c "
  select extract(epoch from min(t.start_time))::bigint, extract(epoch from max(t.last_span_start))::bigint + 60,
         sum(t.span_count)
  from trace_summaries t where not exists (select 1 from bench_copies c where c.trace_id = t.trace_id)")
shift_s=$((base_max - base_min))
copies=$(( (TARGET - have + base_spans - 1) / base_spans ))
first=$(( $(psql_bench -c "select coalesce(max(k), 0) from bench_copies") + 1 ))
log "base: $base_spans spans over $shift_s s; $copies copies of it to reach $TARGET (have $have)"
copy() {
  local k="$1" off_s=$(( $1 * shift_s ))
  psql_bench <<SQL
begin;
create temp table base_ids as
  select trace_id as old_id, md5(trace_id::text || ':$k')::uuid as new_id
  from trace_summaries t
  where not exists (select 1 from bench_copies c where c.trace_id = t.trace_id);
insert into spans_standard (trace_id, span_id, parent_span_id, start_time, start_unix_nano, end_unix_nano,
    duration_nano, service_name, name, kind, status_code, status_message, trace_state, flags, attributes,
    dropped_attributes_count, events, dropped_events_count, links, dropped_links_count, resource, resource_id, scope, tags)
  select b.new_id, s.span_id, s.parent_span_id, s.start_time - interval '$off_s seconds',
    s.start_unix_nano - $off_s::bigint * 1000000000, s.end_unix_nano - $off_s::bigint * 1000000000,
    s.duration_nano, s.service_name, s.name, s.kind, s.status_code, s.status_message, s.trace_state, s.flags,
    s.attributes, s.dropped_attributes_count, s.events, s.dropped_events_count, s.links, s.dropped_links_count,
    s.resource, s.resource_id, s.scope, s.tags
  from spans_standard s join base_ids b on s.trace_id = b.old_id
  where s.start_time >= to_timestamp($base_min) - interval '1 hour'
  on conflict do nothing;
insert into trace_summaries (trace_id, start_time, last_span_start, start_unix_nano, end_unix_nano,
    root_service_name, root_span_name, root_is_parentless, root_start_unix_nano, span_count, error_count, services)
  select b.new_id, t.start_time - interval '$off_s seconds', t.last_span_start - interval '$off_s seconds',
    t.start_unix_nano - $off_s::bigint * 1000000000, t.end_unix_nano - $off_s::bigint * 1000000000,
    t.root_service_name, t.root_span_name, t.root_is_parentless, t.root_start_unix_nano - $off_s::bigint * 1000000000,
    t.span_count, t.error_count, t.services
  from trace_summaries t join base_ids b on t.trace_id = b.old_id
  on conflict do nothing;
insert into bench_copies select new_id, $k from base_ids on conflict do nothing;
commit;
SQL
}
t0=$SECONDS
running=0
for k in $(seq "$first" $((first + copies - 1))); do
  copy "$k" &
  PIDS+=("$!")
  running=$((running + 1))
  if [ "$running" -ge "$PARALLEL" ]; then wait -n; running=$((running - 1)); fi
done
wait
psql_bench -c "analyze spans_standard; analyze trace_summaries"
log "copied in $((SECONDS - t0)) s; $BENCH_DB now holds $(count) spans in $(psql_bench -c 'select count(*) from trace_summaries') traces"
