-- The library's full-text index (catalog/text.rs): the bigram tokens of each document's
-- title, body, issuer and number, and key conditions. Contentless: the text itself stays in
-- `documents`, and the index is written in the same transaction as the document.
CREATE TABLE doc_keys (
    key INTEGER PRIMARY KEY,
    id  TEXT NOT NULL UNIQUE
) STRICT;

CREATE VIRTUAL TABLE doc_index USING fts5(
    title, body, meta, conditions,
    content = '', contentless_delete = 1, tokenize = 'ascii'
);

-- The index's terms with their document counts: the vocabulary pinyin is matched against.
CREATE VIRTUAL TABLE doc_index_terms USING fts5vocab(doc_index, 'row');

-- Two-character words of the catalog with their readings (catalog/pinyin.rs), rebuilt from
-- the index when the catalog changed.
CREATE TABLE pinyin_vocab (
    term     TEXT NOT NULL,
    full     TEXT NOT NULL,
    initials TEXT NOT NULL,
    docs     INTEGER NOT NULL,
    PRIMARY KEY (term, full)
) STRICT;
CREATE INDEX pinyin_by_full ON pinyin_vocab (full, docs DESC);
CREATE INDEX pinyin_by_initials ON pinyin_vocab (initials, docs DESC);
