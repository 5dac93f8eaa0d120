-- One enterprise's own work. Nothing here is shared with another enterprise: each has its
-- own file, so isolation does not depend on a WHERE clause.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- The transactional outbox: a user action and its outbox row are written together.
-- `version` is the version of the payload's format, so queued rows outlive an upgrade.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    record_id       TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    last_error_en   TEXT,
    parked          INTEGER NOT NULL DEFAULT 0 CHECK (parked IN (0, 1)),
    created_at      INTEGER NOT NULL
) STRICT;

-- What the officer created here; the service's answer fills in server_id and server_body.
CREATE TABLE records (
    local_id    TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL,
    draft       TEXT NOT NULL,
    server_id   TEXT,
    server_body TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

-- Files to upload, copied into this enterprise's content-addressed store first. The tus
-- location is saved before any byte is sent, so a restart resumes where the service says.
CREATE TABLE uploads (
    local_id        TEXT PRIMARY KEY NOT NULL,
    sha256          TEXT NOT NULL,
    size            INTEGER NOT NULL,
    material_type   TEXT NOT NULL,
    filename        TEXT NOT NULL,
    location        TEXT,
    sent            INTEGER NOT NULL DEFAULT 0,
    server_id       TEXT,
    done            INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    parked          INTEGER NOT NULL DEFAULT 0 CHECK (parked IN (0, 1)),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    last_error_en   TEXT,
    created_at      INTEGER NOT NULL
) STRICT;

-- Pulled feeds of this enterprise (the inbox), kept as the service sent them.
CREATE TABLE feed_items (
    collection      TEXT NOT NULL,
    key             TEXT NOT NULL,
    body            TEXT NOT NULL,
    pull_generation INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (collection, key)
) STRICT;

CREATE TABLE sync_cursors (
    collection    TEXT PRIMARY KEY NOT NULL,
    cursor        TEXT,
    generation    INTEGER NOT NULL DEFAULT 0,
    sweep_pending INTEGER NOT NULL DEFAULT 0 CHECK (sweep_pending IN (0, 1)),
    synced_at     TEXT,
    etag          TEXT
) STRICT;
