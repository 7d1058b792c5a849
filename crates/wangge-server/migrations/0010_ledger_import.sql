-- 0010: importing the ledgers (台账) communities keep in Excel.

-- The key of the ID-card hashes below, made once with the database. It lives here, not
-- in a file beside it, so a backup restored elsewhere still matches a re-imported ledger
-- (a lost key would make every re-import add its people again).
CREATE TABLE server_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;
INSERT INTO server_secrets (name, value) VALUES ('id_card_hmac', randomblob(32));

-- HMAC-SHA256(key, ID-card number) of an imported household member: how a re-import
-- finds the same person. Server only: never pulled, never returned; the member record
-- carries only the last four characters (`id_last4`).
CREATE TABLE member_id_hashes (
    household TEXT NOT NULL,
    member    TEXT NOT NULL,
    hash      BLOB NOT NULL,
    PRIMARY KEY (household, member)
) STRICT, WITHOUT ROWID;
CREATE INDEX member_id_hashes_by_hash ON member_id_hashes (hash);

-- One row per confirmed import (a dry run writes nothing), beside its admin_log row.
CREATE TABLE import_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,   -- unix ms
    actor       TEXT NOT NULL,      -- the administrator's person id
    username    TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('households')),
    file_sha256 TEXT NOT NULL,      -- which file it was, not what it held
    rows        INTEGER NOT NULL,
    added       INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    refused     INTEGER NOT NULL,
    first_version INTEGER,          -- the feed versions it wrote, NULL if none
    last_version  INTEGER
) STRICT;
