-- 供需对接. The market as last pulled (every enterprise's live listings), with the columns
-- the browse filters use beside the body as the service sent it; and the enterprise's own
-- listings in every state, replaced whole from GET /listings/mine at each sync (they include
-- listings posted from another computer, and withdrawn or expired ones the feed tombstones).
CREATE TABLE listing_cache (
    id              TEXT PRIMARY KEY NOT NULL,
    kind            TEXT NOT NULL,
    category        TEXT NOT NULL,
    district        TEXT NOT NULL,
    valid_until     TEXT NOT NULL,
    item            TEXT NOT NULL,
    enterprise_name TEXT NOT NULL,
    mine            INTEGER NOT NULL CHECK (mine IN (0, 1)),
    created_at      TEXT NOT NULL,
    body            TEXT NOT NULL,
    pull_generation INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX listing_cache_browse ON listing_cache (kind, category, district, valid_until);

CREATE TABLE own_listings (
    id   TEXT PRIMARY KEY NOT NULL,
    body TEXT NOT NULL
) STRICT;
