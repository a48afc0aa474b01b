CREATE TABLE users (
    id           TEXT PRIMARY KEY,
    email        TEXT,
    email_status TEXT        NOT NULL DEFAULT 'active',
    locale       TEXT,
    time_zone    TEXT,
    preferences  JSONB       NOT NULL DEFAULT '{}',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX users_email ON users (lower(email));

-- A token belongs to one user at a time: registering it for another user moves it.
CREATE TABLE devices (
    token      TEXT PRIMARY KEY,
    user_id    TEXT        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    platform   TEXT        NOT NULL,
    app_id     TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX devices_user ON devices (user_id);
