-- The ledger import also takes the people list (kind 'people': 楼栋长, 红色管家, 志愿者 …
-- who do not log in). SQLite cannot alter a CHECK, so import_log is rebuilt with the
-- same columns and rows.
CREATE TABLE import_log_new (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,   -- unix ms
    actor       TEXT NOT NULL,      -- the administrator's person id
    username    TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('households', 'people')),
    file_sha256 TEXT NOT NULL,      -- which file it was, not what it held
    rows        INTEGER NOT NULL,
    added       INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    refused     INTEGER NOT NULL,
    first_version INTEGER,          -- the feed versions it wrote, NULL if none
    last_version  INTEGER
) STRICT;
INSERT INTO import_log_new SELECT id, at, actor, username, device_id, kind, file_sha256, rows, added, updated, unchanged, refused, first_version, last_version FROM import_log;
DROP TABLE import_log;
ALTER TABLE import_log_new RENAME TO import_log;
