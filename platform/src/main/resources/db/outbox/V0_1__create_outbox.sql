-- Transactional outbox: a service writes its change and a row here in one transaction; the outbox relay
-- publishes the rows to Kafka in id order and deletes them. A NULL payload is a tombstone.
CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    topic       TEXT        NOT NULL,
    message_key TEXT        NOT NULL,
    payload     BYTEA,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- set when a relay starts publishing the row: a row still here with a claim may or may not have reached
    -- the broker, so the next relay republishes only the newest such row of each key
    claimed_at  TIMESTAMPTZ
);

-- the relay looks for unresolved claims on every poll
CREATE INDEX outbox_claimed ON outbox (claimed_at) WHERE claimed_at IS NOT NULL;
