-- 0006: administration is attributed. Every disable, enable, password reset and device
-- revoke (through the admin API or the command line) leaves a row here, in the same
-- transaction as the change itself. Append only; never a password or its hash.
CREATE TABLE admin_log (
    id                 INTEGER PRIMARY KEY,
    at                 INTEGER NOT NULL,   -- unix ms
    via                TEXT NOT NULL CHECK (via IN ('api', 'cli')),
    actor              TEXT,               -- the administrator's username; NULL from the command line
    actor_device       TEXT,               -- the device the API call came from
    action             TEXT NOT NULL,      -- disable, enable, set_password, revoke_device
    username           TEXT NOT NULL,      -- the account acted on
    device_id          TEXT,               -- the device acted on (revoke_device)
    devices_signed_out INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX admin_log_by_username ON admin_log (username, at);

-- A password reset revokes every device of its account; listing them too.
CREATE INDEX devices_by_username ON devices (username);
