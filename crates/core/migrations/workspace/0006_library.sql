-- The enterprise's own marks on catalog documents: kept in its database (so apart from other
-- enterprises', and in its backup), never sent. No foreign key: the catalog is in another
-- database, and a document the service withdraws keeps its bookmark and note.
CREATE TABLE library_bookmarks (
    document_id TEXT PRIMARY KEY NOT NULL,
    created_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE library_notes (
    document_id TEXT PRIMARY KEY NOT NULL,
    text        TEXT NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
