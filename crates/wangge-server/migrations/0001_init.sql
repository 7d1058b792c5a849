-- 0001: the server's identity. The epoch changes whenever a database is created anew (or
-- restored from elsewhere), telling devices to re-pull from zero and re-push what the new
-- server has not acknowledged (docs/SYNC.md).
CREATE TABLE server_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

INSERT INTO server_meta (key, value)
VALUES ('epoch', lower(hex(randomblob(16))));
