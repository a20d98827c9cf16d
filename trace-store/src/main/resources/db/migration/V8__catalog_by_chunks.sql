-- The catalogs of the store (operations: service / span name / kind, for search forms; resources:
-- the V2 layout's resource documents) go by a chunk drop like everything else that grows, never a
-- DELETE (issue 7). See docs/architecture.md, "Storage: tiers".
--
-- operations: one row per operation per day it was seen in (the UTC day of a span's start,
-- dev.cairn.store.pg.OperationCatalog), partitioned by that day. The writer states an operation at
-- most once per day (its cache is keyed by the day), and readers take the distinct operations over
-- whatever days are left; retention drops a day once the spans of that day are gone, so an
-- operation no span refers to any more leaves with its last day.
--
-- Safe on big databases: the old catalog is small (one row per operation). Its rows are carried
-- over as seen today, so that nothing disappears from the search forms before its spans do.
ALTER TABLE operations RENAME TO operations_v1;

CREATE TABLE operations (
    service_name text        NOT NULL,
    span_name    text        NOT NULL,
    kind         smallint    NOT NULL,
    seen_day     timestamptz NOT NULL,
    -- also the index of operations(service)
    CONSTRAINT operations_key UNIQUE (service_name, span_name, kind, seen_day)
);
SELECT public.create_hypertable('operations', 'seen_day', chunk_time_interval => INTERVAL '1 day');

INSERT INTO operations (service_name, span_name, kind, seen_day)
    SELECT service_name, span_name, kind, date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    FROM operations_v1;
DROP TABLE operations_v1;

-- resources (V2) are no longer written since V6 (segments hold their resources inline); the V1-V5
-- span rows that still refer to them age out by chunk, and so do they now: by last_seen, which the
-- old writer refreshed at most hourly while a resource was in use. The key becomes (resource_id,
-- last_seen), as a hypertable's unique keys must hold its time column; with no writer left there
-- is still one row per resource.
ALTER TABLE resources DROP CONSTRAINT resources_pkey;
ALTER TABLE resources ADD CONSTRAINT resources_key UNIQUE (resource_id, last_seen);
DROP INDEX resources_last_seen;
SELECT public.create_hypertable('resources', 'last_seen', chunk_time_interval => INTERVAL '1 day',
                                migrate_data => true);
