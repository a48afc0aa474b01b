-- A template's revision grows with every change to it or any of its versions (a global sequence, so it keeps
-- growing across deletion and re-creation); the API sends it as ETag and honours If-Match and If-None-Match.
CREATE SEQUENCE template_revisions;
ALTER TABLE templates ADD COLUMN revision BIGINT NOT NULL DEFAULT nextval('template_revisions');
