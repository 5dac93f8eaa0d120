-- An appeal's thread in rows of its own: a message appends one row instead of rewriting the
-- whole appeal with every message before it. `n` numbers an appeal's messages from 0, in
-- the order they came; the appeal's body keeps an empty list.
CREATE TABLE appeal_messages (
    appeal_id TEXT NOT NULL REFERENCES appeals (id) ON DELETE CASCADE,
    n         INTEGER NOT NULL,
    party     TEXT NOT NULL,
    body      TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (appeal_id, n)
) STRICT, WITHOUT ROWID;

INSERT INTO appeal_messages (appeal_id, n, party, body, at)
SELECT a.id, CAST(m.key AS INTEGER), json_extract(m.value, '$.from'),
       json_extract(m.value, '$.body'), json_extract(m.value, '$.at')
  FROM appeals a, json_each(a.body, '$.messages') m;

UPDATE appeals SET body = json_set(body, '$.messages', json('[]'));
