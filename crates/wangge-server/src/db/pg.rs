//! Which database a server runs on, and PostgreSQL's connections: each a
//! `tokio-postgres` client whose connection is driven by the storage thread waiting for
//! an answer (`pg_io.rs`), so nothing enters the server's runtime. `--database` takes
//! `sqlite:DIR` (the embedded default: `DIR/wangge.sqlite3`) or a `postgres://` URL; with
//! PostgreSQL several server processes can share one database (the writer's transaction
//! locks the version counter, `sql.rs`, so they write one after the other).

use std::path::PathBuf;

use super::pg_io;
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

/// A client, the connection behind it and its socket (`pg_io.rs`).
pub(super) type Opened = (tokio_postgres::Client, pg_io::Driver, pg_io::Socket);

/// A new connection, set up for `role` (also used to reconnect, `sql.rs`).
pub(super) fn open_client(url: &str, role: Role) -> Result<Opened, DbError> {
    let config: tokio_postgres::Config =
        url.parse().map_err(|e| DbError::Refused(format!("not a PostgreSQL URL: {e}")))?;
    let (client, driver, socket) = pg_io::connect(&config)?;
    let mut driver = Some(driver);
    // Times in UTC and text in UTF-8, whatever the cluster's defaults.
    let mut setup = String::from("SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'");
    if role == Role::Reader {
        setup.push_str("; SET default_transaction_read_only = on");
    }
    pg_io::wait(&mut driver, &socket, client.batch_execute(&setup))?;
    let driver = driver.ok_or_else(|| DbError::Worker("PostgreSQL closed the connection at start".into()))?;
    Ok((client, driver, socket))
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
