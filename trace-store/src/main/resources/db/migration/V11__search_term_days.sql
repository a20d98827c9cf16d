-- The days each search term occurs on (issue 7; docs/architecture.md, "Reads"): one row per term
-- per UTC day of the start of a segment holding it (dev.cairn.store.pg.TermDayCache), written in
-- the segment's transaction. A search first asks which days of its window hold every term it
-- requires; a search none does is answered without reading a segment, and one that some days do
-- reads only the segments between the first and the last of them. Before, an empty search cost a
-- GIN lookup in every segment chunk of its window (338 at 50 M spans over 7 days).
--
-- Segments written before this version have no rows here, so a day before `since` is taken to
-- hold every term. `since` is the first UTC day that starts at least two hours after this
-- migration runs: an older writer of a rolling upgrade must be stopped within the first hour, and a
-- span starts at most an hour after it is written (the collector's default
-- cairn.collector.ingest.max-future-skew; who raises it must move `since` later by as much). A
-- database with no segment yet has nothing older: `since` is then -infinity. Going back to an older
-- storage-svc breaks the rule: set `since` past the time the newer one runs again.
--
-- Retention: a catalog tier (dropped by chunk with the operations, a day after the longest span
-- tier). Safe on big tables: a new table; the segments are only probed for one row each class.
CREATE TABLE search_term_days (
    term     integer     NOT NULL,
    seen_day timestamptz NOT NULL,
    CONSTRAINT search_term_days_key UNIQUE (term, seen_day)
);
SELECT public.create_hypertable('search_term_days', 'seen_day',
                                chunk_time_interval => INTERVAL '1 day');

CREATE TABLE search_catalogs (
    catalog text        PRIMARY KEY,
    since   timestamptz NOT NULL
);

INSERT INTO search_catalogs (catalog, since)
    SELECT 'term_days',
           CASE WHEN EXISTS (SELECT 1 FROM trace_segments_standard)
                  OR EXISTS (SELECT 1 FROM trace_segments_extended)
                THEN date_trunc('day', (now() + interval '2 hours') AT TIME ZONE 'UTC')
                         AT TIME ZONE 'UTC' + interval '1 day'
                ELSE '-infinity' END;
