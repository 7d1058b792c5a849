//! The PostgreSQL side of [`Conn`](super::sql::Conn): the client, the connection this
//! thread drives (`pg_io.rs`), the statements prepared on it and the writes queued to go
//! out with the next statement (`pg_pipeline.rs`).

use std::cell::{Cell as Flag, Ref, RefCell};
use std::collections::HashMap;

use super::pg_io;
use super::pg_pipeline::{self, Deferred};
use super::pg_rows::GatheredRows;
use super::pg_text;
use super::sql_values::Value;
use super::DbError;

pub(super) struct PgConn {
    pub(super) client: RefCell<tokio_postgres::Client>,
    /// The connection the client's requests go through, driven by whichever thread
    /// waits for an answer (`pg_io.rs`); `None` once PostgreSQL ended it.
    pub(super) driver: RefCell<Option<pg_io::Driver>>,
    /// Its socket, read ahead while waiting.
    pub(super) socket: RefCell<pg_io::Socket>,
    /// To open a new connection when PostgreSQL dropped this one (a restart, a failover,
    /// an idle timeout in a proxy): the next statement outside a transaction reconnects.
    pub(super) url: String,
    pub(super) role: super::pg::Role,
    /// Prepared statements by their SQLite-style text: a statement is parsed and planned
    /// once per connection, as rusqlite's `prepare_cached` does.
    pub(super) statements: RefCell<HashMap<String, tokio_postgres::Statement>>,
    /// Whether a transaction is open (PostgreSQL's client does not say).
    pub(super) in_transaction: Flag<bool>,
    /// Writes of the open transaction waiting to go out with the next statement
    /// ([`Conn::execute_later`](super::sql::Conn::execute_later)).
    pub(super) deferred: RefCell<Vec<Deferred>>,
    /// Rows gathered for one statement per kind (`pg_rows.rs`), newer than `deferred`.
    pub(super) gathered: RefCell<GatheredRows>,
    /// Requests sent: each waited for, and each queued write that went out ahead of one.
    pub(super) sent: Flag<u64>,
    /// Requests waited for ([`Conn::round_trips`](super::sql::Conn::round_trips)).
    pub(super) round_trips: Flag<u64>,
}

impl PgConn {
    /// The client, on a new connection if the old one is gone and no transaction was open
    /// on it (one that was is lost with it: its statements fail, and the caller rolls back).
    pub(super) fn live(&self) -> Result<Ref<'_, tokio_postgres::Client>, DbError> {
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

    /// Waits for `request` of `client` (this connection's), sending the queued writes
    /// ahead of it in the same round trip; the first of theirs to fail is the answer.
    pub(super) fn run<'a, T: 'a>(
        &'a self,
        client: &'a tokio_postgres::Client,
        request: impl std::future::Future<Output = Result<T, tokio_postgres::Error>> + 'a,
    ) -> Result<T, DbError> {
        self.queue_gathered(client)?;
        let queued = self.deferred.take();
        self.sent.set(self.sent.get() + queued.len() as u64);
        if queued.is_empty() {
            return Ok(self.wait(request)?);
        }
        self.wait(pg_pipeline::with_queued(client, &queued, request))
    }

    /// Waits for a request of this connection's client, driving the connection meanwhile.
    pub(super) fn wait<F: std::future::Future>(&self, request: F) -> F::Output {
        self.round_trips.set(self.round_trips.get() + 1);
        self.sent.set(self.sent.get() + 1);
        pg_io::wait(&mut self.driver.borrow_mut(), &self.socket.borrow(), request)
    }

    /// The live client and `sql` prepared on it (once per connection, then cached).
    pub(super) fn prepared(
        &self,
        sql: &str,
    ) -> Result<(Ref<'_, tokio_postgres::Client>, tokio_postgres::Statement), DbError> {
        let client = self.live()?;
        let stmt = self.prepared_on(&client, sql)?;
        Ok((client, stmt))
    }

    /// `sql` prepared on `client` (this connection's live client), once per connection.
    pub(super) fn prepared_on(
        &self,
        client: &tokio_postgres::Client,
        sql: &str,
    ) -> Result<tokio_postgres::Statement, DbError> {
        if let Some(stmt) = self.statements.borrow().get(sql) {
            return Ok(stmt.clone());
        }
        let stmt = self.wait(client.prepare(&pg_text::translate(sql)))?;
        self.statements.borrow_mut().insert(sql.to_string(), stmt.clone());
        Ok(stmt)
    }
}

pub(super) fn pg_params<'a>(params: &'a [Value<'a>]) -> Vec<&'a (dyn tokio_postgres::types::ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync)).collect()
}
