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
-- reused after that. On the benchmark's 40,000 spans that list was 80 % of the terms index
-- (5.1 MB; built compactly 0.8 MB). 256 kB merges as cheaply per entry (same insert time,
-- measured) and bounds what each chunk's index carries. New chunks inherit these from the
-- hypertable's index; chunks that exist keep the default (altering them would lock them).
ALTER INDEX trace_segments_standard_terms SET (gin_pending_list_limit = 256);
ALTER INDEX trace_segments_extended_terms SET (gin_pending_list_limit = 256);
ALTER INDEX trace_summaries_standard_services SET (gin_pending_list_limit = 256);
ALTER INDEX trace_summaries_extended_services SET (gin_pending_list_limit = 256);
