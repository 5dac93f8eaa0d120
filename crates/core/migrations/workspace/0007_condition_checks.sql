-- The key conditions (关键指引条件) the officer ticked off while reading a document: the
-- enterprise's own, kept with its work (and in its backup), never sent. The condition's text
-- when ticked is kept too: a condition the service rewords afterwards shows as needing another
-- look, never as still done.
CREATE TABLE library_checks (
    document_id  TEXT NOT NULL,
    condition_id TEXT NOT NULL,
    text         TEXT NOT NULL,
    checked_at   INTEGER NOT NULL,
    PRIMARY KEY (document_id, condition_id)
) STRICT;
