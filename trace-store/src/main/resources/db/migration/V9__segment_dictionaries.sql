-- Smaller segments (issue 7): GIN pending lists that stay small. See docs/benchmarks.md section 2.

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
