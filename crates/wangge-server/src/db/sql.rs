//! The one connection type the storage layer writes SQL through, on either engine: SQLite
//! (rusqlite, the embedded default) or PostgreSQL (`tokio-postgres`, waited on by the
//! storage thread that calls it, `pg.rs`; the engine a city runs on). The storage code is written once against [`Conn`]: `?N`
//! placeholders, parameters as [`Value`]s, rows read as [`Cell`]s, and SQL both engines
//! accept (`ON CONFLICT … DO NOTHING`, not `INSERT OR IGNORE`). What still differs is
//! translated here, once per statement text (`pg_text.rs`), or asked for by name
//! ([`Conn::dialect`]) where a query has to be written twice.
//!
//! Every method takes `&self`, as rusqlite's do, so the storage functions pass `&Conn`
//! around.

use std::cell::{Cell as Flag, Ref, RefCell};
use std::collections::HashMap;

use super::pg_io;
use super::pg_text;
use super::DbError;

pub use super::sql_stmt::{OptionalExtension, Stmt, Tx};
pub use super::sql_values::{Cell, FromCell, Row, ToValue, Value};

/// Which engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A connection to either engine. Not `Sync`: one thread uses it at a time (the writer's
/// own, or a reader borrowed from its pool under a mutex).
pub struct Conn {
    inner: Inner,
}

enum Inner {
    Lite(rusqlite::Connection),
    // Boxed: far larger than a rusqlite handle, and there is one per connection anyway.
    Pg(Box<PgConn>),
}

struct PgConn {
    client: RefCell<tokio_postgres::Client>,
    /// The connection the client's requests go through, driven by whichever thread
    /// waits for an answer (`pg_io.rs`); `None` once PostgreSQL ended it.
    driver: RefCell<Option<pg_io::Driver>>,
    /// Its socket, read ahead while waiting.
    socket: RefCell<pg_io::Socket>,
    /// To open a new connection when PostgreSQL dropped this one (a restart, a failover,
    /// an idle timeout in a proxy): the next statement outside a transaction reconnects.
    url: String,
    role: super::pg::Role,
    /// Prepared statements by their SQLite-style text: a statement is parsed and planned
    /// once per connection, as rusqlite's `prepare_cached` does.
    statements: RefCell<HashMap<String, tokio_postgres::Statement>>,
    /// Whether a transaction is open (PostgreSQL's client does not say).
    in_transaction: Flag<bool>,
}

impl Conn {
    pub fn sqlite(conn: rusqlite::Connection) -> Conn {
        Conn { inner: Inner::Lite(conn) }
    }

    pub(super) fn postgres(opened: super::pg::Opened, url: String, role: super::pg::Role) -> Conn {
        let (client, driver, socket) = opened;
        Conn {
            inner: Inner::Pg(Box::new(PgConn {
                client: RefCell::new(client),
                driver: RefCell::new(Some(driver)),
                socket: RefCell::new(socket),
                url,
                role,
                statements: RefCell::new(HashMap::new()),
                in_transaction: Flag::new(false),
            })),
        }
    }

    /// A new connection to `database` (SQLite: the file, created if missing).
    pub fn open(database: &super::Database) -> Result<Conn, DbError> {
        match database {
            super::Database::Sqlite(path) => Ok(Conn::sqlite(rusqlite::Connection::open(path)?)),
            super::Database::Postgres(url) => super::pg::connect(url, super::pg::Role::Writer),
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self.inner {
            Inner::Lite(_) => Dialect::Sqlite,
            Inner::Pg(_) => Dialect::Postgres,
        }
    }

    /// The SQLite connection, for what only SQLite has (pragmas, the online backup).
    pub fn as_sqlite(&self) -> Option<&rusqlite::Connection> {
        match &self.inner {
            Inner::Lite(c) => Some(c),
            Inner::Pg(_) => None,
        }
    }

    pub fn as_sqlite_mut(&mut self) -> Option<&mut rusqlite::Connection> {
        match &mut self.inner {
            Inner::Lite(c) => Some(c),
            Inner::Pg(_) => None,
        }
    }

    /// Runs one statement; the number of rows it changed.
    pub fn execute(&self, sql: &str, params: &[Value<'_>]) -> Result<usize, DbError> {
        match &self.inner {
            Inner::Lite(c) => Ok(c.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params))?),
            Inner::Pg(pg) => {
                let (client, stmt) = pg.prepared(sql)?;
                let n = pg.wait(client.execute(&stmt, &pg_params(params)))?;
                Ok(usize::try_from(n).unwrap_or(usize::MAX))
            }
        }
    }

    /// Runs several statements separated by `;`, without parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<(), DbError> {
        match &self.inner {
            Inner::Lite(c) => Ok(c.execute_batch(sql)?),
            Inner::Pg(pg) => Ok(pg.wait(pg.live()?.batch_execute(sql))?),
        }
    }

    /// Every row `sql` returns, each turned into a `T` by `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[Value<'_>],
        mut f: impl FnMut(&Row) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        match &self.inner {
            Inner::Lite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let width = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
                let mut out = Vec::new();
                while let Some(row) = rows.next()? {
                    out.push(f(&Row::from_sqlite(row, width)?)?);
                }
                Ok(out)
            }
            Inner::Pg(pg) => {
                let (client, stmt) = pg.prepared(sql)?;
                let rows = pg.wait(client.query(&stmt, &pg_params(params)))?;
                rows.iter().map(|r| f(&Row::from_postgres(r)?)).collect()
            }
        }
    }

    /// The first row `sql` returns, if any.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[Value<'_>],
        f: impl FnOnce(&Row) -> Result<T, DbError>,
    ) -> Result<Option<T>, DbError> {
        match &self.inner {
            Inner::Lite(c) => {
                let mut stmt = c.prepare_cached(sql)?;
                let width = stmt.column_count();
                let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
                match rows.next()? {
                    Some(row) => Ok(Some(f(&Row::from_sqlite(row, width)?)?)),
                    None => Ok(None),
                }
            }
            Inner::Pg(pg) => {
                let (client, stmt) = pg.prepared(sql)?;
                let row = pg.wait(client.query_opt(&stmt, &pg_params(params)))?;
                row.map(|r| f(&Row::from_postgres(&r)?)).transpose()
            }
        }
    }

    /// The one row `sql` must return: [`DbError::NoRow`] if none (`.optional()` turns
    /// that into `None`, as with rusqlite).
    pub fn query_row<T>(
        &self,
        sql: &str,
        params: &[Value<'_>],
        f: impl FnOnce(&Row) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.query_opt(sql, params, f)?.ok_or(DbError::NoRow)
    }

    /// A statement to run once or several times: the text is prepared (and cached) by the
    /// connection on first use, so this only holds it.
    pub fn prepare_cached<'c>(&'c self, sql: &'c str) -> Result<Stmt<'c>, DbError> {
        Ok(Stmt { conn: self, sql })
    }

    /// The same as [`Conn::prepare_cached`] (every statement is cached).
    pub fn prepare<'c>(&'c self, sql: &'c str) -> Result<Stmt<'c>, DbError> {
        self.prepare_cached(sql)
    }

    /// The first column of the one row `sql` returns.
    pub fn query_value<T: FromCell>(&self, sql: &str, params: &[Value<'_>]) -> Result<T, DbError> {
        self.query_row(sql, params, |r| r.get(0))
    }

    /// Whether `sql` returns any row.
    pub fn exists(&self, sql: &str, params: &[Value<'_>]) -> Result<bool, DbError> {
        Ok(self.query_opt(sql, params, |_| Ok(()))?.is_some())
    }

    /// A savepoint statement, run for every member of a writer group: SQLite keeps it
    /// prepared (parsing it showed in profiles); PostgreSQL takes it as a simple query.
    pub fn control(&self, sql: &str) -> Result<(), DbError> {
        match &self.inner {
            Inner::Lite(c) => Ok(c.prepare_cached(sql)?.execute([]).map(drop)?),
            Inner::Pg(pg) => Ok(pg.wait(pg.live()?.batch_execute(sql))?),
        }
    }

    /// Opens a write transaction: SQLite's `BEGIN IMMEDIATE` (take the write lock now,
    /// not at the first write). On PostgreSQL it also locks the version counter's row, so
    /// writers — in this process or another against the same database — run one after
    /// the other: versions are then handed out in commit order, and a pull that has seen
    /// version N can never miss an N−1 committed later (the cursor never skips a change).
    pub fn begin_write(&self) -> Result<(), DbError> {
        self.begin("BEGIN IMMEDIATE", "BEGIN; SELECT value FROM version_counter WHERE id = 1 FOR UPDATE")
    }

    /// Opens a read transaction: every statement until it ends sees one snapshot.
    pub fn begin_read(&self) -> Result<(), DbError> {
        self.begin("BEGIN", "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
    }

    fn begin(&self, lite: &str, pg_sql: &str) -> Result<(), DbError> {
        match &self.inner {
            Inner::Lite(c) => Ok(c.execute_batch(lite)?),
            Inner::Pg(pg) => {
                let result = pg.wait(pg.live()?.batch_execute(pg_sql));
                // Open even if the batch failed after its BEGIN (the lock wait cancelled,
                // say): end it here, or every later statement would run in an aborted one.
                pg.in_transaction.set(true);
                if result.is_err() {
                    let _ = self.rollback();
                }
                Ok(result?)
            }
        }
    }

    pub fn commit(&self) -> Result<(), DbError> {
        self.finish("COMMIT")
    }

    pub fn rollback(&self) -> Result<(), DbError> {
        self.finish("ROLLBACK")
    }

    fn finish(&self, sql: &str) -> Result<(), DbError> {
        match &self.inner {
            Inner::Lite(c) => Ok(c.execute_batch(sql)?),
            Inner::Pg(pg) => {
                // Whatever the outcome, the transaction is over (a failed COMMIT rolls back).
                pg.in_transaction.set(false);
                // Never on a new connection: a COMMIT there would "succeed" with nothing
                // to commit, and a lost transaction would be acknowledged.
                Ok(pg.wait(pg.client.borrow().batch_execute(sql))?)
            }
        }
    }

    /// True when no transaction is open (SQLite may roll one back by itself on an error).
    pub fn is_autocommit(&self) -> bool {
        match &self.inner {
            Inner::Lite(c) => c.is_autocommit(),
            Inner::Pg(pg) => !pg.in_transaction.get(),
        }
    }

    /// A write transaction that rolls back when dropped uncommitted.
    pub fn transaction(&self) -> Result<Tx<'_>, DbError> {
        self.begin_write()?;
        Ok(Tx { conn: self, open: true })
    }

    /// A read transaction (one snapshot) that ends when dropped.
    pub fn snapshot(&self) -> Result<Tx<'_>, DbError> {
        self.begin_read()?;
        Ok(Tx { conn: self, open: true })
    }
}

impl PgConn {
    /// The client, on a new connection if the old one is gone and no transaction was open
    /// on it (one that was is lost with it: its statements fail, and the caller rolls back).
    fn live(&self) -> Result<Ref<'_, tokio_postgres::Client>, DbError> {
        if !self.in_transaction.get() && !pg_io::still_open(&mut self.driver.borrow_mut(), &self.socket.borrow()) {
            let (client, driver, socket) = super::pg::open_client(&self.url, self.role)?;
            *self.client.borrow_mut() = client;
            *self.driver.borrow_mut() = Some(driver);
            *self.socket.borrow_mut() = socket;
            self.statements.borrow_mut().clear();
            tracing::info!("reconnected to PostgreSQL");
        }
        Ok(self.client.borrow())
    }

    /// Waits for a request of this connection's client, driving the connection meanwhile.
    fn wait<F: std::future::Future>(&self, request: F) -> F::Output {
        pg_io::wait(&mut self.driver.borrow_mut(), &self.socket.borrow(), request)
    }

    /// The live client and `sql` prepared on it (once per connection, then cached).
    fn prepared(&self, sql: &str) -> Result<(Ref<'_, tokio_postgres::Client>, tokio_postgres::Statement), DbError> {
        let client = self.live()?;
        let cached = self.statements.borrow().get(sql).cloned();
        let stmt = match cached {
            Some(stmt) => stmt,
            None => {
                let stmt = self.wait(client.prepare(&pg_text::translate(sql)))?;
                self.statements.borrow_mut().insert(sql.to_string(), stmt.clone());
                stmt
            }
        };
        Ok((client, stmt))
    }
}

fn pg_params<'a>(params: &'a [Value<'a>]) -> Vec<&'a (dyn tokio_postgres::types::ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync)).collect()
}

/// `params![a, b, …]`: the parameters of one statement, each through [`ToValue`].
#[macro_export]
macro_rules! params {
    () => { &[] as &[$crate::db::sql::Value<'_>] };
    ($($p:expr),+ $(,)?) => { &[$($crate::db::sql::ToValue::to_value(&$p)),+] as &[$crate::db::sql::Value<'_>] };
}
pub use crate::params;
