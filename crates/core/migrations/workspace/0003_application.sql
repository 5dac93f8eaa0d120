-- 返岗人员名单: the staff returning to site, one row per person, kept in the order entered.
CREATE TABLE roster (
    id_number   TEXT PRIMARY KEY NOT NULL,
    pos         INTEGER NOT NULL,
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL,
    department  TEXT NOT NULL DEFAULT '',
    dormitory   TEXT NOT NULL DEFAULT '',
    test_result TEXT,
    test_date   TEXT,
    updated_at  INTEGER NOT NULL
) STRICT;

-- The application being prepared: a new one (record_id NULL) or the correction of a
-- returned one. One at a time per enterprise.
CREATE TABLE application_draft (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    record_id     TEXT,
    contact_name  TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    updated_at    INTEGER NOT NULL
) STRICT;

-- Material files, checked and copied into the material store (named by sha256). A file is
-- never changed: replacing one adds another. `in_draft` marks the files of the application
-- being prepared; a submitted round lists its own in application_rounds.
CREATE TABLE application_files (
    id            TEXT PRIMARY KEY NOT NULL,
    material_type TEXT NOT NULL,
    filename      TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size          INTEGER NOT NULL,
    format        TEXT NOT NULL,
    -- picked | dropped | roster: where it came from.
    origin        TEXT NOT NULL,
    -- Where the officer picked it, to tell them when it changes or goes; the stored copy is
    -- what is sent either way.
    source_path   TEXT,
    source_size   INTEGER,
    source_mtime  INTEGER,
    -- For a file the app made (the roster export): the hash of what it was made from.
    made_from     TEXT,
    in_draft      INTEGER NOT NULL DEFAULT 1 CHECK (in_draft IN (0, 1)),
    -- The upload that sends it, once submitted.
    upload_id     TEXT,
    added_seq     INTEGER NOT NULL
) STRICT;
CREATE INDEX application_files_in_draft ON application_files (in_draft, material_type);

-- Every round of every application sent from here: the first submission and each
-- resubmission, with exactly what went (files, answers, package), for the history and the
-- diff of the next correction.
CREATE TABLE application_rounds (
    record_id      TEXT NOT NULL,
    round          INTEGER NOT NULL,
    -- JSON [RoundFile]: every file of the application as of this round.
    files          TEXT NOT NULL,
    -- JSON: the self-check carried (run id, template, answers, answers' sha256).
    selfcheck      TEXT NOT NULL,
    package_sha256 TEXT NOT NULL,
    package_size   INTEGER NOT NULL,
    note           TEXT,
    created_at     INTEGER NOT NULL,
    PRIMARY KEY (record_id, round)
) STRICT;

-- The forms the app generated to be signed and sealed: from what (the hash of the profile,
-- roster, self-check and contact they print) and when.
CREATE TABLE generated_forms (
    kind         TEXT PRIMARY KEY NOT NULL,
    inputs       TEXT NOT NULL,
    form_id      TEXT NOT NULL,
    generated_at INTEGER NOT NULL,
    seq          INTEGER NOT NULL
) STRICT;

-- The application states the officer has been told of, so a change is announced once.
CREATE TABLE application_seen (
    record_id TEXT PRIMARY KEY NOT NULL,
    state     TEXT NOT NULL,
    steps     INTEGER NOT NULL
) STRICT;
