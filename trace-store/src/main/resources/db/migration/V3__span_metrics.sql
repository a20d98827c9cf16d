-- Span metrics and the service graph (issue 6): per-minute aggregates that the sampler computes
-- from complete traces and publishes to cairn.metrics as deltas; storage-svc adds each delta to
-- its row (one row per minute and series). Counts, sums and histogram buckets are weighted by the
-- spans' adjusted counts (1 / head-sampling probability), hence double precision. Histograms are
-- the 64 buckets of dev.cairn.model.metrics.DurationBuckets (upper bound of bucket i: 1 us * 2^(i/2),
-- the last unbounded). Laid out by time (hypertables on minute, 1-day chunks) so that retention
-- (90 days, issue 7) is a chunk drop.

-- Element-wise sum of two histograms; a NULL side counts as empty.
CREATE FUNCTION cairn_add_buckets(a double precision[], b double precision[])
RETURNS double precision[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE
    WHEN a IS NULL THEN b
    WHEN b IS NULL THEN a
    ELSE ARRAY(SELECT coalesce(x, 0) + coalesce(y, 0)
               FROM unnest(a, b) WITH ORDINALITY AS t(x, y, i) ORDER BY i)
  END
$$;

-- Histograms of many rows (minutes, replicas) merged, for percentiles over a window.
CREATE AGGREGATE cairn_sum_buckets(double precision[]) (
    SFUNC = cairn_add_buckets,
    STYPE = double precision[]
);

-- RED per (service, operation, span kind, status code) and minute of span start: requests are
-- calls; errors are the calls of the status_code 2 (ERROR) rows.
CREATE TABLE span_metrics (
    minute                 timestamptz        NOT NULL,
    service_name           text               NOT NULL,
    span_name              text               NOT NULL,
    kind                   smallint           NOT NULL,
    status_code            smallint           NOT NULL,
    calls                  double precision   NOT NULL,
    -- spans counted, unweighted: how many samples the weighted figures rest on
    spans                  bigint             NOT NULL,
    duration_sum_nano      double precision   NOT NULL,
    buckets                double precision[] NOT NULL,
    -- the slowest span counted (ties: smallest trace id, then span id), linking a figure to a trace
    exemplar_trace_id      uuid,
    exemplar_span_id       bigint,
    exemplar_duration_nano bigint,
    CONSTRAINT span_metrics_key PRIMARY KEY (service_name, span_name, kind, status_code, minute)
);
SELECT public.create_hypertable('span_metrics', 'minute', chunk_time_interval => INTERVAL '1 day');

-- Calls from client_service to server_service per minute (of the calling span's start).
-- edge_type: 0 request (CLIENT -> SERVER), 1 messaging (PRODUCER -> CONSUMER), 2 virtual (a
-- CLIENT span without child, to the peer its peer.service or server.address names).
CREATE TABLE service_edges (
    minute                 timestamptz        NOT NULL,
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
    CONSTRAINT service_edges_key PRIMARY KEY (client_service, server_service, edge_type, minute)
);
SELECT public.create_hypertable('service_edges', 'minute', chunk_time_interval => INTERVAL '1 day');
CREATE INDEX service_edges_minute ON service_edges (minute DESC);

-- Exactly-once: the next offset to apply per partition of the metrics topic, advanced in the
-- transaction that adds the deltas; a record below it was applied already and is skipped.
CREATE TABLE metrics_offsets (
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    PRIMARY KEY (topic, partition)
);
