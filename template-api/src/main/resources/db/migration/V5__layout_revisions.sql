-- A layout's revision grows with each change of it (from the templates' sequence); the API sends it as ETag and
-- honours If-Match and If-None-Match on its writes.
ALTER TABLE layouts ADD COLUMN revision BIGINT NOT NULL DEFAULT nextval('template_revisions');
