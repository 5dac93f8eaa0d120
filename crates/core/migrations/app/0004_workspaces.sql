-- Each enterprise's own work moves to a database of its own (enterprises/<id>/workspace.sqlite),
-- so one enterprise's drafts, queue, uploads and inbox cannot reach another's. What an earlier
-- version kept here is renamed, copied into its enterprise's database by the app at start
-- (workspace::legacy), and then dropped.
ALTER TABLE records RENAME TO legacy_records;
ALTER TABLE outbox RENAME TO legacy_outbox;
ALTER TABLE uploads RENAME TO legacy_uploads;

-- The enterprises signed in on this computer, per central service.
CREATE TABLE workspaces (
    id          TEXT PRIMARY KEY NOT NULL,
    server      TEXT NOT NULL,
    credit_code TEXT NOT NULL,
    -- The enterprise as the service last described it (name, district, industry).
    profile     TEXT NOT NULL,
    added_at    INTEGER NOT NULL,
    UNIQUE (server, credit_code)
) STRICT;
