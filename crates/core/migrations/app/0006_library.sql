-- The library's state: which document replaces which, what the last sync that changed the
-- catalog brought (new, changed, withdrawn), so a policy never changes or goes unnoticed.

ALTER TABLE documents ADD COLUMN supersedes TEXT;
-- The round (library_rounds) in which the row last arrived new or changed; NULL when it came
-- with the first sync into an empty library, or before rounds were kept.
ALTER TABLE documents ADD COLUMN changed_round INTEGER;
ALTER TABLE documents ADD COLUMN change_kind TEXT CHECK (change_kind IN ('new', 'changed'));
CREATE INDEX documents_by_round ON documents (changed_round) WHERE changed_round IS NOT NULL;
CREATE INDEX documents_by_supersedes ON documents (supersedes) WHERE supersedes IS NOT NULL;

-- One row per catalog sync that changed documents. A round stays open (closed_at NULL) until
-- the documents feed reaches its head, so a pull interrupted midway and resumed is one round.
CREATE TABLE library_rounds (
    round      INTEGER PRIMARY KEY NOT NULL,
    -- The first sync into an empty library: it brings everything, so it marks nothing new.
    baseline   INTEGER NOT NULL CHECK (baseline IN (0, 1)),
    started_at TEXT NOT NULL,
    closed_at  TEXT
) STRICT;

-- Documents the service withdrew (a tombstone, or gone at a full resync): their summary stays,
-- so a withdrawn policy is listed as withdrawn and a bookmark on it still has a title.
CREATE TABLE withdrawn_documents (
    id              TEXT PRIMARY KEY NOT NULL,
    kind            TEXT NOT NULL,
    title           TEXT NOT NULL,
    level           TEXT NOT NULL,
    district        TEXT,
    issuer          TEXT NOT NULL,
    doc_number      TEXT,
    published_on    TEXT NOT NULL,
    withdrawn_round INTEGER NOT NULL,
    withdrawn_at    TEXT NOT NULL
) STRICT;
CREATE INDEX withdrawn_by_round ON withdrawn_documents (withdrawn_round);
