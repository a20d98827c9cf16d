-- GIN entries inserted at once, no pending list
ALTER INDEX trace_segments_standard_terms SET (fastupdate = off);
ALTER INDEX trace_segments_extended_terms SET (fastupdate = off);
ALTER INDEX trace_summaries_standard_services SET (fastupdate = off);
ALTER INDEX trace_summaries_extended_services SET (fastupdate = off);
