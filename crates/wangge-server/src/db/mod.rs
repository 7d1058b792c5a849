//! Storage: the only module that writes SQL. Everything above it calls `Db`'s methods, so
//! replacing SQLite with PostgreSQL later means reimplementing this module, nothing else.

mod accounts;
mod admin;
mod apply;
mod backup;
mod batch_fetch;
mod batch_reads;
#[cfg(test)]
mod batch_reads_tests;
mod ctx;
mod emergencies;
mod export;
mod feed;
mod grids;
#[cfg(test)]
mod group_tests;
mod handoffs;
mod handover;
mod import;
#[cfg(test)]
mod member_fields_tests;
pub mod migrate;
mod migrate_catalog;
mod migrations;
mod moves;
mod pg;
mod pg_conn;
mod pg_io;
mod pg_pipeline;
mod pg_rows;
mod pg_text;
mod photos;
#[cfg(test)]
mod pipeline_tests;
mod pull;
mod push;
mod put_checks;
mod readers;
mod references;
mod row_writes;
mod seed;
mod settle;
pub mod sql;
mod sql_stmt;
mod sql_values;
mod store;
mod tasks;
mod undelete;
mod users;
mod writer;

use std::path::Path;
use std::sync::Arc;

use sql::Conn;
use wangge_core::sync::PullResponse;

use crate::account::{Caller, NewUser, User, UserSummary};
pub use accounts::{AccountChange, NewAccount};
pub use admin::{AccountInfo, Actor, AdminAction, AdminDone, DeviceInfo, Refusal};
pub use backup::{restore, Restored};
pub(crate) use export::{ExportRecord, ExportRefusal};
pub use grids::{GridChange, GridInfo, NewGrid};
pub use handover::HandoverDone;
pub(crate) use import::{Counted, ImportFile, ImportRefusal};
pub use pg::Database;
pub(crate) use photos::NewPhoto;
use push::PushMember;
pub(crate) use push::{PushBatch, PushItem, PushOutcome};
use readers::Readers;
pub use seed::Dataset;
pub use undelete::UndeleteRefusal;
pub(crate) use users::TokenCheck;
use writer::{Job, Reply, WriteMember, Writer};

/// What a checked operation answers: the outer error is the database failing (a 500), the
/// inner one the caller's request refused for a reason they can act on (`R`, a 4xx).
pub type Answer<T, R> = Result<Result<T, R>, DbError>;

/// Errors from the storage layer. Handlers turn them into a generic 500 and log the detail.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("postgres: {}", pg::detail(.0))]
    Postgres(#[from] tokio_postgres::Error),
    /// A query that must return a row returned none (`sql::OptionalExtension` makes it
    /// `None` where none is a valid answer).
    #[error("the query returned no row")]
    NoRow,
    #[error("database worker thread failed: {0}")]
    Worker(String),
    /// The transaction a write was grouped into did not commit (the detail is logged once,
    /// by the writer, for the whole group).
    #[error("the write group did not commit: {0}")]
    Group(String),
    #[error("database is at schema version {found}, newer than this server knows ({known})")]
    TooNew { found: u32, known: u32 },
    /// An operator's command that cannot be carried out as asked (a backup over an
    /// existing file, a restore while the server runs); nothing was changed.
    #[error("{0}")]
    Refused(String),
    /// Stored data that should be valid is not (never caused by a request's input).
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
}

/// The SQLite file's name inside a data folder.
pub const SQLITE_FILE: &str = "wangge.sqlite3";

/// The writer's SQLite connection, set up for durability and for readers beside it.
fn open_sqlite(path: &Path) -> Result<rusqlite::Connection, DbError> {
    let conn = rusqlite::Connection::open(path)?;
    // WAL lets readers run beside the writer; synchronous=FULL makes a reply sent after
    // COMMIT survive a power cut or kill -9 (an acknowledged mutation is never lost).
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    // Savepoint journals in memory rather than temporary files (one savepoint per push),
    // and a page cache that holds the hot part of the indexes (default 2 MB).
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.pragma_update(None, "cache_size", -65_536)?;
    Ok(conn)
}

fn reader_count() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get()).clamp(2, 8)
}

/// A handle to the embedded database: one writer thread that owns the only connection
/// allowed to write and commits pushes in groups (`writer.rs`), and a few read-only
/// connections for pulls and lookups (`readers.rs`). Cheap to clone; the writer stops
/// when the last clone is dropped.
#[derive(Clone)]
pub struct Db {
    writer: Arc<Writer>,
    readers: Arc<Readers>,
}

impl Db {
    /// Opens (creating if needed) and migrates the SQLite database at `path`.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let mut conn = Conn::sqlite(open_sqlite(path)?);
        migrations::run(&mut conn)?;
        // Reads are short; a few connections keep a long pull from holding up token checks.
        let readers = Readers::open(path, reader_count())?;
        Ok(Db { writer: Arc::new(Writer::start(conn)?), readers: Arc::new(readers) })
    }

    /// Opens and migrates the database `database` names, on either engine.
    pub fn open_database(database: &Database) -> Result<Db, DbError> {
        match database {
            Database::Sqlite(path) => Db::open(path),
            Database::Postgres(url) => {
                let mut conn = pg::connect(url, pg::Role::Writer)?;
                migrations::run(&mut conn)?;
                let readers = Readers::new((0..reader_count()).map(|_| pg::connect(url, pg::Role::Reader)))?;
                Ok(Db { writer: Arc::new(Writer::start(conn)?), readers: Arc::new(readers) })
            }
        }
    }

    /// Runs `f` alone on the writer's connection, between groups, with no transaction
    /// open (maintenance, such as a WAL checkpoint).
    pub async fn call<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T, DbError> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.writer.send(Job::Exclusive(Box::new(move |c| Reply::Async(tx).send(f(c)))))?;
        rx.await.map_err(|_| stopped())?
    }

    /// The same as [`Db::call`] for callers outside an async runtime (the CLI).
    pub fn call_blocking<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T, DbError> + Send + 'static,
    {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.writer.send(Job::Exclusive(Box::new(move |c| Reply::Blocking(tx).send(f(c)))))?;
        rx.recv().map_err(|_| stopped())?
    }

    /// A small write, grouped with whatever else is queued; returns after its COMMIT.
    async fn write<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnMut(&Conn) -> Result<T, DbError> + Send + 'static,
    {
        self.queue(WriteMember::job, f).await
    }

    /// A small write that may change the grid tree: the writer forgets its cached tree
    /// before it, and (being a job of the group) the next push rebuilds it.
    async fn write_grids<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnMut(&Conn) -> Result<T, DbError> + Send + 'static,
    {
        self.queue(WriteMember::grid_job, f).await
    }

    /// Queues `f` as the job `make` builds and waits for the group's COMMIT.
    async fn queue<T, F>(&self, make: fn(F, Reply<T>) -> Job, f: F) -> Result<T, DbError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.writer.send(make(f, Reply::Async(tx)))?;
        rx.await.map_err(|_| stopped())?
    }

    fn write_blocking<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnMut(&Conn) -> Result<T, DbError> + Send + 'static,
    {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        self.writer.send(WriteMember::job(f, Reply::Blocking(tx)))?;
        rx.recv().map_err(|_| stopped())?
    }

    /// Runs `f` on a read-only connection on a blocking thread, keeping the runtime free.
    async fn read<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> Result<T, DbError> + Send + 'static,
    {
        let readers = Arc::clone(&self.readers);
        tokio::task::spawn_blocking(move || readers.with(f)).await.map_err(|e| DbError::Worker(e.to_string()))?
    }

    /// The schema version the database has been migrated to.
    pub async fn schema_version(&self) -> Result<u32, DbError> {
        self.read(|c| migrations::current_version(c)).await
    }

    /// The journal mode in force, for health checks and tests ("wal" expected).
    pub async fn journal_mode(&self) -> Result<String, DbError> {
        self.read(|c| match c.dialect() {
            sql::Dialect::Sqlite => c.query_value("PRAGMA journal_mode", sql::params![]),
            // Not a SQLite file: PostgreSQL keeps its own write-ahead log.
            sql::Dialect::Postgres => Ok("postgres".into()),
        })
        .await
    }

    /// Creates an account; false if the username is taken. Hash the password first
    /// ([`crate::auth::hash_password`]): the database never sees it.
    pub fn add_user(&self, user: &NewUser, password_hash: &str) -> Result<bool, DbError> {
        let (user, hash) = (user.clone(), password_hash.to_string());
        self.write_blocking(move |c| users::add_user(c, &user, &hash, crate::now_millis()))
    }

    pub fn list_users(&self) -> Result<Vec<UserSummary>, DbError> {
        self.readers.with(|c| users::list_users(c))
    }

    /// Loads a data set as server records after what is stored (alone: it is one big
    /// transaction of its own).
    pub fn load_dataset(&self, data: &Dataset) -> Result<u64, DbError> {
        let data = data.clone();
        self.call_blocking(move |c| seed::load(c, &data))
    }

    /// `init`: the district's root grid and its first administrator (with the person
    /// record), in one transaction that first checks the database holds nothing.
    pub fn init_district(
        &self,
        grid: wangge_core::grid::Grid,
        user: NewUser,
        password_hash: String,
    ) -> Result<(), DbError> {
        self.call_blocking(move |c| {
            let tx = c.transaction()?;
            if !seed::is_empty(&tx)? || !users::list_users(&tx)?.is_empty() {
                return Err(DbError::Refused("the database already holds data; nothing was changed".into()));
            }
            let Ok(serde_json::Value::Object(fields)) = serde_json::to_value(&grid) else {
                return Err(DbError::Corrupt("a grid does not serialise to an object".into()));
            };
            let mut feed = feed::Feed::open(&tx, "init".into())?;
            feed.put("grids", grid.id.as_str(), grid.id.as_str(), &fields)?;
            feed.close()?;
            if !users::add_user(&tx, &user, &password_hash, crate::now_millis())? {
                return Err(DbError::Refused(format!("username {} is taken", user.username)));
            }
            let detail = format!("{{\"grid\":\"{}\",\"person_id\":\"{}\"}}", grid.id, user.person_id);
            admin::write_log(
                &tx,
                &Actor::Cli,
                "init",
                Some(&user.username),
                Some(grid.id.as_str()),
                Some(detail),
                crate::now_millis(),
            )?;
            tx.commit()?;
            Ok(())
        })
    }

    /// Whether a live record with this id exists (the CLI checks a new user's grid).
    pub fn has_record(&self, collection: &str, id: &str) -> Result<bool, DbError> {
        self.readers.with(|c| Ok(store::record_row(c, collection, id)?.is_some_and(|r| !r.deleted)))
    }

    /// True if no record was ever stored.
    pub fn is_empty(&self) -> Result<bool, DbError> {
        self.readers.with(|c| seed::is_empty(c))
    }

    /// The user, their password hash and whether the account is active.
    pub(crate) async fn login_lookup(&self, username: String) -> Result<Option<(User, String, bool)>, DbError> {
        self.read(move |c| users::login_lookup(c, &username)).await
    }

    pub(crate) async fn create_device(
        &self,
        device_id: String,
        username: String,
        name: String,
        token_hash: Vec<u8>,
    ) -> Result<(), DbError> {
        let now = crate::now_millis();
        self.write(move |c| users::create_device(c, &device_id, &username, &name, &token_hash, now)).await
    }

    /// Who holds the token; records the device as seen (at most once a minute). A token
    /// unused for longer than `idle` is expired.
    pub(crate) async fn check_token(
        &self,
        token_hash: Vec<u8>,
        now: i64,
        idle: std::time::Duration,
    ) -> Result<TokenCheck, DbError> {
        let idle_ms = i64::try_from(idle.as_millis()).unwrap_or(i64::MAX);
        let (check, stale) = self.read(move |c| users::check_token(c, &token_hash, now, idle_ms)).await?;
        if let (TokenCheck::Valid(caller), true) = (&check, stale) {
            let device_id = caller.device_id.clone();
            self.write(move |c| users::touch_device(c, &device_id, now)).await?;
        }
        Ok(check)
    }

    /// Logout: revokes the calling device's own token.
    pub(crate) async fn revoke_device(&self, device_id: String) -> Result<(), DbError> {
        let now = crate::now_millis();
        self.write(move |c| users::revoke_device(c, &device_id, now)).await.map(drop)
    }

    /// Applies one push batch as a member of the writer's next group (under its own
    /// savepoint); returns only after the COMMIT that holds it.
    pub(crate) async fn push(&self, caller: Caller, batch: PushBatch) -> Result<PushOutcome, DbError> {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.writer.send(Job::Member(Box::new(PushMember::new(caller, batch, Reply::Async(tx)))))?;
        rx.await.map_err(|_| stopped())?
    }

    /// What an export of `kind` needs from the caller's subtree (or `grid`'s, within it).
    pub(crate) async fn export_data(
        &self,
        user: User,
        kind: crate::export::Kind,
        grid: Option<wangge_core::GridId>,
    ) -> Answer<crate::export::Scoped, ExportRefusal> {
        self.read(move |c| export::read(c, &user, kind, grid.as_ref())).await
    }

    /// Records one export in `export_log` (returns after its COMMIT).
    pub(crate) async fn log_export(&self, caller: Caller, record: ExportRecord) -> Result<(), DbError> {
        let now = crate::now_millis();
        self.write(move |c| export::write_log(c, &caller, &record, now)).await
    }

    /// The newest exports within the administrator's subtree.
    pub(crate) async fn export_log(&self, user: User, limit: u32) -> Result<Vec<crate::export::ExportLogged>, DbError> {
        self.read(move |c| export::read_log(c, &user, limit)).await
    }

    /// One page of the caller's feed after `cursor`.
    pub(crate) async fn pull(&self, user: User, cursor: u64, limit: u32) -> Result<PullResponse, DbError> {
        self.read(move |c| pull::pull(c, &user, cursor, limit)).await
    }
}

fn stopped() -> DbError {
    DbError::Worker("the database writer stopped before answering".into())
}
