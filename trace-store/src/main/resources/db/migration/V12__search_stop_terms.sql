-- Stop terms (issue 7, bytes per span; docs/architecture.md, "Stop terms"): the search terms that
-- are in so many segments that indexing them buys a search nothing. On one hourly chunk at 50 M
-- spans, 295 terms were each in more than a fifth of the segments and made up 47.5 % of all term
-- entries (resource attributes every span of a process carries, http.method=GET, ...); leaving
-- them out took the terms array from 35.2 to 18.9 B/span and the GIN index from 30.8 to 18.9.
--
-- One list per store, trained once by the first writer that has counted enough segments
-- (dev.cairn.store.pg.StopTermTraining) and never changed: segments written without a term can
-- only be found by a search that no longer requires it. Readers drop every listed term from the
-- terms a search requires (the recheck on decoded spans still tests it) and reload the list every
-- minute; writers leave the terms out only from `effective_at`, the grace period after it was
-- stored, so that no reader still running on an older view of this table can miss a segment.
--
-- A single small row: no retention. Safe on big tables: a new table, nothing else is touched.
CREATE TABLE search_stop_terms (
    list_id          smallint    PRIMARY KEY CHECK (list_id = 1),
    terms            integer[]   NOT NULL,
    segments_counted integer     NOT NULL,
    stored_at        timestamptz NOT NULL DEFAULT clock_timestamp(),
    effective_at     timestamptz NOT NULL
);
