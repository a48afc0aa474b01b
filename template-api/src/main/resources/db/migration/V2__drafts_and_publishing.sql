-- A version is a draft (editable, never delivered) until it is published; published versions are
-- immutable. The active version is the published one enrich-stream delivers; a template that has only
-- drafts has none.
ALTER TABLE template_versions ADD COLUMN state TEXT NOT NULL DEFAULT 'published'
    CHECK (state IN ('draft', 'published'));
ALTER TABLE template_versions ADD COLUMN published_at TIMESTAMPTZ;
ALTER TABLE template_versions ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
UPDATE template_versions SET published_at = created_at;

ALTER TABLE templates ALTER COLUMN active_version DROP NOT NULL;
