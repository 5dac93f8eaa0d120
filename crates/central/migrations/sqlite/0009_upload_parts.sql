-- Upload bytes moved behind an object store, which cannot append: each PATCH of an
-- unfinished upload is a part of its own until the last byte is in, then the parts are
-- joined into one object named by the upload's id (where complete uploads already are).
CREATE TABLE upload_parts (
    upload_id TEXT NOT NULL,
    owner     TEXT NOT NULL,
    "offset"  INTEGER NOT NULL,
    length    INTEGER NOT NULL,
    key       TEXT NOT NULL,
    PRIMARY KEY (upload_id, "offset")
);
-- Set while the last part is being joined and checked, by the one PATCH that took it: a
-- second PATCH of that part (a retry racing its first attempt, perhaps on another service
-- process) waits rather than join the same upload twice.
ALTER TABLE uploads ADD COLUMN joining_at INTEGER;
-- An unfinished upload from before kept its bytes in one file, which no part describes:
-- it expires now, and its client (which resumes by asking) starts it again.
UPDATE uploads SET expires_at = 0 WHERE sha256 IS NULL AND "offset" > 0;
