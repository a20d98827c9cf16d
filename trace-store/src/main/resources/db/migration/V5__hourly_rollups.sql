-- Tiers (issue 7): the cold tier keeps hourly rollups of the per-minute span metrics and service
-- edges (V3). storage-svc's rollup job fills them from the minute tables, one closed hour at a
-- time, as an upsert of the hour's full recomputation, so re-running it changes nothing. Same
-- columns and meaning as the minute tables, with hour (the hour's start, UTC) for minute. Laid out
-- by time for retention by chunk drop; chunk intervals are set at start-up from
-- cairn.storage.retention.chunk-intervals.*.

CREATE TABLE span_metrics_hourly (
    hour                   timestamptz        NOT NULL,
    service_name           text               NOT NULL,
    span_name              text               NOT NULL,
    kind                   smallint           NOT NULL,
    status_code            smallint           NOT NULL,
    calls                  double precision   NOT NULL,
    spans                  bigint             NOT NULL,
    duration_sum_nano      double precision   NOT NULL,
    buckets                double precision[] NOT NULL,
    exemplar_trace_id      uuid,
    exemplar_span_id       bigint,
    exemplar_duration_nano bigint,
    CONSTRAINT span_metrics_hourly_key PRIMARY KEY (service_name, span_name, kind, status_code, hour)
);
SELECT public.create_hypertable('span_metrics_hourly', 'hour',
                                chunk_time_interval => INTERVAL '7 days');

CREATE TABLE service_edges_hourly (
    hour                   timestamptz        NOT NULL,
    client_service         text               NOT NULL,
    server_service         text               NOT NULL,
    edge_type              smallint           NOT NULL,
    calls                  double precision   NOT NULL,
    errors                 double precision   NOT NULL,
    spans                  bigint             NOT NULL,
    duration_sum_nano      double precision   NOT NULL,
    buckets                double precision[] NOT NULL,
    exemplar_trace_id      uuid,
    exemplar_span_id       bigint,
    exemplar_duration_nano bigint,
    CONSTRAINT service_edges_hourly_key PRIMARY KEY (client_service, server_service, edge_type, hour)
);
SELECT public.create_hypertable('service_edges_hourly', 'hour',
                                chunk_time_interval => INTERVAL '7 days');

-- One row per maintenance job (retention, rollup): when it last ran and, for the rollup, the end
-- of the hours rolled so far. Read and written under the job's advisory lock, so that replicas run
-- a job once per period between them.
CREATE TABLE maintenance_runs (
    job         text        PRIMARY KEY,
    last_run    timestamptz NOT NULL,
    runner      text        NOT NULL,
    -- rollup: every hour before this one is rolled up (NULL: nothing yet)
    watermark   timestamptz,
    last_result text        NOT NULL
);
