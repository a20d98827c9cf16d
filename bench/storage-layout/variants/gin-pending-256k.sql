-- GIN pending lists of 256 kB instead of V9's 64 kB
ALTER INDEX trace_segments_standard_terms SET (gin_pending_list_limit = 256);
ALTER INDEX trace_segments_extended_terms SET (gin_pending_list_limit = 256);
ALTER INDEX trace_summaries_standard_services SET (gin_pending_list_limit = 256);
ALTER INDEX trace_summaries_extended_services SET (gin_pending_list_limit = 256);
