//! Writes whose answer nothing waits for, sent to PostgreSQL together with the next
//! statement that does need one. Inside a write transaction every statement was a round
//! trip of its own, and a push is mostly such writes (a record's fields, its row, an
//! event, the push's answers — gathered per kind first, `pg_rows.rs`): queued here
//! instead, they go out in one piece with the next read, or with the savepoint's RELEASE
//! or the COMMIT, and PostgreSQL runs them in order before it (its protocol answers
//! requests in the order they were sent).
//!
//! A queued write that fails fails the statement it went out with: the caller gets the
//! first failure, never a later statement's "transaction is aborted". The queue only
//! ever holds writes of the open transaction; a ROLLBACK drops it unsent.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, Statement};

use super::pg_rows::Array;
use super::sql_values::{OwnedValue, Value};
use super::DbError;

/// At most this many writes wait: their answers (a few dozen bytes each) must fit the
/// socket's buffers while the thread is still sending.
pub(super) const MAX_QUEUED: usize = 64;

/// One queued write.
pub(super) enum Deferred {
    /// A prepared statement and its parameters.
    Statement(Statement, Vec<OwnedValue>),
    /// A statement without parameters in the simple protocol (a SAVEPOINT).
    Simple(String),
    /// Gathered rows of one kind, one array per column (`pg_rows.rs`).
    Rows(Statement, Vec<Array>),
}

impl Deferred {
    pub(super) fn statement(stmt: Statement, params: &[Value<'_>]) -> Deferred {
        Deferred::Statement(stmt, params.iter().map(OwnedValue::from).collect())
    }
}

type Send<'a> = Pin<Box<dyn Future<Output = Result<(), tokio_postgres::Error>> + 'a>>;

/// The queued writes, then `request`: each is polled once, in order, before any is
/// waited for, so tokio-postgres puts them all on the wire at once, in this order.
pub(super) fn with_queued<'a, T: 'a>(
    client: &'a Client,
    queued: &'a [Deferred],
    request: impl Future<Output = Result<T, tokio_postgres::Error>> + 'a,
) -> impl Future<Output = Result<T, DbError>> + 'a {
    let sends: Vec<Option<Send<'a>>> = queued.iter().map(|d| Some(send(client, d))).collect();
    Pipeline { sends, failed: None, request: Box::pin(request), answer: None }
}

fn send<'a>(client: &'a Client, deferred: &'a Deferred) -> Send<'a> {
    match deferred {
        Deferred::Statement(stmt, params) => Box::pin(async move {
            let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
            client.execute(stmt, &refs).await.map(drop)
        }),
        Deferred::Simple(sql) => Box::pin(client.batch_execute(sql)),
        Deferred::Rows(stmt, arrays) => Box::pin(async move {
            let refs: Vec<&(dyn ToSql + Sync)> = arrays.iter().map(|a| a as &(dyn ToSql + Sync)).collect();
            client.execute(stmt, &refs).await.map(drop)
        }),
    }
}

struct Pipeline<'a, T> {
    /// `None` once answered.
    sends: Vec<Option<Send<'a>>>,
    /// The first queued write that failed.
    failed: Option<tokio_postgres::Error>,
    request: Pin<Box<dyn Future<Output = Result<T, tokio_postgres::Error>> + 'a>>,
    answer: Option<Result<T, tokio_postgres::Error>>,
}

// Nothing in it is pinned in place: the futures are boxed, the answer is only moved.
impl<T> Unpin for Pipeline<'_, T> {}

impl<T> Future for Pipeline<'_, T> {
    type Output = Result<T, DbError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        for slot in &mut this.sends {
            if let Some(Poll::Ready(result)) = slot.as_mut().map(|f| f.as_mut().poll(cx)) {
                *slot = None;
                if let (Err(e), None) = (result, &this.failed) {
                    this.failed = Some(e);
                }
            }
        }
        if this.answer.is_none() {
            if let Poll::Ready(answer) = this.request.as_mut().poll(cx) {
                this.answer = Some(answer);
            }
        }
        if this.sends.iter().any(Option::is_some) {
            return Poll::Pending;
        }
        match (this.failed.take(), this.answer.take()) {
            (Some(e), _) => Poll::Ready(Err(e.into())),
            (None, Some(answer)) => Poll::Ready(answer.map_err(DbError::from)),
            (None, None) => Poll::Pending,
        }
    }
}
