-- 0015: every export of the caller's lists (issues, households, visits) leaves a row
-- here: who, when, which list, which format, the filters, the grid whose subtree was
-- exported and how many rows left the server. Never personal data: filters are codes
-- and grid ids, the actor is the account's username. Append only.
CREATE TABLE export_log (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,   -- unix ms
    username   TEXT NOT NULL,      -- who exported
    device_id  TEXT NOT NULL,      -- the device the request came from
    kind       TEXT NOT NULL CHECK (kind IN ('issues', 'households', 'visits')),
    format     TEXT NOT NULL CHECK (format IN ('xlsx', 'csv')),
    filters    TEXT NOT NULL,      -- JSON object of filter codes (status, level, category, from, to, grid)
    scope_grid TEXT NOT NULL,      -- the root of the exported subtree
    row_count  INTEGER NOT NULL
) STRICT;
CREATE INDEX export_log_by_scope ON export_log (scope_grid, at);
