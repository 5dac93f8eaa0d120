-- Appeals and listings become change feeds, like the catalog and the inbox: every save takes
-- the next seq, so "seq > cursor" is exactly what a client has not seen.

-- Appeals: one feed per enterprise, so the seq is per owner. Existing rows keep their order.
ALTER TABLE appeals ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
UPDATE appeals SET seq = (
    SELECT COUNT(*) FROM appeals AS earlier
    WHERE earlier.owner = appeals.owner AND earlier.rowid <= appeals.rowid
);
CREATE UNIQUE INDEX appeals_by_owner_seq ON appeals (owner, seq);

-- Listings: one feed for the whole market. valid_until and district are columns so expiry
-- is one indexed query; updated_at is unix seconds like created_at.
ALTER TABLE listings ADD COLUMN seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE listings ADD COLUMN valid_until TEXT NOT NULL DEFAULT '';
ALTER TABLE listings ADD COLUMN district TEXT NOT NULL DEFAULT '';
ALTER TABLE listings ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE listings SET
    seq = (SELECT COUNT(*) FROM listings AS earlier WHERE earlier.rowid <= listings.rowid),
    valid_until = COALESCE(json_extract(body, '$.valid_until'), ''),
    district = COALESCE(json_extract(body, '$.district'), ''),
    updated_at = created_at;
CREATE UNIQUE INDEX listings_by_seq ON listings (seq);
CREATE INDEX listings_by_state_valid ON listings (state, valid_until);
CREATE INDEX listings_by_owner ON listings (owner);

-- Pairs of listings whose owners were told of the match (a < b), so an edit that matches
-- again does not tell them twice.
CREATE TABLE listing_match_notices (
    a TEXT NOT NULL,
    b TEXT NOT NULL,
    PRIMARY KEY (a, b)
) STRICT;
