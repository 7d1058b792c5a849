-- 0017: the export log also records exports of mediation cases and of the three lists.
-- SQLite cannot change a CHECK in place: the table is rebuilt with its rows and index.
CREATE TABLE export_log_new (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,   -- unix ms
    username   TEXT NOT NULL,      -- who exported
    device_id  TEXT NOT NULL,      -- the device the request came from
    kind       TEXT NOT NULL CHECK (kind IN ('issues', 'households', 'visits', 'mediations', 'lists')),
    format     TEXT NOT NULL CHECK (format IN ('xlsx', 'csv')),
    filters    TEXT NOT NULL,      -- JSON object of filter codes (status, level, category, from, to, grid)
    scope_grid TEXT NOT NULL,      -- the root of the exported subtree
    row_count  INTEGER NOT NULL
) STRICT;
INSERT INTO export_log_new (id, at, username, device_id, kind, format, filters, scope_grid, row_count)
    SELECT id, at, username, device_id, kind, format, filters, scope_grid, row_count FROM export_log;
DROP TABLE export_log;
ALTER TABLE export_log_new RENAME TO export_log;
CREATE INDEX export_log_by_scope ON export_log (scope_grid, at);
