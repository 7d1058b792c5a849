//! What a push reply means for the device: which outbox entries leave, which refusals are
//! kept for the worker, which of the phone's own issue steps never happened on the server,
//! and which records the server handed back to be shown as it holds them.

use super::super::protocol::{Change, Mutation, MutationStatus, Op, PushRequest, PushResponse};
use super::{DeviceSync, EpochCheck};
use crate::{EventId, IssueId};

/// A mutation the server refused for good, kept for the worker to see and redo.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The client id it was pushed under (changes with the server epoch).
    pub client_id: String,
    pub mutation: Mutation,
    pub code: String,
    pub message: String,
}

impl Rejection {
    /// `client_id/seq`: names this refusal for ever (see [`DeviceSync::client_id`]).
    pub fn key(&self) -> String {
        format!("{}/{}", self.client_id, self.mutation.seq)
    }
}

/// A refused issue step: it leaves the phone's history, and its issue is re-derived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unwind {
    pub event: EventId,
    pub issue: IssueId,
}

/// What to do with a push reply.
#[derive(Debug, Clone, PartialEq)]
pub enum PushPlan {
    /// A reply to another client id (sent before a login or reset) or naming an epoch
    /// this device already left: nothing changes. Nothing is lost by that: the entries
    /// are pushed again and acknowledged then.
    Ignore,
    /// The server is a new one: reset with [`plan_new_epoch`](super::plan_new_epoch)
    /// (the rest of the reply means nothing to the new standing).
    NewEpoch(String),
    /// The acknowledgement to write.
    Ack(Ack),
}

/// An acknowledgement, to be written in one transaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ack {
    /// The first epoch the device hears, to remember (None: it knew it already).
    pub set_epoch: Option<String>,
    /// Every outbox entry with a seq up to this one leaves.
    pub remove_through: u64,
    /// How many of the outbox entries given to the plan that removes.
    pub removed: u32,
    /// Refusals to keep, each with its mutation as the outbox held it.
    pub refusals: Vec<Rejection>,
    /// Refused steps to take out of the phone's own history.
    pub unwind: Vec<Unwind>,
    /// Records the server handed back with a refused put or one that lost a field to a
    /// conflict (`MutationResult::current`): written as if pulled, with what is still
    /// waiting in the outbox on top, so the phone shows what the server kept.
    pub restore: Vec<Change>,
}

/// Takes the reply to `request`. `outbox` holds the device's outbox entries, at least
/// those the request carried (a refusal is kept with the entry as the outbox has it; one
/// already gone was heard from an earlier copy of this reply and is not kept twice).
///
/// Only what the request carried is acknowledged: the server may have stored more (from
/// a copy whose reply was lost), but a refusal among those is only heard by asking again.
/// A refused gap is not final either: an entry above `acked_seq` stays and is retried.
pub fn plan_push_reply(
    sync: &DeviceSync,
    request: &PushRequest,
    response: &PushResponse,
    outbox: &[Mutation],
) -> PushPlan {
    if !sync.sent_by_me(&request.client_id) {
        return PushPlan::Ignore;
    }
    let set_epoch = match sync.check_epoch(&response.epoch) {
        EpochCheck::Same => None,
        EpochCheck::First => Some(response.epoch.clone()),
        EpochCheck::Stale => return PushPlan::Ignore,
        EpochCheck::Changed => return PushPlan::NewEpoch(response.epoch.clone()),
    };
    let sent = request.mutations.last().map_or(0, |m| m.seq);
    let acked = response.acked_seq.min(sent);
    let mut ack = Ack {
        set_epoch,
        remove_through: acked,
        removed: outbox.iter().filter(|m| m.seq <= acked).count() as u32,
        ..Ack::default()
    };
    for r in response.results.iter().filter(|r| r.seq <= acked) {
        match r.status {
            MutationStatus::Applied => continue,
            // The losing value is kept server-side as a conflict (it reaches the phone by
            // pull); the record itself must show what the server holds.
            MutationStatus::Conflict => {}
            MutationStatus::Rejected => {
                let Some(m) = outbox.iter().find(|m| m.seq == r.seq) else { continue };
                if let Op::AppendEvent { event } = &m.op {
                    ack.unwind.push(Unwind { event: event.id.clone(), issue: event.issue.clone() });
                }
                ack.refusals.push(Rejection {
                    client_id: request.client_id.clone(),
                    mutation: m.clone(),
                    code: r.code.clone().unwrap_or_default(),
                    message: r.message.clone().unwrap_or_default(),
                });
            }
        }
        ack.restore.extend(r.current.clone());
    }
    PushPlan::Ack(ack)
}

/// Whether a record the server handed back (one of [`Ack::restore`]) is still to be written,
/// given the version of it the device holds as pulled (`held`; None if it holds none) and
/// the device's cursor. The server worked it out when it answered, and a pull may have
/// brought a newer state since (a reply can be overtaken): an older copy must not undo
/// it. A record the device holds is written back when the copy is at least as new; one it
/// does not hold only when the copy lies beyond the cursor — at or below it, the device
/// has already pulled what became of it (deleted, or moved out of its scope).
pub fn still_to_restore(change: &Change, held: Option<u64>, cursor: u64) -> bool {
    let version = change.version();
    match held {
        Some(held) => held <= version,
        None => version > cursor,
    }
}
