-- Resources stored once instead of on every span.
--
-- A resource (the attributes of the process that emitted a span: service, host, pod, SDK) is the
-- same for every span of a service instance, and made up about a third of a span row and two
-- thirds of its tag entries (measured gain: docs/benchmarks.md, "Storage layout").
--
-- resource_id is the name-based UUID (MD5) of the resource document, so every writer derives the
-- same id for the same resource without asking the database. last_seen is when a writer last
-- stated the resource in use (refreshed at most hourly per writer): retention removes resources
-- not seen for longer than the longest tier keeps spans.
CREATE TABLE resources (
    resource_id uuid        PRIMARY KEY,
    resource    jsonb       NOT NULL,
    -- flat key -> value-as-text of the scalar attributes, for tag search (as spans.tags)
    tags        jsonb       NOT NULL,
    last_seen   timestamptz NOT NULL
);
CREATE INDEX resources_tags ON resources USING gin (tags jsonb_path_ops);
CREATE INDEX resources_last_seen ON resources (last_seen);

-- Rows written before this migration keep their inline resource (and resource attributes in
-- their tags) and have no resource_id; rows written after it have a resource_id and no inline
-- resource. Readers take whichever is there; retention ages the old rows out.
ALTER TABLE spans_standard ADD COLUMN resource_id uuid;
ALTER TABLE spans_standard ALTER COLUMN resource DROP NOT NULL;
ALTER TABLE spans_extended ADD COLUMN resource_id uuid;
ALTER TABLE spans_extended ALTER COLUMN resource DROP NOT NULL;

-- Tag search on a resource attribute: the matching resources first, then their spans.
CREATE INDEX spans_standard_resource ON spans_standard (resource_id, start_time DESC);
CREATE INDEX spans_extended_resource ON spans_extended (resource_id, start_time DESC);

-- The view's column list was fixed when it was created; take the new column in.
CREATE OR REPLACE VIEW spans AS
    SELECT * FROM spans_standard
    UNION ALL
    SELECT * FROM spans_extended;
