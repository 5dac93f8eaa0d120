-- All catalog collections share one change-feed table; seq is per collection.
CREATE TABLE catalog (
    collection TEXT NOT NULL,
    key        TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    withdrawn  INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    body       TEXT NOT NULL,
    PRIMARY KEY (collection, key)
) STRICT;
CREATE UNIQUE INDEX catalog_by_seq ON catalog (collection, seq);
INSERT INTO catalog (collection, key, seq, withdrawn, body)
    SELECT 'documents', id, seq, withdrawn, body FROM documents;
DROP TABLE documents;

-- Tombstones at or below the horizon were compacted away: cursors from before it must resync.
CREATE TABLE feed_horizon (
    collection TEXT PRIMARY KEY NOT NULL,
    seq        INTEGER NOT NULL
) STRICT;

CREATE TABLE reviewers (
    username      TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

-- Sessions of both roles; an access and a refresh token issued together share a family,
-- so rotating or revoking the refresh token ends its access token too.
DROP TABLE sessions;
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    role       TEXT NOT NULL CHECK (role IN ('enterprise', 'reviewer')),
    subject    TEXT NOT NULL,
    family     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_family ON sessions (family);

CREATE TABLE counters (
    name  TEXT PRIMARY KEY NOT NULL,
    value INTEGER NOT NULL
) STRICT;

-- Idempotency-Key records: status is NULL while the first request still runs.
CREATE TABLE idempotency (
    owner        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER,
    body         TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (owner, key)
) STRICT;

CREATE TABLE uploads (
    id            TEXT PRIMARY KEY NOT NULL,
    owner         TEXT NOT NULL,
    material_type TEXT NOT NULL,
    filename      TEXT NOT NULL,
    length        INTEGER NOT NULL,
    offset        INTEGER NOT NULL DEFAULT 0,
    sha256        TEXT,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE applications (
    id         TEXT PRIMARY KEY NOT NULL,
    owner      TEXT NOT NULL,
    state      TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX applications_by_owner ON applications (owner);

CREATE TABLE appeals (
    id         TEXT PRIMARY KEY NOT NULL,
    owner      TEXT NOT NULL,
    state      TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
CREATE INDEX appeals_by_owner ON appeals (owner);

CREATE TABLE listings (
    id         TEXT PRIMARY KEY NOT NULL,
    owner      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    category   TEXT NOT NULL,
    state      TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE inbox (
    id    TEXT PRIMARY KEY NOT NULL,
    owner TEXT NOT NULL,
    seq   INTEGER NOT NULL,
    read  INTEGER NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
    body  TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX inbox_by_owner_seq ON inbox (owner, seq);
