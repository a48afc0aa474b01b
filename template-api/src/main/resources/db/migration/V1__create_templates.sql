CREATE TABLE templates (
    id             TEXT PRIMARY KEY,
    active_version INT         NOT NULL,
    latest_version INT         NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Versions are immutable: a change is a new row.
CREATE TABLE template_versions (
    template_id    TEXT        NOT NULL REFERENCES templates (id) ON DELETE CASCADE,
    version        INT         NOT NULL,
    name           TEXT        NOT NULL,
    category       TEXT,
    critical       BOOLEAN     NOT NULL,
    default_locale TEXT        NOT NULL,
    locales        JSONB       NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (template_id, version)
);
