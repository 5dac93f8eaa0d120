-- The service's schema on PostgreSQL: the same tables as migrations/sqlite after its last
-- migration, written as one. The two are held to each other by the migrations test, which
-- compares their tables and columns.
--
-- Every integer is BIGINT (the service reads them all as i64), flags are 0/1 integers as on
-- SQLite, and JSON bodies are text, so one query runs on both. Text that is ordered or
-- compared (ids, cursors, dates) collates as "C": byte order, as SQLite compares, whatever
-- the database's locale, so a cursor means the same on both.

CREATE TABLE enterprises (
    credit_code   TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    district      TEXT COLLATE "C" NOT NULL,
    industry      TEXT COLLATE "C" NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE reviewers (
    username      TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

-- Tokens are stored only as their SHA-256, so a copy of this database signs nobody in. An
-- access and a refresh token issued together share a family.
CREATE TABLE sessions (
    token_hash TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    role       TEXT NOT NULL CHECK (role IN ('enterprise', 'reviewer')),
    subject    TEXT COLLATE "C" NOT NULL,
    family     TEXT COLLATE "C" NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_family ON sessions (family);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- The catalog's change feeds, one per collection: every write takes the next seq.
CREATE TABLE catalog (
    collection TEXT COLLATE "C" NOT NULL,
    key        TEXT COLLATE "C" NOT NULL,
    seq        BIGINT NOT NULL,
    withdrawn  BIGINT NOT NULL DEFAULT 0 CHECK (withdrawn IN (0, 1)),
    body       TEXT NOT NULL,
    PRIMARY KEY (collection, key)
);
CREATE UNIQUE INDEX catalog_by_seq ON catalog (collection, seq);

CREATE TABLE feed_horizon (
    collection TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    seq        BIGINT NOT NULL
);

CREATE TABLE counters (
    name  TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);

-- Idempotency-Key records: status is NULL while the first request still runs. The primary
-- key is what makes a key's claim atomic across service processes.
CREATE TABLE idempotency (
    owner        TEXT COLLATE "C" NOT NULL,
    key          TEXT COLLATE "C" NOT NULL,
    request_hash TEXT NOT NULL,
    status       BIGINT,
    body         TEXT,
    created_at   BIGINT NOT NULL,
    PRIMARY KEY (owner, key)
);

-- "offset" is a reserved word here, so every query names it quoted (SQLite reads the
-- quoted name too).
CREATE TABLE uploads (
    id            TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    owner         TEXT COLLATE "C" NOT NULL,
    material_type TEXT COLLATE "C" NOT NULL,
    filename      TEXT NOT NULL,
    length        BIGINT NOT NULL,
    "offset"      BIGINT NOT NULL DEFAULT 0,
    sha256        TEXT,
    created_at    BIGINT NOT NULL,
    expires_at    BIGINT NOT NULL,
    format        TEXT,
    used          BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX uploads_by_owner ON uploads (owner);

CREATE TABLE applications (
    id         TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    owner      TEXT COLLATE "C" NOT NULL,
    state      TEXT COLLATE "C" NOT NULL,
    body       TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX applications_by_owner ON applications (owner);

-- Appeals: one feed per enterprise, so the seq is per owner.
CREATE TABLE appeals (
    id         TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    owner      TEXT COLLATE "C" NOT NULL,
    state      TEXT COLLATE "C" NOT NULL,
    body       TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    seq        BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX appeals_by_owner ON appeals (owner);
CREATE UNIQUE INDEX appeals_by_owner_seq ON appeals (owner, seq);

-- An appeal's thread, one row per message, numbered from 0 in the order they came.
CREATE TABLE appeal_messages (
    appeal_id TEXT COLLATE "C" NOT NULL REFERENCES appeals (id) ON DELETE CASCADE,
    n         BIGINT NOT NULL,
    party     TEXT NOT NULL,
    body      TEXT NOT NULL,
    at        TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (appeal_id, n)
);

-- Listings: one feed for the whole market.
CREATE TABLE listings (
    id          TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    owner       TEXT COLLATE "C" NOT NULL,
    kind        TEXT COLLATE "C" NOT NULL,
    category    TEXT COLLATE "C" NOT NULL,
    state       TEXT COLLATE "C" NOT NULL,
    body        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    seq         BIGINT NOT NULL DEFAULT 0,
    valid_until TEXT COLLATE "C" NOT NULL DEFAULT '',
    district    TEXT COLLATE "C" NOT NULL DEFAULT '',
    updated_at  BIGINT NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX listings_by_seq ON listings (seq);
CREATE INDEX listings_by_state_valid ON listings (state, valid_until);
CREATE INDEX listings_by_owner ON listings (owner);

CREATE TABLE listing_match_notices (
    a TEXT COLLATE "C" NOT NULL,
    b TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (a, b)
);

CREATE TABLE inbox (
    id    TEXT COLLATE "C" PRIMARY KEY NOT NULL,
    owner TEXT COLLATE "C" NOT NULL,
    seq   BIGINT NOT NULL,
    read  BIGINT NOT NULL DEFAULT 0 CHECK (read IN (0, 1)),
    body  TEXT NOT NULL
);
CREATE UNIQUE INDEX inbox_by_owner_seq ON inbox (owner, seq);

-- Company profiles (企业信息): one per enterprise, replaced whole on each PUT.
CREATE TABLE profiles (
    owner      TEXT COLLATE "C" PRIMARY KEY NOT NULL
               REFERENCES enterprises (credit_code) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
