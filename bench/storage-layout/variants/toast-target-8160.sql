-- payloads kept in the heap row up to a page instead of TOASTed from ~2 kB rows
ALTER TABLE trace_segments_standard SET (toast_tuple_target = 8160);
ALTER TABLE trace_segments_extended SET (toast_tuple_target = 8160);
