-- Appeals the officer is still writing. Kept as typed (a half-written phone number too), so a
-- draft survives closing the app; sending turns it into a record and its requests at once.
CREATE TABLE appeal_drafts (
    id            TEXT PRIMARY KEY NOT NULL,
    category      TEXT,
    title         TEXT NOT NULL DEFAULT '',
    description   TEXT NOT NULL DEFAULT '',
    contact_name  TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
) STRICT;

-- A draft's attachments: checked copies in the material store, queued for upload only when
-- the appeal is sent.
CREATE TABLE appeal_draft_files (
    id        TEXT PRIMARY KEY NOT NULL,
    draft_id  TEXT NOT NULL REFERENCES appeal_drafts (id) ON DELETE CASCADE,
    filename  TEXT NOT NULL,
    sha256    TEXT NOT NULL,
    size      INTEGER NOT NULL,
    format    TEXT NOT NULL,
    added_seq INTEGER NOT NULL
) STRICT;

CREATE INDEX appeal_draft_files_draft ON appeal_draft_files (draft_id, added_seq);

-- Inbox entries marked read here. An entry is read when the service says so or it is marked
-- here, so it never turns unread between its mark being sent and the next pull.
CREATE TABLE inbox_marks (
    entry_id  TEXT PRIMARY KEY NOT NULL,
    marked_at INTEGER NOT NULL
) STRICT;

-- Inbox entries the officer has been told of (notification), so each is told once.
CREATE TABLE inbox_notified (
    entry_id TEXT PRIMARY KEY NOT NULL
) STRICT;
