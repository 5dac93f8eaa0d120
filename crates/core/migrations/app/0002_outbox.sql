-- What the officer created locally; the service's answer fills in server_id and server_body.
CREATE TABLE records (
    local_id    TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL,
    draft       TEXT NOT NULL,
    server_id   TEXT,
    server_body TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

-- Files to upload, copied into the content-addressed store first. The tus location and
-- offset are saved before any byte is sent, so a restart resumes where the service says.
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
    created_at      INTEGER NOT NULL
) STRICT;

-- Reasons for parked items in both languages, so the status area needs no server to explain.
ALTER TABLE outbox ADD COLUMN last_error_en TEXT;
ALTER TABLE uploads ADD COLUMN last_error_en TEXT;
