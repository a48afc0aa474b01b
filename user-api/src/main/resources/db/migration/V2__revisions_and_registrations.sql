-- Every change of a profile takes the next value, so of two versions of a user the higher revision is the
-- newer one, across deletion and re-creation too. Writes to one user are serialised by its row lock, so the
-- revisions of a user grow in commit order.
CREATE SEQUENCE user_revision;

ALTER TABLE users ADD COLUMN revision BIGINT NOT NULL DEFAULT nextval('user_revision');

-- When the token was last registered: a report that FCM refused it before then does not remove it.
ALTER TABLE devices ADD COLUMN registered_at TIMESTAMPTZ NOT NULL DEFAULT now();

-- Keyset pagination of the user list.
CREATE INDEX users_email_id ON users (lower(email), id);
DROP INDEX users_email;
