#!/usr/bin/env bash
# The database's write cost and disk per span for two layouts of the same rows, in one run:
#   inline: the resource document and its attributes (in tags) on every span (migration V1);
#   once:   the resource stored once, spans refer to it by resource_id (V2, what the writer does).
# Input: ROWS (40000) spans of the benchmark database (bench/pipeline.sh or bench/fill.sh made
# them), rebuilt into both layouts. Each round, for each layout: COPY the text rows into an
# unlogged staging table (text -> jsonb parsing), then INSERT ... SELECT them into a fresh
# hypertable with that layout's indexes, in 4 batches. Prints per-round µs/span and the medians.
# Runs in a scratch database of its own (dropped at the end). Env: ROWS (40000), ROUNDS (5).
source "$(dirname "$0")/lib.sh"
ROWS="${ROWS:-40000}" ROUNDS="${ROUNDS:-5}"
SCRATCH="${BENCH_DB}_layout"
ensure_bench_db
have=$(psql_bench -c "select count(*) from (select 1 from spans_standard limit $ROWS) s")
[ "$have" -ge "$ROWS" ] || die "$BENCH_DB holds $have spans, fewer than $ROWS: run bench/pipeline.sh first"

psql_db() { PGPASSWORD="$DB_PASSWORD" psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$1" -v ON_ERROR_STOP=1 -Atq "${@:2}"; }
psql_scratch() { psql_db "$SCRATCH" "$@"; }
trap 'psql_db postgres -c "drop database if exists $SCRATCH" >/dev/null 2>&1 || true' EXIT

COMMON="trace_id, span_id, parent_span_id, start_time, start_unix_nano, end_unix_nano, duration_nano,
  service_name, name, kind, status_code, status_message, trace_state, flags, attributes,
  dropped_attributes_count, events, dropped_events_count, links, dropped_links_count"
COMMON_DDL="trace_id uuid not null, span_id bigint not null, parent_span_id bigint,
  start_time timestamptz not null, start_unix_nano bigint not null, end_unix_nano bigint not null,
  duration_nano bigint not null, service_name text not null, name text not null, kind smallint not null,
  status_code smallint not null, status_message text not null, trace_state text not null,
  flags integer not null, attributes jsonb not null, dropped_attributes_count integer not null,
  events jsonb not null, dropped_events_count integer not null, links jsonb not null,
  dropped_links_count integer not null"
INLINE_DDL="$COMMON_DDL, resource jsonb not null, scope jsonb not null, tags jsonb not null"
ONCE_DDL="$COMMON_DDL, resource_id uuid not null, scope jsonb not null, tags jsonb not null"

log "exporting $ROWS spans of $BENCH_DB in both layouts"
# Rows of either shape (inline, or by id) become both: full tags = resource tags || span tags.
SOURCE="select s.*, coalesce(r.resource, s.resource) as doc, coalesce(r.tags, '{}') || s.tags as full_tags,
    coalesce(s.resource_id, md5(coalesce(r.resource, s.resource)::text)::uuid) as rid
  from spans_standard s left join resources r on r.resource_id = s.resource_id
  where s.start_time > (select max(start_time) - interval '2 hours' from spans_standard)
  limit $ROWS"
psql_bench -c "\\copy (select $COMMON, doc, scope, full_tags from ($SOURCE) x) to '$OUT/inline.copy'"
psql_bench -c "\\copy (select $COMMON, rid, scope, tags - array(select jsonb_array_elements(doc->'a')->>'k')
  from ($SOURCE) x) to '$OUT/once.copy'"
resources=$(psql_bench -c "select count(distinct rid) from ($SOURCE) x")
log "$(du -h "$OUT/inline.copy" | cut -f1) inline, $(du -h "$OUT/once.copy" | cut -f1) once; $resources distinct resources"

psql_db postgres -c "drop database if exists $SCRATCH" -c "create database $SCRATCH"
psql_scratch -c "create extension if not exists timescaledb" >/dev/null

micros() { echo $(( ($(date +%s%N) - $1) / 1000 )); }
# run LAYOUT: prints "copy_us_per_span insert_us_per_span bytes_per_span"
run() {
  local layout="$1" ddl idx t0 copy_us insert_us=0 b
  if [ "$layout" = inline ]; then ddl="$INLINE_DDL"; idx=""; else ddl="$ONCE_DDL"
    idx="; create index on t (resource_id, start_time desc)"; fi
  psql_scratch -c "drop table if exists staging; drop table if exists t" \
    -c "create unlogged table staging ($ddl, n serial)" \
    -c "create table t ($ddl, unique (trace_id, span_id, start_time))" \
    -c "select create_hypertable('t', 'start_time', chunk_time_interval => interval '1 hour')" \
    -c "create index on t (service_name, name, start_time desc); create index on t using gin (tags jsonb_path_ops) $idx" >/dev/null
  t0=$(date +%s%N)
  psql_scratch -c "\\copy staging (${COMMON//$'\n'/}, $( [ "$layout" = inline ] && echo resource || echo resource_id), scope, tags) from '$OUT/$layout.copy'"
  copy_us=$(micros "$t0")
  psql_scratch -c "vacuum analyze staging"
  for b in 0 1 2 3; do
    t0=$(date +%s%N)
    psql_scratch -c "insert into t select $COMMON, $( [ "$layout" = inline ] && echo resource || echo resource_id), scope, tags from staging where n % 4 = $b"
    insert_us=$((insert_us + $(micros "$t0")))
  done
  bytes=$(psql_scratch -c "select hypertable_size('t')")
  echo "$((copy_us / ROWS)) $((insert_us / ROWS)) $((bytes / ROWS))"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
: >"$OUT/rounds.txt"
for round in $(seq 1 "$ROUNDS"); do
  for layout in inline once; do
    read -r c i b < <(run "$layout")
    echo "$layout $c $i $b" >>"$OUT/rounds.txt"
    log "round $round $layout: copy $c µs/span, insert $i µs/span, $b bytes/span on disk (load $(loadavg))"
  done
done
echo "layout copy_us insert_us total_us bytes_per_span (medians of $ROUNDS rounds, $ROWS spans)" | tee "$OUT/result.txt"
for layout in inline once; do
  c=$(awk -v l="$layout" '$1 == l {print $2}' "$OUT/rounds.txt" | median)
  i=$(awk -v l="$layout" '$1 == l {print $3}' "$OUT/rounds.txt" | median)
  t=$(awk -v l="$layout" '$1 == l {print $2 + $3}' "$OUT/rounds.txt" | median)
  b=$(awk -v l="$layout" '$1 == l {print $4}' "$OUT/rounds.txt" | median)
  echo "$layout $c $i $t $b" | tee -a "$OUT/result.txt"
done
log "results in $OUT"
