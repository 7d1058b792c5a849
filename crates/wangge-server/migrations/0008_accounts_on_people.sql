-- 0008: the person record is the one truth about an account holder. Until now an
-- account's roles, name and home grid lived twice: in `users` and in its `people`
-- record (which phones pull). From here `users` keeps only what logs in (username,
-- password hash, active, the link `person_id`); roles, name and home grid are read from
-- the person record. Accounts that had no person record get one, in the feed, so phones
-- in scope pull it; a person record whose roles differed from its account's takes the
-- account's (they were the ones in force), with a new version.

CREATE TEMP TABLE m8 AS
SELECT u.person_id AS id, u.username, u.display_name, u.home_grid, u.roles, u.active,
       EXISTS (SELECT 1 FROM records r WHERE r.collection = 'people' AND r.id = u.person_id) AS present
FROM users u
WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.collection = 'people' AND r.id = u.person_id)
   OR (SELECT group_concat(value, ',') FROM (SELECT value FROM json_each(u.roles) ORDER BY value))
      IS NOT (SELECT group_concat(value, ',') FROM (SELECT j.value FROM record_fields f, json_each(f.value) j
              WHERE f.collection = 'people' AND f.id = u.person_id AND f.field = 'roles' ORDER BY j.value));

-- One version each: a pull page boundary never splits two entries sharing one.
CREATE TEMP TABLE m8v AS
SELECT m8.*, (SELECT value FROM version_counter WHERE id = 1) + row_number() OVER (ORDER BY username) AS v FROM m8;

INSERT INTO records (collection, id, grid, deleted, version)
SELECT 'people', id, home_grid, 0, v FROM m8v WHERE NOT present;
UPDATE records SET version = (SELECT v FROM m8v WHERE m8v.id = records.id)
WHERE collection = 'people' AND id IN (SELECT id FROM m8v WHERE present);

-- (`WHERE true`: SQLite's parser needs it before an upsert clause on a SELECT.)
INSERT INTO record_fields (collection, id, field, value, version)
SELECT * FROM (
SELECT 'people', id, 'id', json_quote(id), v FROM m8v WHERE NOT present
UNION ALL SELECT 'people', id, 'name', json_quote(display_name), v FROM m8v WHERE NOT present
UNION ALL SELECT 'people', id, 'phone', 'null', v FROM m8v WHERE NOT present
UNION ALL SELECT 'people', id, 'grid', json_quote(home_grid), v FROM m8v WHERE NOT present
UNION ALL SELECT 'people', id, 'active', CASE WHEN active THEN 'true' ELSE 'false' END, v FROM m8v WHERE NOT present
UNION ALL SELECT 'people', id, 'roles', roles, v FROM m8v
) WHERE true
ON CONFLICT (collection, id, field) DO UPDATE SET value = excluded.value, version = excluded.version, writer = NULL;

UPDATE version_counter SET value = max(value, coalesce((SELECT max(v) FROM m8v), 0)) WHERE id = 1;
DROP TABLE m8v;
DROP TABLE m8;

ALTER TABLE users DROP COLUMN roles;
ALTER TABLE users DROP COLUMN display_name;
ALTER TABLE users DROP COLUMN home_grid;

-- Administration now also creates and changes accounts and grids, and hands work over.
-- The log gets the grid or record acted on (`target`) and a small JSON `detail` of ids
-- and counts (never a name or phone); `username` is NULL for a grid action.
CREATE TABLE admin_log_new (
    id                 INTEGER PRIMARY KEY,
    at                 INTEGER NOT NULL,   -- unix ms
    via                TEXT NOT NULL CHECK (via IN ('api', 'cli')),
    actor              TEXT,               -- the administrator's username; NULL from the command line
    actor_device       TEXT,
    action             TEXT NOT NULL,      -- disable, enable, set_password (a reset too), revoke_device, create_user,
                                           -- update_user, create_grid, update_grid, retire_grid, handover, handover_import, init
    username           TEXT,               -- the account acted on (NULL for grid actions)
    device_id          TEXT,
    devices_signed_out INTEGER NOT NULL DEFAULT 0,
    target             TEXT,               -- grid id, or the client id of an imported file
    detail             TEXT                -- JSON: ids and counts only
) STRICT;
INSERT INTO admin_log_new (id, at, via, actor, actor_device, action, username, device_id, devices_signed_out)
SELECT id, at, via, actor, actor_device, action, username, device_id, devices_signed_out FROM admin_log;
DROP TABLE admin_log;
ALTER TABLE admin_log_new RENAME TO admin_log;
CREATE INDEX admin_log_by_username ON admin_log (username, at);

-- A phone's unsynced work imported from its export file by someone else (a dead phone's
-- outbox): pushed under its author's account and client id, and kept here as handed over
-- by the administrator who imported it.
CREATE TABLE handed_over (
    client_id  TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    handed_by  TEXT NOT NULL,   -- the administrator's username
    device_id  TEXT NOT NULL,   -- the administrator's device
    at         INTEGER NOT NULL,
    PRIMARY KEY (client_id, seq)
) STRICT, WITHOUT ROWID;
