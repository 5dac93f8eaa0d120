-- Whether a record (an application's materials, an appeal's attachments) has taken the
-- upload: one that none has taken within UNUSED_KEEP is swept. Uploads complete before this
-- migration count as taken, since nothing recorded which were.
ALTER TABLE uploads ADD COLUMN used INTEGER NOT NULL DEFAULT 0;
UPDATE uploads SET used = 1 WHERE sha256 IS NOT NULL;
CREATE INDEX uploads_by_owner ON uploads (owner);
