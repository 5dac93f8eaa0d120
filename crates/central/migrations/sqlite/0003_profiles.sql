-- Company profiles (企业信息): one per enterprise, replaced whole on each PUT. The body is
-- the CompanyProfile as JSON, like the other records; updated_at is unix seconds.
CREATE TABLE profiles (
    owner      TEXT PRIMARY KEY NOT NULL REFERENCES enterprises (credit_code) ON DELETE CASCADE,
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;
