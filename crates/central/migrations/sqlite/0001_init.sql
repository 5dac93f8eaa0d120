CREATE TABLE enterprises (
    credit_code   TEXT PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    district      TEXT NOT NULL,
    industry      TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

-- Tokens are stored only as their SHA-256, so a copy of this file signs nobody in.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    credit_code TEXT NOT NULL REFERENCES enterprises (credit_code) ON DELETE CASCADE,
    expires_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_enterprise ON sessions (credit_code);

-- The catalog's change feed: every write takes the next seq, so "seq > cursor" is exactly
-- what a client has not seen. A withdrawn document keeps its row as a tombstone.
CREATE TABLE documents (
    id        TEXT PRIMARY KEY NOT NULL,
    seq       INTEGER NOT NULL UNIQUE,
    withdrawn INTEGER NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    body      TEXT NOT NULL
) STRICT;
