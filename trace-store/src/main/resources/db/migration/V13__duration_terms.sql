-- Duration terms (issue 7, duration search; docs/architecture.md, "Reads"): from this version the
-- writer adds to a segment's terms, for each span, its service with every duration threshold the
-- span reaches (dev.cairn.store.pg.DurationThresholds: 100 ms, 300 ms, 1 s, 3 s, 10 s, 30 s), so
-- that a search for a service's slow spans asks the GIN index for the segments where the service
-- was that slow instead of reading every segment of the service and rejecting most of them by
-- max_duration_nano in the heap.
--
-- Segments written before have no such terms, and asking for them there would miss matches. A
-- search asks for them only of segments that start at or after `since` below and reads older ones
-- the old way. `since` is when this migration runs plus two hours: an older writer of a rolling
-- upgrade must be stopped within the first hour, and a span starts at most an hour after it is
-- written (the collector's default cairn.collector.ingest.max-future-skew; who raises it must move
-- `since` later by as much). A database with no segment yet has no older segments: `since` is then
-- -infinity. Going back to an older storage-svc breaks the rule: move `since` past the time the
-- newer one runs again. Readers read `since` again every minute.
--
-- Safe on big tables: one row in a small table; the segments are only probed for one row each.
INSERT INTO search_catalogs (catalog, since)
    SELECT 'duration_terms',
           CASE WHEN EXISTS (SELECT 1 FROM trace_segments_standard)
                  OR EXISTS (SELECT 1 FROM trace_segments_extended)
                THEN now() + interval '2 hours'
                ELSE '-infinity' END;
