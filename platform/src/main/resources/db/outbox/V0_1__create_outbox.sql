-- Transactional outbox: a service writes its change and a row here in one transaction; the outbox relay
-- publishes the rows to Kafka in id order and deletes them. A NULL payload is a tombstone.
CREATE TABLE outbox (
    id          BIGSERIAL PRIMARY KEY,
    topic       TEXT        NOT NULL,
    message_key TEXT        NOT NULL,
    payload     BYTEA,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
