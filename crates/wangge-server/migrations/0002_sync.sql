-- 0002: accounts, devices and the synced data (docs/SYNC.md). Every change a device can pull
-- (a record's current state, an issue event, a conflict, an eviction) carries a version
-- drawn from one server-wide counter, so a pull is "everything after my cursor, in order".

-- The one monotonically increasing server version; a single row.
CREATE TABLE version_counter (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    value INTEGER NOT NULL
) STRICT;
INSERT INTO version_counter (id, value) VALUES (1, 0);

CREATE TABLE users (
    username      TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,   -- argon2id PHC string (salt and parameters inside)
    person_id     TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    roles         TEXT NOT NULL,   -- JSON array of role codes
    home_grid     TEXT NOT NULL,   -- the root of the user's scope
    active        INTEGER NOT NULL DEFAULT 1,
    created_at    INTEGER NOT NULL
) STRICT;

-- A logged-in device. Only the SHA-256 of its token is kept: a stolen database file
-- does not let anyone sync as the device.
CREATE TABLE devices (
    device_id    TEXT PRIMARY KEY,
    username     TEXT NOT NULL REFERENCES users (username),
    name         TEXT NOT NULL,
    token_hash   BLOB NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    revoked_at   INTEGER
) STRICT;

-- The last seq stored per client (an app install), and whose it is.
CREATE TABLE clients (
    client_id TEXT PRIMARY KEY,
    username  TEXT NOT NULL REFERENCES users (username),
    last_seq  INTEGER NOT NULL
) STRICT;

-- What became of each stored seq, so a retried batch gets the very same answer.
CREATE TABLE mutation_results (
    client_id TEXT NOT NULL REFERENCES clients (client_id),
    seq       INTEGER NOT NULL,
    status    TEXT NOT NULL,
    code      TEXT,
    message   TEXT,
    PRIMARY KEY (client_id, seq)
) STRICT, WITHOUT ROWID;

-- One row per record: where it sits in the grid tree (its scope) and its feed version.
CREATE TABLE records (
    collection TEXT NOT NULL,
    id         TEXT NOT NULL,
    grid       TEXT NOT NULL,
    deleted    INTEGER NOT NULL DEFAULT 0,
    version    INTEGER NOT NULL,
    PRIMARY KEY (collection, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX records_by_grid_version ON records (grid, version);

-- A record's fields, each with the version at which it last changed (field-level merge).
CREATE TABLE record_fields (
    collection TEXT NOT NULL,
    id         TEXT NOT NULL,
    field      TEXT NOT NULL,
    value      TEXT NOT NULL,   -- JSON
    version    INTEGER NOT NULL,
    PRIMARY KEY (collection, id, field)
) STRICT, WITHOUT ROWID;

-- Issue history: append only. `grid` follows the issue so scope stays a column lookup.
CREATE TABLE issue_events (
    event_id TEXT PRIMARY KEY,
    issue_id TEXT NOT NULL,
    grid     TEXT NOT NULL,
    event    TEXT NOT NULL,   -- JSON IssueEvent
    version  INTEGER NOT NULL
) STRICT;
CREATE INDEX issue_events_by_issue ON issue_events (issue_id);
CREATE INDEX issue_events_by_grid_version ON issue_events (grid, version);

-- Field writes that lost to a newer server value, kept for someone to settle.
CREATE TABLE conflicts (
    id           TEXT PRIMARY KEY,
    collection   TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    field        TEXT NOT NULL,
    server_value TEXT NOT NULL,   -- JSON
    device_value TEXT NOT NULL,   -- JSON
    actor        TEXT NOT NULL,   -- person id
    client_id    TEXT NOT NULL,
    resolved     INTEGER NOT NULL DEFAULT 0,
    grid         TEXT NOT NULL,
    version      INTEGER NOT NULL
) STRICT;
CREATE INDEX conflicts_by_record ON conflicts (collection, record_id);
CREATE INDEX conflicts_by_grid_version ON conflicts (grid, version);

-- A record left `old_grid` at `version`: devices scoped to the old grid but not the new
-- one must drop it. Pull joins the record's current grid to decide.
CREATE TABLE evictions (
    collection TEXT NOT NULL,
    id         TEXT NOT NULL,
    old_grid   TEXT NOT NULL,
    version    INTEGER NOT NULL
) STRICT;
CREATE INDEX evictions_by_grid_version ON evictions (old_grid, version);

-- A household's visits, found when the household moves grid (visits follow it).
CREATE INDEX record_fields_visit_household ON record_fields (value)
    WHERE collection = 'visits' AND field = 'household';
