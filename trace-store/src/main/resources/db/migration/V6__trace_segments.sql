-- The compact layout (issue 7): one row per trace per written batch (a segment) instead of one row
-- per span. See docs/architecture.md "Storage: compact layout" and docs/RATIONALE.md.
--
-- A segment holds its spans once, as an OTLP TracesData message compressed with zstd in the writer
-- (dev.cairn.store.pg.SegmentCodec), so a span read back equals the one written in every field.
-- Search is answered from the trace summary plus the segment's search terms: 32-bit hashes of
-- "service", "service + operation" and "key = value" of every scalar span and resource attribute
-- (dev.cairn.store.pg.SearchTerms), under one GIN index. A hash only narrows the candidates; the
-- reader decodes the candidate segments and rechecks every criterion on the spans themselves, so a
-- collision never changes an answer.
--
-- Every table here that grows with spans is a hypertable per retention class, so that retention
-- is a chunk drop (dev.cairn.store.StoreTables lists them for the retention job).
--
-- Safe on big databases: this migration only creates new, empty tables (their indexes are built
-- empty, nothing blocks, later chunks inherit them). The V1-V5 tables (spans_*, trace_summaries,
-- resources) are left as they are and no longer written; storage-svc copies their spans into
-- segments (LegacyCopyJob) and retention drops the old span chunks as they expire.

CREATE TABLE trace_segments_standard (
    trace_id          uuid        NOT NULL,
    -- earliest span start of the segment (microseconds, truncated): the partition column
    start_time        timestamptz NOT NULL,
    -- the segment's identity: a hash of its spans' (span id, start) pairs, so that writing the same
    -- spans again hits the key (the writer also drops spans already stored before it encodes)
    segment_id        bigint      NOT NULL,
    span_count        integer     NOT NULL,
    -- bounds of the spans' durations, so that a duration search skips segments without decoding
    min_duration_nano bigint      NOT NULL,
    max_duration_nano bigint      NOT NULL,
    terms             integer[]   NOT NULL,
    payload           bytea       NOT NULL,
    -- also the trace-id lookup index: (trace_id, start_time range) within pruned chunks
    CONSTRAINT trace_segments_standard_key UNIQUE (trace_id, start_time, segment_id)
);
CREATE TABLE trace_segments_extended (LIKE trace_segments_standard INCLUDING DEFAULTS);
ALTER TABLE trace_segments_extended
    ADD CONSTRAINT trace_segments_extended_key UNIQUE (trace_id, start_time, segment_id);

SELECT public.create_hypertable('trace_segments_standard', 'start_time',
                                chunk_time_interval => INTERVAL '1 hour');
SELECT public.create_hypertable('trace_segments_extended', 'start_time',
                                chunk_time_interval => INTERVAL '1 hour');

CREATE INDEX trace_segments_standard_terms ON trace_segments_standard USING gin (terms);
CREATE INDEX trace_segments_extended_terms ON trace_segments_extended USING gin (terms);

-- Segment payloads are compressed already: keep PostgreSQL from trying again (TOAST pglz).
ALTER TABLE trace_segments_standard ALTER COLUMN payload SET STORAGE EXTERNAL;
ALTER TABLE trace_segments_extended ALTER COLUMN payload SET STORAGE EXTERNAL;

CREATE VIEW trace_segments AS
    SELECT 'standard'::text AS retention, * FROM trace_segments_standard
    UNION ALL
    SELECT 'extended'::text AS retention, * FROM trace_segments_extended;

-- One row per trace (per stretch of at most a day, see below), in the class of the trace's first
-- write. partition_time is the earliest span start of that first write and never changes, so an
-- upsert stays in its chunk; every segment the row counts starts within one day of it (the writer
-- merges a batch into a summary only within that window, PgSpanWriter.SUMMARY_WINDOW), so a
-- search on start_unix_nano adds a partition_time bound one day wider and prunes chunks.
-- start_time / last_segment_start bound the start_time of the trace's segments: trace by id reads
-- them here and then fetches only the chunks between them.
CREATE TABLE trace_summaries_standard (
    trace_id             uuid        NOT NULL,
    partition_time       timestamptz NOT NULL,
    start_time           timestamptz NOT NULL,
    last_segment_start   timestamptz NOT NULL,
    start_unix_nano      bigint      NOT NULL,
    end_unix_nano        bigint      NOT NULL,
    root_service_name    text        NOT NULL,
    root_span_name       text        NOT NULL,
    root_is_parentless   boolean     NOT NULL,
    root_start_unix_nano bigint      NOT NULL,
    span_count           integer     NOT NULL,
    error_count          integer     NOT NULL,
    -- spans the sampler published after the trace's decision (Kafka header cairn-late-span)
    late_span_count      integer     NOT NULL,
    services             text[]      NOT NULL,
    CONSTRAINT trace_summaries_standard_key UNIQUE (trace_id, partition_time)
);
CREATE TABLE trace_summaries_extended (LIKE trace_summaries_standard INCLUDING DEFAULTS);
ALTER TABLE trace_summaries_extended
    ADD CONSTRAINT trace_summaries_extended_key UNIQUE (trace_id, partition_time);

SELECT public.create_hypertable('trace_summaries_standard', 'partition_time',
                                chunk_time_interval => INTERVAL '1 day');
SELECT public.create_hypertable('trace_summaries_extended', 'partition_time',
                                chunk_time_interval => INTERVAL '1 day');

-- Search order (start desc, trace id desc) and keyset paging; errors; services.
CREATE INDEX trace_summaries_standard_start
    ON trace_summaries_standard (start_unix_nano DESC, trace_id DESC);
CREATE INDEX trace_summaries_extended_start
    ON trace_summaries_extended (start_unix_nano DESC, trace_id DESC);
CREATE INDEX trace_summaries_standard_errors
    ON trace_summaries_standard (start_unix_nano DESC, trace_id DESC) WHERE error_count > 0;
CREATE INDEX trace_summaries_extended_errors
    ON trace_summaries_extended (start_unix_nano DESC, trace_id DESC) WHERE error_count > 0;
CREATE INDEX trace_summaries_standard_services ON trace_summaries_standard USING gin (services);
CREATE INDEX trace_summaries_extended_services ON trace_summaries_extended USING gin (services);

CREATE VIEW trace_summaries_all AS
    SELECT 'standard'::text AS retention, * FROM trace_summaries_standard
    UNION ALL
    SELECT 'extended'::text AS retention, * FROM trace_summaries_extended;
