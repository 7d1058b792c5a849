//! Storage: the only module that writes SQL. Everything above it calls `Db`'s methods, so
//! replacing SQLite with PostgreSQL later means reimplementing this module, nothing else.

mod migrations;

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

/// Errors from the storage layer. Handlers turn them into a generic 500 and log the detail.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database worker thread failed: {0}")]
    Worker(String),
    #[error("database is at schema version {found}, newer than this server knows ({known})")]
    TooNew { found: u32, known: u32 },
}

/// A handle to the embedded database. One connection behind a mutex: SQLite serialises
/// writers anyway, and one writer keeps every sync batch a single ordered transaction.
#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens (creating if needed) and migrates the database at `path`.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let mut conn = Connection::open(path)?;
        // WAL lets readers run beside the writer; synchronous=FULL makes a reply sent after
        // COMMIT survive a power cut or kill -9 (an acknowledged mutation is never lost).
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrations::run(&mut conn)?;
        Ok(Db { conn: Arc::new(Mutex::new(conn)) })
    }

    /// Runs `f` with the connection on a blocking thread, keeping the async runtime free.
    pub async fn call<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock poisons it; the connection itself is still
            // consistent (SQLite rolls back the open transaction), so keep serving.
            let mut guard = conn.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut guard)
        })
        .await
        .map_err(|e| DbError::Worker(e.to_string()))?
    }

    /// The schema version the database has been migrated to.
    pub async fn schema_version(&self) -> Result<u32, DbError> {
        self.call(|c| Ok(migrations::current_version(c)?)).await
    }

    /// The journal mode in force, for health checks and tests ("wal" expected).
    pub async fn journal_mode(&self) -> Result<String, DbError> {
        self.call(|c| Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?)).await
    }
}
