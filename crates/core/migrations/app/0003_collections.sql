-- Pulled collections other than documents (self-check templates, material rules, the inbox),
-- kept as the service sent them, keyed per collection.
CREATE TABLE catalog_items (
    collection      TEXT NOT NULL,
    key             TEXT NOT NULL,
    body            TEXT NOT NULL,
    pull_generation INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (collection, key)
) STRICT;

-- The ETag of the last page at the head of each feed, for If-None-Match.
ALTER TABLE sync_cursors ADD COLUMN etag TEXT;
