-- The company profile (企业信息): one row. Sending it is an outbox request like any other.
CREATE TABLE company_profile (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    profile    TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

-- A self-check in progress, one per template. The template it answers is kept with it, so
-- a newer version can be compared with it even after the catalog drops the old one.
CREATE TABLE selfcheck_drafts (
    template_id      TEXT PRIMARY KEY NOT NULL,
    template_version INTEGER NOT NULL,
    template         TEXT NOT NULL,
    step             INTEGER NOT NULL DEFAULT 0,
    -- JSON: items whose answers must be looked at again after a template update.
    recheck          TEXT NOT NULL DEFAULT '[]',
    -- JSON: what the last template update changed (TemplateChanges), until dismissed.
    changes          TEXT,
    started_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
) STRICT;

-- One row per answer, written as it is given: a crash loses nothing already answered.
CREATE TABLE selfcheck_answers (
    template_id TEXT NOT NULL REFERENCES selfcheck_drafts (template_id) ON DELETE CASCADE,
    item_id     TEXT NOT NULL,
    value       TEXT NOT NULL,
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (template_id, item_id)
) STRICT;

-- Finished self-checks, read-only: everything the report needs is kept as it was.
CREATE TABLE selfcheck_runs (
    id               TEXT PRIMARY KEY NOT NULL,
    -- The order they were finished in: the clock may go back, this does not.
    seq              INTEGER NOT NULL UNIQUE,
    template_id      TEXT NOT NULL,
    template_version INTEGER NOT NULL,
    template         TEXT NOT NULL,
    profile          TEXT NOT NULL,
    answers          TEXT NOT NULL,
    passed           INTEGER NOT NULL CHECK (passed IN (0, 1)),
    sha256           TEXT NOT NULL,
    finished_on      TEXT NOT NULL,
    finished_at      INTEGER NOT NULL
) STRICT;
