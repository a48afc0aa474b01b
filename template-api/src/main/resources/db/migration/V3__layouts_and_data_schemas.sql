-- Email layouts: a named HTML document that wraps the HTML body of many templates ({{{content}}}).
CREATE TABLE layouts (
    name       TEXT PRIMARY KEY,
    html       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A layout in use by any version cannot be deleted.
ALTER TABLE template_versions ADD COLUMN layout TEXT REFERENCES layouts (name);
CREATE INDEX template_versions_layout ON template_versions (layout) WHERE layout IS NOT NULL;

-- Optional JSON Schema of the notification data a version expects.
ALTER TABLE template_versions ADD COLUMN data_schema JSONB;
