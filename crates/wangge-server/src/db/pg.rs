//! Which database a server runs on, and PostgreSQL's connections. `--database` takes
//! `sqlite:DIR` (the embedded default: `DIR/wangge.sqlite3`) or a `postgres://` URL; with
//! PostgreSQL several server processes can share one database (the writer's transaction
//! locks the version counter, `sql.rs`, so they write one after the other).

use std::path::PathBuf;

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
            text.parse::<postgres::Config>().map_err(|e| format!("--database: not a PostgreSQL URL: {e}"))?;
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
    let mut client = postgres::Client::connect(url, postgres::NoTls)?;
    // Times in UTC, text in UTF-8, whatever the cluster's defaults.
    client.batch_execute("SET TIME ZONE 'UTC'; SET client_encoding = 'UTF8'")?;
    if role == Role::Reader {
        client.batch_execute("SET default_transaction_read_only = on")?;
    }
    Ok(Conn::postgres(client))
}
