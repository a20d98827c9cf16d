-- Smaller segments (issue 7): zstd dictionaries for segment payloads, and GIN pending lists that
-- stay small. See docs/architecture.md "Storage: compact layout" and docs/benchmarks.md section 2.
--
-- A segment payload compressed with a dictionary names it in its zstd frame header (the
-- dictionary id, which zstd's trainer derives from the dictionary's content); payloads written
-- before (V6) name none and decode as they are. The writer trains one dictionary on its first
-- segments (dev.cairn.store.pg.DictionaryTraining) and stores it here in the transaction of the
-- first batch that uses it, so that every committed payload's dictionary is stored. A few 64 kB
-- rows per deployment, never deleted: segments of any age may name them.
CREATE TABLE segment_dictionaries (
    dictionary_id integer     PRIMARY KEY,
    created_at    timestamptz NOT NULL DEFAULT now(),
    dictionary    bytea       NOT NULL
);

-- GIN's fast update appends new entries to a pending list, uncompressed, until it holds
-- gin_pending_list_limit (4 MB by default) and is merged into the index; its pages are only
-- reused after that, and every search scans the whole list. On the layout bench's 40,000 spans
-- (docs/benchmarks.md section 2, same run): 4 MB 325 B/span; 256 kB 231; 64 kB (the least
-- PostgreSQL allows) 160 with the dictionary, against 172 at 256 kB, for +3 us of PostgreSQL CPU
-- per span; fastupdate off 149, but 4x the CPU (24 us per span). New chunks inherit the setting
-- from the hypertable's index; chunks that exist keep theirs (altering them would lock them).
ALTER INDEX trace_segments_standard_terms SET (gin_pending_list_limit = 64);
ALTER INDEX trace_segments_extended_terms SET (gin_pending_list_limit = 64);
ALTER INDEX trace_summaries_standard_services SET (gin_pending_list_limit = 64);
ALTER INDEX trace_summaries_extended_services SET (gin_pending_list_limit = 64);

-- TimescaleDB's default time indexes serve no statement: every read and the writer's probes look
-- segments and summaries up by trace id (the unique keys, which lead with it) within time bounds
-- that chunk exclusion applies, and searches order summaries by their start index. Dropped: 6 B
-- per span on the layout bench (160 -> 154), no change in PostgreSQL CPU per span. New chunks
-- get no such index; those that exist lose it with the hypertable's.
DROP INDEX trace_segments_standard_start_time_idx;
DROP INDEX trace_segments_extended_start_time_idx;
DROP INDEX trace_summaries_standard_partition_time_idx;
DROP INDEX trace_summaries_extended_partition_time_idx;
