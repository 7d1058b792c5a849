-- 0007: undoing a delete is attributed like the delete itself. One row per undo; the
-- delete's own author stays in records.deleted_by until the record is restored, and is
-- copied here so neither is lost.
CREATE TABLE record_log (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,   -- unix ms
    actor       TEXT NOT NULL,      -- person id of who restored it
    action      TEXT NOT NULL CHECK (action IN ('undelete')),
    collection  TEXT NOT NULL,
    record_id   TEXT NOT NULL,
    deleted_by  TEXT                -- who had deleted it
) STRICT;
