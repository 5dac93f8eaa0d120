CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
) STRICT;

-- The offline catalog: policies and guidance, as last pulled from the central service.
CREATE TABLE documents (
    id             TEXT PRIMARY KEY NOT NULL,
    kind           TEXT NOT NULL,
    title          TEXT NOT NULL,
    level          TEXT NOT NULL,
    district       TEXT,
    issuer         TEXT NOT NULL,
    doc_number     TEXT,
    published_on   TEXT NOT NULL,
    effective_on   TEXT NOT NULL,
    expires_on     TEXT,
    industries     TEXT NOT NULL,
    tags           TEXT NOT NULL,
    summary        TEXT NOT NULL,
    body           TEXT NOT NULL,
    key_conditions TEXT NOT NULL,
    -- Which full pull last delivered the row; a full resync sweeps rows it did not deliver.
    pull_generation INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX documents_by_date ON documents (published_on DESC);

CREATE TABLE sync_cursors (
    collection TEXT PRIMARY KEY NOT NULL,
    cursor     TEXT,
    generation INTEGER NOT NULL DEFAULT 0,
    -- Set while a full pull runs, so one interrupted midway still sweeps when it completes.
    sweep_pending INTEGER NOT NULL DEFAULT 0 CHECK (sweep_pending IN (0, 1)),
    synced_at  TEXT
) STRICT;

-- The transactional outbox: a user action and its outbox row are written together.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    record_id       TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload         TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    parked          INTEGER NOT NULL DEFAULT 0 CHECK (parked IN (0, 1)),
    created_at      INTEGER NOT NULL
) STRICT;
