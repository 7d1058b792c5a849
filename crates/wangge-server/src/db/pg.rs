//! Which database a server runs on, and PostgreSQL's connections: each a
//! `tokio-postgres` client whose connection is driven by a small runtime on a thread of
//! its own, so the storage threads (the writer, the readers, the CLI) wait on their
//! statements with [`wait`] and never enter the server's runtime. `--database` takes
//! `sqlite:DIR` (the embedded default: `DIR/wangge.sqlite3`) or a `postgres://` URL; with
//! PostgreSQL several server processes can share one database (the writer's transaction
//! locks the version counter, `sql.rs`, so they write one after the other).

use std::future::Future;
use std::path::PathBuf;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use super::sql::Conn;
use super::DbError;

/// The database a server opens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// The SQLite file at this path.
    Sqlite(PathBuf),
    /// A PostgreSQL connection URL (`postgres://user@host:port/db`).
    Postgres(String),
}

impl Database {
    /// Reads `--database`: `sqlite:DIR` or `postgres://…` / `postgresql://…`.
    pub fn parse(text: &str) -> Result<Database, String> {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            text.parse::<tokio_postgres::Config>().map_err(|e| format!("--database: not a PostgreSQL URL: {e}"))?;
            return Ok(Database::Postgres(text.to_string()));
        }
        match text.strip_prefix("sqlite:") {
            Some(dir) if !dir.is_empty() => Ok(Database::Sqlite(PathBuf::from(dir).join(super::SQLITE_FILE))),
            _ => Err(format!("--database: expected sqlite:DIR or postgres://…, not {text:?}")),
        }
    }

    /// Said in logs and the start-up line: the URL without its password.
    pub fn describe(&self) -> String {
        match self {
            Database::Sqlite(path) => format!("sqlite:{}", path.display()),
            Database::Postgres(url) => match url.split_once('@') {
                Some((user, host)) => {
                    let user = user.split_once(':').map_or(user, |(u, _)| u);
                    let user = user.rsplit_once(':').map_or(user, |(scheme, _)| scheme);
                    format!("{user}@{host}")
                }
                None => url.clone(),
            },
        }
    }
}

/// What a connection is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// The one connection of this process that writes.
    Writer,
    /// A reader: read-only by default, so a write slipped onto it is an error.
    Reader,
}

pub(super) fn connect(url: &str, role: Role) -> Result<Conn, DbError> {
    Ok(Conn::postgres(open_client(url, role)?, url.to_string(), role))
}

/// A client on a new connection, set up for `role` (also used to reconnect, `sql.rs`).
pub(super) fn open_client(url: &str, role: Role) -> Result<tokio_postgres::Client, DbError> {
    let config: tokio_postgres::Config =
        url.parse().map_err(|e| DbError::Refused(format!("not a PostgreSQL URL: {e}")))?;
    let (sent, received) = std::sync::mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("wangge-pg".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(e) => return drop(sent.send(Err(DbError::Worker(format!("a PostgreSQL thread: {e}"))))),
            };
            runtime.block_on(async move {
                match config.connect(tokio_postgres::NoTls).await {
                    Ok((client, connection)) => {
                        let _ = sent.send(Ok(client));
                        // Runs until the client is dropped (or the server goes away; the
                        // client's next statement then fails and says so).
                        if let Err(e) = connection.await {
                            tracing::warn!(error = %e, "a PostgreSQL connection ended");
                        }
                    }
                    Err(e) => drop(sent.send(Err(DbError::from(e)))),
                }
            });
        })
        .map_err(|e| DbError::Worker(format!("start a PostgreSQL thread: {e}")))?;
    let client = received.recv().map_err(|_| DbError::Worker("the PostgreSQL thread stopped".into()))??;
    // Times in UTC and text in UTF-8, whatever the cluster's defaults.
    wait(client.batch_execute("SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'"))?;
    if role == Role::Reader {
        wait(client.batch_execute("SET default_transaction_read_only = on"))?;
    }
    Ok(client)
}

/// Waits for `future` on the calling thread. A client's futures only exchange messages
/// with the connection's own thread, so they need no runtime here.
pub(super) fn wait<F: Future>(future: F) -> F::Output {
    struct Unpark(std::thread::Thread);
    impl Wake for Unpark {
        fn wake(self: Arc<Self>) {
            self.0.unpark();
        }
    }
    let waker = Waker::from(Arc::new(Unpark(std::thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        std::thread::park();
    }
}

/// What PostgreSQL said, for the log: the server's message and where, not just "db error".
pub(super) fn detail(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!(
            "{} ({}){}",
            db.message(),
            db.code().code(),
            db.detail().map(|d| format!(": {d}")).unwrap_or_default()
        ),
        None => e.to_string(),
    }
}
