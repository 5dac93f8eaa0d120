-- Each PATCH of an unfinished upload is an object of its own until the last byte is in
-- (an object store cannot append); see the SQLite migration of the same name.
CREATE TABLE upload_parts (
    upload_id TEXT COLLATE "C" NOT NULL,
    owner     TEXT COLLATE "C" NOT NULL,
    "offset"  BIGINT NOT NULL,
    length    BIGINT NOT NULL,
    key       TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (upload_id, "offset")
);
ALTER TABLE uploads ADD COLUMN joining_at BIGINT;
