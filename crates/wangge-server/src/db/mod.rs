//! Storage: the only module that writes SQL. Everything above it calls `Db`'s methods, so
//! replacing SQLite with PostgreSQL later means reimplementing this module, nothing else.

mod apply;
mod ctx;
mod migrations;
mod moves;
mod pull;
mod push;
mod seed;
mod settle;
mod store;
mod users;

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::Connection;
use wangge_core::sync::PullResponse;

use crate::account::{Caller, NewUser, User, UserSummary};
pub(crate) use push::{PushBatch, PushItem, PushOutcome};
pub use seed::Dataset;
pub(crate) use users::TokenCheck;

/// Errors from the storage layer. Handlers turn them into a generic 500 and log the detail.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database worker thread failed: {0}")]
    Worker(String),
    #[error("database is at schema version {found}, newer than this server knows ({known})")]
    TooNew { found: u32, known: u32 },
    /// Stored data that should be valid is not (never caused by a request's input).
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
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

    /// The same as [`Db::call`] for callers outside an async runtime (the CLI).
    pub fn call_blocking<T>(&self, f: impl FnOnce(&mut Connection) -> Result<T, DbError>) -> Result<T, DbError> {
        let mut guard = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut guard)
    }

    /// The schema version the database has been migrated to.
    pub async fn schema_version(&self) -> Result<u32, DbError> {
        self.call(|c| Ok(migrations::current_version(c)?)).await
    }

    /// The journal mode in force, for health checks and tests ("wal" expected).
    pub async fn journal_mode(&self) -> Result<String, DbError> {
        self.call(|c| Ok(c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?)).await
    }

    /// Creates an account; false if the username is taken. Hash the password first
    /// ([`crate::auth::hash_password`]): the database never sees it.
    pub fn add_user(&self, user: &NewUser, password_hash: &str) -> Result<bool, DbError> {
        self.call_blocking(|c| users::add_user(c, user, password_hash, crate::now_millis()))
    }

    pub fn list_users(&self) -> Result<Vec<UserSummary>, DbError> {
        self.call_blocking(|c| users::list_users(c))
    }

    /// Loads a data set as server records after what is stored.
    pub fn load_dataset(&self, data: &Dataset) -> Result<u64, DbError> {
        self.call_blocking(|c| seed::load(c, data))
    }

    /// Whether a live record with this id exists (the CLI checks a new user's grid).
    pub fn has_record(&self, collection: &str, id: &str) -> Result<bool, DbError> {
        self.call_blocking(|c| Ok(store::record_row(c, collection, id)?.is_some_and(|r| !r.deleted)))
    }

    /// True if no record was ever stored.
    pub fn is_empty(&self) -> Result<bool, DbError> {
        self.call_blocking(|c| seed::is_empty(c))
    }

    pub(crate) async fn login_lookup(&self, username: String) -> Result<Option<(User, String)>, DbError> {
        self.call(move |c| users::login_lookup(c, &username)).await
    }

    pub(crate) async fn create_device(&self, device_id: String, username: String, name: String, token_hash: Vec<u8>) -> Result<(), DbError> {
        let now = crate::now_millis();
        self.call(move |c| users::create_device(c, &device_id, &username, &name, &token_hash, now)).await
    }

    pub(crate) async fn check_token(&self, token_hash: Vec<u8>, now: i64) -> Result<TokenCheck, DbError> {
        self.call(move |c| users::check_token(c, &token_hash, now)).await
    }

    pub(crate) async fn revoke_device(&self, device_id: String) -> Result<(), DbError> {
        let now = crate::now_millis();
        self.call(move |c| users::revoke_device(c, &device_id, now)).await
    }

    /// Applies one push batch in one transaction, committed before this returns.
    pub(crate) async fn push(&self, caller: Caller, batch: PushBatch) -> Result<PushOutcome, DbError> {
        self.call(move |c| push::push(c, &caller, batch)).await
    }

    /// One page of the caller's feed after `cursor`.
    pub(crate) async fn pull(&self, user: User, cursor: u64, limit: u32) -> Result<PullResponse, DbError> {
        self.call(move |c| pull::pull(c, &user, cursor, limit)).await
    }
}
