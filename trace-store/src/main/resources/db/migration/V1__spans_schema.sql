-- Cairn trace store schema (TimescaleDB). See docs/architecture.md "Storage".
--
-- The extension lives in schema public so that a test run can migrate into a schema of its own
-- (Flyway "schemas") and drop it afterwards without dropping the extension for everyone else.
CREATE EXTENSION IF NOT EXISTS timescaledb WITH SCHEMA public;

-- One hypertable per retention class, so that retention is a chunk drop, never a DELETE.
-- Every OTLP field of a span is kept, so that a span read back equals the one written:
--   * ids: trace id as uuid (16 bytes, byte-order comparison), span ids as bigint (8 bytes);
--   * times: exact nanoseconds as bigint; start_time (timestamptz, microseconds, truncated) is
--     the partition column only;
--   * attributes, events, links, resource, scope: jsonb documents whose values carry their OTLP
--     type (see dev.cairn.store.pg.AttributeJson), so int 500 and string "500" stay distinct;
--   * tags: a flat jsonb object key -> value-as-text of the span's and its resource's scalar
--     attributes, only for tag search (tag=http.status_code:500 finds the int 500).
CREATE TABLE spans_standard (
    trace_id                 uuid        NOT NULL,
    span_id                  bigint      NOT NULL,
    parent_span_id           bigint,
    start_time               timestamptz NOT NULL,
    start_unix_nano          bigint      NOT NULL,
    end_unix_nano            bigint      NOT NULL,
    duration_nano            bigint      NOT NULL,
    service_name             text        NOT NULL,
    name                     text        NOT NULL,
    kind                     smallint    NOT NULL,
    status_code              smallint    NOT NULL,
    status_message           text        NOT NULL,
    trace_state              text        NOT NULL,
    flags                    integer     NOT NULL,
    attributes               jsonb       NOT NULL,
    dropped_attributes_count integer     NOT NULL,
    events                   jsonb       NOT NULL,
    dropped_events_count     integer     NOT NULL,
    links                    jsonb       NOT NULL,
    dropped_links_count      integer     NOT NULL,
    resource                 jsonb       NOT NULL,
    scope                    jsonb       NOT NULL,
    tags                     jsonb       NOT NULL,
    -- Idempotent writes: replaying a span hits this key (a unique key on a hypertable must
    -- include the partition column). It is also the trace-id lookup index.
    CONSTRAINT spans_standard_key UNIQUE (trace_id, span_id, start_time)
);

CREATE TABLE spans_extended (LIKE spans_standard INCLUDING DEFAULTS);
ALTER TABLE spans_extended
    ADD CONSTRAINT spans_extended_key UNIQUE (trace_id, span_id, start_time);

SELECT public.create_hypertable('spans_standard', 'start_time',
                                chunk_time_interval => INTERVAL '1 hour');
SELECT public.create_hypertable('spans_extended', 'start_time',
                                chunk_time_interval => INTERVAL '1 hour');

-- Search by service / operation within a time range when few spans match.
CREATE INDEX spans_standard_service_name ON spans_standard (service_name, name, start_time DESC);
CREATE INDEX spans_extended_service_name ON spans_extended (service_name, name, start_time DESC);
-- Tag search key=value: containment on the flat text map.
CREATE INDEX spans_standard_tags ON spans_standard USING gin (tags jsonb_path_ops);
CREATE INDEX spans_extended_tags ON spans_extended USING gin (tags jsonb_path_ops);

-- Both retention classes as one relation for reading; predicates are pushed into each branch,
-- so chunk exclusion still applies per hypertable.
CREATE VIEW spans AS
    SELECT * FROM spans_standard
    UNION ALL
    SELECT * FROM spans_extended;

-- One row per trace, maintained by the writer from the spans it newly inserted (never from a
-- replay). start_time / last_span_start bound the start_time of every span of the trace: a trace
-- lookup by id reads them here first and then constrains the span query to them, so TimescaleDB
-- excludes every other chunk instead of probing each chunk's index (PgTraceReader.findTrace).
CREATE TABLE trace_summaries (
    trace_id             uuid        PRIMARY KEY,
    start_time           timestamptz NOT NULL,
    last_span_start      timestamptz NOT NULL,
    start_unix_nano      bigint      NOT NULL,
    end_unix_nano        bigint      NOT NULL,
    duration_nano        bigint      GENERATED ALWAYS AS (end_unix_nano - start_unix_nano) STORED,
    root_service_name    text        NOT NULL,
    root_span_name       text        NOT NULL,
    -- how the root was chosen: a span without parent beats the earliest span
    root_is_parentless   boolean     NOT NULL,
    root_start_unix_nano bigint      NOT NULL,
    span_count           integer     NOT NULL,
    error_count          integer     NOT NULL,
    services             text[]      NOT NULL
);

-- Search order (start desc, trace id desc) and keyset paging.
CREATE INDEX trace_summaries_start ON trace_summaries (start_unix_nano DESC, trace_id DESC);
CREATE INDEX trace_summaries_errors ON trace_summaries (start_unix_nano DESC, trace_id DESC)
    WHERE error_count > 0;
CREATE INDEX trace_summaries_services ON trace_summaries USING gin (services);

-- Catalog of operations for services() and operations(service).
CREATE TABLE operations (
    service_name text     NOT NULL,
    span_name    text     NOT NULL,
    kind         smallint NOT NULL,
    PRIMARY KEY (service_name, span_name, kind)
);
