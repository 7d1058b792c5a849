//! `push`: one batch of mutations from one client, applied as one member of a writer group
//! (`writer.rs`): under its own savepoint inside the group's transaction, answered only
//! after that transaction committed. A batch naming another epoch is refused before
//! anything is read or written. The core's `plan_batch` walks the seqs: those already
//! stored are answered again from the stored results (idempotent retries); a gap refuses
//! the whole batch; every new seq is applied, conflicted or rejected (`apply.rs`), and
//! consumed either way, so a bad mutation never blocks the ones behind it. A refused batch
//! is rolled back to its savepoint: nothing of it is stored.

use std::borrow::Cow;

use super::sql::{params, Conn, OptionalExtension, ToValue};
use wangge_core::sync::{
    hands_back_record, plan_batch, Change, Collection, MutationResult, MutationStatus, Op, PushResponse, SeqStep,
};

use super::batch_fetch::Wanted;
use super::batch_reads::BatchReads;
use super::ctx::{Ctx, Outcome};
use super::store::GridCache;
use super::writer::{Member, Reply, Verdict};
use super::{apply, row_writes, store, DbError};
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
    Gap {
        expected: u64,
    },
    /// The batch was built for another database (this one's epoch given): nothing written.
    EpochMismatch {
        epoch: String,
    },
    /// The client id belongs to another user's device.
    NotYourClient,
}

/// A push waiting in the writer's queue, and then for its group's commit.
pub(super) struct PushMember {
    caller: Caller,
    batch: PushBatch,
    outcome: Option<PushOutcome>,
    reply: Reply<PushOutcome>,
    /// An administrator pushing a dead phone's outbox under its author's name
    /// (`handover.rs`): who handed it over is kept beside every new seq.
    handed_over_by: Option<Caller>,
}

impl PushMember {
    pub(super) fn new(caller: Caller, batch: PushBatch, reply: Reply<PushOutcome>) -> PushMember {
        PushMember { caller, batch, outcome: None, reply, handed_over_by: None }
    }

    pub(super) fn handed_over(author: Caller, by: Caller, batch: PushBatch, reply: Reply<PushOutcome>) -> PushMember {
        PushMember { caller: author, batch, outcome: None, reply, handed_over_by: Some(by) }
    }
}

impl Member for PushMember {
    fn weight(&self) -> usize {
        self.batch.mutations.len().max(1)
    }

    fn wants(&self, wanted: &mut Wanted) {
        let ops = self.batch.mutations.iter().filter_map(|m| m.op.as_ref().ok());
        wanted.push(&self.batch.client_id, self.caller.user.person_id.as_str(), ops);
    }

    fn keeps_reads(&self) -> bool {
        true
    }

    fn apply(&mut self, conn: &Conn, grids: &mut GridCache, reads: &BatchReads) -> Result<Verdict, DbError> {
        // Read only for a handover's record: on PostgreSQL every read is a round trip.
        let before = match self.handed_over_by {
            Some(_) => client(conn, &self.batch.client_id)?.map_or(0, |(_, last)| last),
            None => 0,
        };
        let outcome = push(conn, grids, reads, &self.caller, &self.batch)?;
        if let (PushOutcome::Done(res), Some(by)) = (&outcome, &self.handed_over_by) {
            super::handover::record(
                conn,
                by,
                &self.caller.user.username,
                &self.batch.client_id,
                before,
                res.acked_seq,
            )?;
        }
        // Only a batch that went through keeps its writes; a refused one (gap, epoch,
        // someone else's client) may have created the client row before it found out.
        let verdict = if matches!(outcome, PushOutcome::Done(_)) { Verdict::Keep } else { Verdict::Undo };
        self.outcome = Some(outcome);
        Ok(verdict)
    }

    fn answer(self: Box<Self>, result: Result<(), DbError>) {
        let this = *self;
        let answer =
            result.and_then(|()| this.outcome.ok_or_else(|| DbError::Worker("push answered before it ran".into())));
        this.reply.send(answer);
    }
}

/// Applies one batch on `tx`, which the caller has put inside a transaction (and a
/// savepoint to roll back to if the outcome is not `Done`). `grids` is the writer's cached
/// grid tree; a batch that writes a grid makes it forget it.
pub(super) fn push(
    tx: &Conn,
    grids: &mut GridCache,
    reads: &BatchReads,
    caller: &Caller,
    batch: &PushBatch,
) -> Result<PushOutcome, DbError> {
    // Checked first: seqs and bases meant for another database mean nothing here, and
    // even the client row must not be created for them.
    let Head { epoch, version, client } = reads.head(tx, &batch.client_id)?;
    if batch.epoch.as_ref().is_some_and(|e| *e != epoch) {
        return Ok(PushOutcome::EpochMismatch { epoch });
    }
    let last = match client {
        Some((owner, _)) if owner != caller.user.username => return Ok(PushOutcome::NotYourClient),
        Some((_, last)) => last,
        None => {
            tx.write_rows(&row_writes::NEW_CLIENT, params![batch.client_id, caller.user.username])?;
            0
        }
    };
    let plan = match plan_batch(last, batch.mutations.iter().map(|m| m.seq)) {
        Ok(plan) => plan,
        Err(gap) => return Ok(PushOutcome::Gap { expected: gap.expected }),
    };
    let units = reads.units(tx, caller.user.person_id.as_str())?;
    let tree = Cow::Borrowed(grids.tree(tx)?);
    let mut ctx = Ctx { tx, caller, client_id: &batch.client_id, tree, version, units, reads };
    let mut results = Vec::with_capacity(batch.mutations.len());
    let mut new = Vec::with_capacity(batch.mutations.len());
    for (item, step) in batch.mutations.iter().zip(&plan.steps) {
        if *step == SeqStep::AnswerAgain {
            results.push(stored_result(tx, &batch.client_id, item.seq)?);
            continue;
        }
        // Cloned, not taken: the writer may apply the batch again in a fresh transaction.
        let outcome = match &item.op {
            Ok(op) => apply::apply(&mut ctx, op.clone())?,
            Err(rejection) => Outcome::Rejected(rejection.clone()),
        };
        new.push(results.len());
        results.push(to_result(item.seq, outcome));
    }
    store_results(tx, &batch.client_id, &new.iter().map(|&i| &results[i]).collect::<Vec<_>>())?;
    // A put or delete that did not land as sent gets the record back as the server holds
    // it (the core's `hands_back_record` says which, and why).
    for (item, result) in batch.mutations.iter().zip(results.iter_mut()) {
        if let Some((collection, id)) = item.op.as_ref().ok().and_then(|op| hands_back_record(op, result.status)) {
            result.current = current_record(&ctx, collection, id)?;
        }
    }
    // A new tree means a grid was written: the cached one is stale from here on. (If this
    // batch is rolled back instead, the cached tree is again the stored one.)
    let wrote_grid = matches!(ctx.tree, Cow::Owned(_));
    store::write_counter(tx, ctx.version)?;
    tx.write_rows(&row_writes::CLIENT_SEQ, params![batch.client_id, plan.acked_seq])?;
    reads.pushed(&batch.client_id, &caller.user.username, plan.acked_seq, ctx.version);
    if wrote_grid {
        grids.forget();
    }
    Ok(PushOutcome::Done(PushResponse { results, acked_seq: plan.acked_seq, epoch }))
}

/// The record as stored, if it exists, is not deleted and lies in the caller's scope:
/// handed back with a refused or conflicting put (or delete) so the phone shows the
/// server's values again. Worked
/// out on every reply, so a replayed push gets it too.
fn current_record(ctx: &Ctx<'_>, collection: Collection, id: &str) -> Result<Option<Change>, DbError> {
    let c = collection.name();
    match store::record_row(ctx.tx, c, id)? {
        Some(row) if !row.deleted && ctx.check_scope(&row.grid).is_ok() => {}
        _ => return Ok(None),
    }
    let version: u64 = ctx
        .tx
        .prepare_cached("SELECT version FROM records WHERE collection = ?1 AND id = ?2")?
        .query_row(params![c, id], |r| r.get(0))?;
    let fields = store::record_fields(ctx.tx, c, id)?;
    Ok(Some(Change::Upsert { collection, id: id.to_string(), version, fields }))
}

/// What a push reads before its first mutation, in one query: the epoch, the server
/// version counter, and the client's user and last acknowledged seq if the client is
/// known (`batch_reads.rs` has it for every push of a group that announced itself).
pub(super) struct Head {
    pub(super) epoch: String,
    /// The server version counter.
    pub(super) version: u64,
    /// The client's user and last acknowledged seq, if the client is known.
    pub(super) client: Option<(String, u64)>,
}

fn client(conn: &Conn, client_id: &str) -> Result<Option<(String, u64)>, DbError> {
    conn.prepare_cached("SELECT username, last_seq FROM clients WHERE client_id = ?1")?
        .query_row(params![client_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()
}

fn to_result(seq: u64, outcome: Outcome) -> MutationResult {
    let (status, detail) = match outcome {
        Outcome::Applied => (MutationStatus::Applied, None),
        Outcome::Conflict(r) => (MutationStatus::Conflict, Some(r)),
        Outcome::Rejected(r) => (MutationStatus::Rejected, Some(r)),
    };
    let (code, message) = detail.map(|r| (r.code, r.message)).unzip();
    MutationResult { seq, status, code, message, current: None }
}

fn status_code(status: MutationStatus) -> &'static str {
    match status {
        MutationStatus::Applied => "applied",
        MutationStatus::Conflict => "conflict",
        MutationStatus::Rejected => "rejected",
    }
}

/// Keeps the answers given to a batch's new seqs.
fn store_results(conn: &Conn, client_id: &str, results: &[&MutationResult]) -> Result<(), DbError> {
    let mut values = Vec::with_capacity(results.len() * 5);
    for r in results {
        values.extend([
            client_id.to_value(),
            r.seq.to_value(),
            status_code(r.status).to_value(),
            r.code.to_value(),
            r.message.to_value(),
        ]);
    }
    conn.write_rows(&row_writes::RESULT, &values)
}

/// The answer given when the seq was first stored (applied if, oddly, none was kept).
fn stored_result(conn: &Conn, client_id: &str, seq: u64) -> Result<MutationResult, DbError> {
    let mut stmt =
        conn.prepare_cached("SELECT status, code, message FROM mutation_results WHERE client_id = ?1 AND seq = ?2")?;
    let row: Option<(String, Option<String>, Option<String>)> =
        stmt.query_row(params![client_id, seq], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()?;
    let Some((status, code, message)) = row else {
        return Ok(MutationResult { seq, status: MutationStatus::Applied, code: None, message: None, current: None });
    };
    let status = match status.as_str() {
        "conflict" => MutationStatus::Conflict,
        "rejected" => MutationStatus::Rejected,
        _ => MutationStatus::Applied,
    };
    Ok(MutationResult { seq, status, code, message, current: None })
}
