//! Read-only connections for pulls, logins and token checks, beside the writer's. WAL lets
//! them read while the writer writes, and a reader only ever sees committed transactions,
//! so a pull can never see half of a writer group. `query_only` makes a write slipped onto
//! one of them an error instead of a second writer competing for the lock.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, TryLockError};

use rusqlite::Connection;

use super::sql::Conn;
use super::DbError;

pub(super) struct Readers {
    conns: Vec<Mutex<Conn>>,
    next: AtomicUsize,
}

impl Readers {
    /// `n` connections to the SQLite database at `path`, which must already be migrated.
    pub(super) fn open(path: &Path, n: usize) -> Result<Readers, DbError> {
        Readers::new((0..n.max(1)).map(|_| {
            let conn = Connection::open(path)?;
            conn.pragma_update(None, "query_only", "ON")?;
            conn.busy_timeout(std::time::Duration::from_secs(5))?;
            conn.pragma_update(None, "cache_size", -16_384)?;
            Ok(Conn::sqlite(conn))
        }))
    }

    /// A pool of the connections `conns` opens (PostgreSQL's are opened read-only there).
    pub(super) fn new(conns: impl Iterator<Item = Result<Conn, DbError>>) -> Result<Readers, DbError> {
        let conns = conns.map(|c| c.map(Mutex::new)).collect::<Result<Vec<_>, DbError>>()?;
        Ok(Readers { conns, next: AtomicUsize::new(0) })
    }

    /// Runs `f` on an idle connection, or waits for one if all are busy.
    pub(super) fn with<T>(&self, f: impl FnOnce(&mut Conn) -> Result<T, DbError>) -> Result<T, DbError> {
        let n = self.conns.len();
        let start = self.next.fetch_add(1, Ordering::Relaxed);
        for i in 0..n {
            // A panic while holding a reader poisons its lock; the connection itself is
            // still consistent (SQLite ends the read), so keep using it.
            match self.conns[(start + i) % n].try_lock() {
                Ok(mut guard) => return f(&mut guard),
                Err(TryLockError::Poisoned(p)) => return f(&mut p.into_inner()),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        let mut guard = self.conns[start % n].lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }
}
