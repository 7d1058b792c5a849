//! `push`: one batch of mutations from one client, in ONE transaction. A batch naming
//! another epoch is refused before anything is read or written. Seqs already stored
//! are answered again from the stored results (idempotent retries); a gap refuses the whole
//! batch before anything is written; every new seq is applied, conflicted or rejected, and
//! consumed either way, so a bad mutation never blocks the ones behind it.

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use wangge_core::grid::GridTree;
use wangge_core::sync::{check_seq, MutationResult, MutationStatus, Op, PushResponse, SeqDecision};

use super::ctx::{Ctx, Outcome};
use super::{apply, store, DbError};
use crate::account::Caller;
use crate::records::Rejection;

/// A push body after parsing: each mutation either a well-formed op or the reason it is not.
#[derive(Debug)]
pub(crate) struct PushBatch {
    pub(crate) client_id: String,
    /// The epoch the device expects, if it knows one.
    pub(crate) epoch: Option<String>,
    pub(crate) mutations: Vec<PushItem>,
}

#[derive(Debug)]
pub(crate) struct PushItem {
    pub(crate) seq: u64,
    pub(crate) op: Result<Op, Rejection>,
}

#[derive(Debug)]
pub(crate) enum PushOutcome {
    Done(PushResponse),
    /// The first new seq is not the next one: nothing was written.
    Gap { expected: u64 },
    /// The batch was built for another database (this one's epoch given): nothing written.
    EpochMismatch { epoch: String },
    /// The client id belongs to another user's device.
    NotYourClient,
}

pub(super) fn push(conn: &mut Connection, caller: &Caller, batch: PushBatch) -> Result<PushOutcome, DbError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    // Checked first: seqs and bases meant for another database mean nothing here, and
    // even the client row must not be created for them.
    let epoch = store::epoch(&tx)?;
    if batch.epoch.as_ref().is_some_and(|e| *e != epoch) {
        return Ok(PushOutcome::EpochMismatch { epoch });
    }
    let last = match client(&tx, &batch.client_id)? {
        Some((owner, _)) if owner != caller.user.username => return Ok(PushOutcome::NotYourClient),
        Some((_, last)) => last,
        None => {
            tx.execute(
                "INSERT INTO clients (client_id, username, last_seq) VALUES (?1, ?2, 0)",
                params![batch.client_id, caller.user.username],
            )?;
            0
        }
    };
    if let Some(expected) = first_gap(last, &batch.mutations) {
        return Ok(PushOutcome::Gap { expected });
    }
    let tree = GridTree::build(store::load_grids(&tx)?).map_err(|e| DbError::Corrupt(format!("grid tree: {}", e.code())))?;
    let version = store::read_counter(&tx)?;
    let mut ctx = Ctx { tx: &tx, caller, client_id: &batch.client_id, tree, version };
    let mut results = Vec::with_capacity(batch.mutations.len());
    let mut last_seq = last;
    for item in batch.mutations {
        if check_seq(last_seq, item.seq) == SeqDecision::Duplicate {
            results.push(stored_result(&tx, &batch.client_id, item.seq)?);
            continue;
        }
        let outcome = match item.op {
            Ok(op) => apply::apply(&mut ctx, op)?,
            Err(rejection) => Outcome::Rejected(rejection),
        };
        let result = to_result(item.seq, outcome);
        store_result(&tx, &batch.client_id, &result)?;
        results.push(result);
        last_seq = item.seq;
    }
    store::write_counter(&tx, ctx.version)?;
    tx.execute("UPDATE clients SET last_seq = ?2 WHERE client_id = ?1", params![batch.client_id, last_seq])?;
    tx.commit()?;
    Ok(PushOutcome::Done(PushResponse { results, acked_seq: last_seq, epoch }))
}

fn client(conn: &Connection, client_id: &str) -> Result<Option<(String, u64)>, DbError> {
    Ok(conn
        .query_row("SELECT username, last_seq FROM clients WHERE client_id = ?1", [client_id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?)
}

/// Walks the seqs as the loop will: the expected seq at the first gap, if any.
fn first_gap(mut last: u64, items: &[PushItem]) -> Option<u64> {
    for item in items {
        match check_seq(last, item.seq) {
            SeqDecision::Next => last = item.seq,
            SeqDecision::Duplicate => {}
            SeqDecision::Gap { expected } => return Some(expected),
        }
    }
    None
}

fn to_result(seq: u64, outcome: Outcome) -> MutationResult {
    let (status, detail) = match outcome {
        Outcome::Applied => (MutationStatus::Applied, None),
        Outcome::Conflict(r) => (MutationStatus::Conflict, Some(r)),
        Outcome::Rejected(r) => (MutationStatus::Rejected, Some(r)),
    };
    let (code, message) = detail.map(|r| (r.code, r.message)).unzip();
    MutationResult { seq, status, code, message }
}

fn status_code(status: MutationStatus) -> &'static str {
    match status {
        MutationStatus::Applied => "applied",
        MutationStatus::Conflict => "conflict",
        MutationStatus::Rejected => "rejected",
    }
}

fn store_result(conn: &Connection, client_id: &str, r: &MutationResult) -> Result<(), DbError> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO mutation_results (client_id, seq, status, code, message) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    stmt.execute(params![client_id, r.seq, status_code(r.status), r.code, r.message])?;
    Ok(())
}

/// The answer given when the seq was first stored (applied if, oddly, none was kept).
fn stored_result(conn: &Connection, client_id: &str, seq: u64) -> Result<MutationResult, DbError> {
    let mut stmt =
        conn.prepare_cached("SELECT status, code, message FROM mutation_results WHERE client_id = ?1 AND seq = ?2")?;
    let row: Option<(String, Option<String>, Option<String>)> =
        stmt.query_row(params![client_id, seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
    let Some((status, code, message)) = row else {
        return Ok(MutationResult { seq, status: MutationStatus::Applied, code: None, message: None });
    };
    let status = match status.as_str() {
        "conflict" => MutationStatus::Conflict,
        "rejected" => MutationStatus::Rejected,
        _ => MutationStatus::Applied,
    };
    Ok(MutationResult { seq, status, code, message })
}
