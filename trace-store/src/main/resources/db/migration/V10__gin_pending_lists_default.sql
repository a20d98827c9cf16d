-- GIN pending lists back to PostgreSQL's default (4 MB) for new chunks (issue 7; see
-- docs/benchmarks.md section 8, "Keep-all at up to 20,000 spans/s on V9").
--
-- V9 set them to 64 kB, which saved bytes on the 40,000-span layout bench, where one chunk's
-- unmerged 4 MB list is a large share of the index. In the pipeline it cost throughput: the
-- insert that fills a pending list merges it into the index inside the writer's own
-- transaction, and with 64 kB lists that happens on nearly every batch. At 20,000 spans/s a
-- storage batch took 530-650 ms instead of 220 ms, and storage ended each 30 s step 1,700-3,900
-- records behind. With 4 MB lists on the same database the batches were 255 ms and the lag 0,
-- as on V6. At the rates this layout is for, the list is a fixed 4 MB per chunk index against
-- tens of millions of spans per chunk, a fraction of a byte per span.
--
-- New chunks inherit the setting from the hypertable's index. Chunks that exist keep theirs:
-- altering them would lock them, and a 64 kB list is only slower, not wrong.
ALTER INDEX trace_segments_standard_terms RESET (gin_pending_list_limit);
ALTER INDEX trace_segments_extended_terms RESET (gin_pending_list_limit);
ALTER INDEX trace_summaries_standard_services RESET (gin_pending_list_limit);
ALTER INDEX trace_summaries_extended_services RESET (gin_pending_list_limit);
