//! Backups, and the only safe way to put one back. A restored copy is older than what the
//! phones have seen: their pull cursors point past its last version, so without a sign
//! they would never be sent what the restored server writes next, and their pushes would
//! carry bases from a history it no longer has. Restoring therefore gives the copy a new
//! epoch: every phone then drops what it pulled, pulls again from zero and re-sends every
//! change it still holds unacknowledged (`docs/SYNC.md`, "a changed epoch").

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::sql::{params, Conn, Dialect};
use super::{migrations, store, Db, DbError};

impl Db {
    /// Writes a consistent copy of the whole database to `dest`, which must not exist yet.
    /// Safe while the server runs: `VACUUM INTO` reads one snapshot and writes a compact
    /// file; pushes wait for it (a village-scale database takes a few seconds).
    pub fn backup_to(&self, dest: &Path) -> Result<(), DbError> {
        if dest.exists() {
            return Err(DbError::Refused(format!("{} already exists; a backup never overwrites", dest.display())));
        }
        let dest =
            dest.to_str().ok_or_else(|| DbError::Refused("the backup path is not valid UTF-8".into()))?.to_owned();
        self.call_blocking(move |c| {
            if c.dialect() == Dialect::Postgres {
                return Err(DbError::Refused(
                    "on PostgreSQL, back up with pg_dump or the cluster's point-in-time recovery (README, \"Running a city\")"
                        .into(),
                ));
            }
            c.execute("VACUUM INTO ?1", params![dest])?;
            Ok(())
        })
    }
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    /// The epoch the backup was taken under, and the new one it now serves.
    pub old_epoch: String,
    pub new_epoch: String,
    /// Where the database that was replaced went (kept, never deleted).
    pub replaced: Option<PathBuf>,
}

/// Puts the backup at `backup` in place of the database at `db_path`, under a new epoch.
/// The server must be stopped: a database still open elsewhere is refused, untouched.
/// The replaced database is renamed aside (`….before-restore-<time>`), never deleted.
pub fn restore(db_path: &Path, backup: &Path, now_millis: i64) -> Result<Restored, DbError> {
    let old_epoch = backup_epoch(backup)?;
    if db_path.exists() {
        close_out(db_path)?;
    }
    let staging = with_suffix(db_path, ".restoring");
    std::fs::copy(backup, &staging).map_err(|e| io("copy the backup", &e))?;
    let new_epoch = {
        let conn = Conn::sqlite(Connection::open(&staging)?);
        conn.execute("UPDATE server_meta SET value = lower(hex(randomblob(16))) WHERE key = 'epoch'", params![])?;
        store::epoch(&conn)?
    };
    let replaced = if db_path.exists() {
        let aside = with_suffix(db_path, &format!(".before-restore-{now_millis}"));
        // Whole in its main file after `close_out`; any leftover log files go with it,
        // under the matching names.
        for part in ["", "-wal", "-shm"] {
            let from = with_suffix(db_path, part);
            if from.exists() {
                std::fs::rename(&from, with_suffix(&aside, part)).map_err(|e| io("move the old database aside", &e))?;
            }
        }
        Some(aside)
    } else {
        None
    };
    std::fs::rename(&staging, db_path).map_err(|e| io("put the backup in place", &e))?;
    Ok(Restored { old_epoch, new_epoch, replaced })
}

/// The epoch stored in a backup, which also proves it is a Wangge database this server
/// can open.
fn backup_epoch(backup: &Path) -> Result<String, DbError> {
    if !backup.is_file() {
        return Err(DbError::Refused(format!("no backup file at {}", backup.display())));
    }
    let conn = Connection::open_with_flags(backup, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let not_ours = || DbError::Refused(format!("{} is not a Wangge database", backup.display()));
    let version = migrations::sqlite_version(&conn).map_err(|_| not_ours())?;
    if version > migrations::LATEST {
        return Err(DbError::TooNew { found: version, known: migrations::LATEST });
    }
    store::epoch(&Conn::sqlite(conn)).map_err(|_| not_ours())
}

/// Refuses when another process (a running server) has the database open, and otherwise
/// folds its write-ahead log into the main file, so the replaced database is whole in one
/// file before anything is moved. Every connection to a WAL database holds a shared lock
/// on it, so an exclusive lock taken without waiting succeeds only when nobody else is
/// there.
fn close_out(db_path: &Path) -> Result<(), DbError> {
    let conn = Connection::open(db_path)?;
    conn.busy_timeout(std::time::Duration::ZERO)?;
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    match conn.execute_batch("BEGIN EXCLUSIVE; COMMIT;") {
        Ok(()) => {}
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == rusqlite::ErrorCode::DatabaseBusy => {
            return Err(DbError::Refused("the database is in use: stop the server before restoring".into()));
        }
        Err(e) => return Err(e.into()),
    }
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn io(what: &str, e: &std::io::Error) -> DbError {
    DbError::Refused(format!("{what}: {e}"))
}
