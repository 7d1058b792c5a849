//! The device's side of sync as a pure state machine: what it last pulled, what it still
//! has to push, and the view the worker sees (the pulled state with the pending mutations
//! replayed on top). The browser store persists these fields; this type decides.
//!
//! Invariants:
//! - **An outbox entry leaves only when the server acknowledged its seq** (`acked_seq`).
//! - Every change applied to `pulled` has a version ≤ `cursor`, so a late or repeated pull
//!   reply can never move the state backwards.
//! - A `(client_id, seq)` pair names one mutation forever. When the server's epoch changes
//!   (the database was replaced or restored) the new server has never seen this device, so
//!   the outbox is renumbered from 1 **under a fresh client id** (`<device>-e<generation>`).
//!   Renumbering under the old id would let a delayed copy of an old request claim seqs
//!   that now name other mutations, and the server would skip those as duplicates.
//! - **A push names the epoch it was built for**, so a server with another epoch refuses
//!   it whole (`epoch_mismatch`) instead of storing old seqs and old bases; the device then
//!   resets as on any reply with a new epoch ([`Replica::on_epoch_mismatch`]). Known cost,
//!   now small: a push sent before the device heard any epoch names none, so a copy
//!   delayed across a database swap is still taken by the new server. Its bases are all 0
//!   (nothing was pulled yet), so at worst a put is stored twice and raises a spurious
//!   conflict; nothing is lost.

use std::collections::BTreeMap;

use serde_json::Value;

use super::device::{
    own_work, plan_epoch_mismatch, plan_new_epoch, plan_pull_page, plan_push_reply, still_to_restore, Ack, DeviceSync,
    EpochMismatchPlan, PullPlan, PushPlan, Rejection,
};
use super::protocol::{
    Change, Collection, FieldWrite, Mutation, Op, PullRequest, PullResponse, PushRequest, PushResponse, VersionedValue,
    MAX_PUSH_MUTATIONS,
};
use super::state::{Record, SyncState};
use crate::issue::IssueEvent;
use crate::SCHEMA_VERSION;

/// One device's sync state. See the module docs for the invariants; the decisions are the
/// core's device plans (`sync::device`), the same the browser store executes.
#[derive(Debug, Clone, PartialEq)]
pub struct Replica {
    sync: DeviceSync,
    outbox: Vec<Mutation>,
    pulled: SyncState,
    rejected: Vec<Rejection>,
    /// The person using this device, if known: after a restore, their own work is
    /// offered back to the server first, as the phone's store does.
    person: Option<String>,
}

impl Replica {
    /// A device that has never synced. `device_id` should be unique (a ULID made once).
    pub fn new(device_id: impl Into<String>) -> Replica {
        Replica {
            sync: DeviceSync::new(device_id),
            outbox: Vec::new(),
            pulled: SyncState::default(),
            rejected: Vec::new(),
            person: None,
        }
    }

    /// Names the person using this device (a login): from now on a reset for a new
    /// server offers their own records and steps back first ([`own_work`]).
    pub fn set_person(&mut self, person: impl Into<String>) {
        self.person = Some(person.into());
    }

    /// The id pushes are sent under: the device id, suffixed after an epoch change.
    pub fn client_id(&self) -> String {
        self.sync.client_id.clone().unwrap_or_default()
    }

    pub fn epoch(&self) -> Option<&str> {
        self.sync.epoch.as_deref()
    }

    pub fn cursor(&self) -> u64 {
        self.sync.cursor
    }

    /// Where this device stands with the server, as the store keeps it in `meta`.
    pub fn sync(&self) -> &DeviceSync {
        &self.sync
    }

    /// Mutations not yet acknowledged, oldest first.
    pub fn outbox(&self) -> &[Mutation] {
        &self.outbox
    }

    /// Mutations the server refused for good, for the UI to show.
    pub fn rejected(&self) -> &[Rejection] {
        &self.rejected
    }

    /// The state as last pulled from the server, without local changes.
    pub fn pulled(&self) -> &SyncState {
        &self.pulled
    }

    /// Sets fields of a record (creating it if new). Each write carries the version of that
    /// field last pulled, or 0, so the server can tell whether someone changed it meanwhile.
    pub fn put(&mut self, collection: Collection, id: &str, fields: BTreeMap<String, Value>) -> u64 {
        let pulled = self.pulled.record(collection, id);
        let fields = fields
            .into_iter()
            .map(|(name, value)| {
                let base = pulled.and_then(|r| r.fields.get(&name)).map_or(0, |f| f.version);
                (name, FieldWrite { value, base })
            })
            .collect();
        self.enqueue(Op::Put { collection, id: id.to_owned(), fields })
    }

    /// Deletes a record, based on the record version last pulled (0 if never pulled).
    pub fn delete(&mut self, collection: Collection, id: &str) -> u64 {
        let base = self.pulled.record(collection, id).map_or(0, |r| r.version);
        self.enqueue(Op::Delete { collection, id: id.to_owned(), base })
    }

    /// Appends an event to an issue's history.
    pub fn append_event(&mut self, event: IssueEvent) -> u64 {
        self.enqueue(Op::AppendEvent { event })
    }

    /// Settles a field conflict. The view shows it settled at once, so it leaves the
    /// worker's list before the push; to keep the device's value instead, `put` that value
    /// first (its base is the latest pulled, so it applies unless someone wrote since).
    pub fn settle_conflict(&mut self, conflict: &str) -> u64 {
        self.enqueue(Op::SettleConflict { conflict: conflict.to_owned() })
    }

    fn enqueue(&mut self, op: Op) -> u64 {
        let seq = self.sync.next_seq;
        self.sync.next_seq += 1;
        self.outbox.push(Mutation { seq, op });
        seq
    }

    /// What the worker sees: the pulled state with every pending mutation replayed on top,
    /// oldest first. Pending field values carry version 0 ("not yet on the server").
    pub fn view(&self) -> SyncState {
        let mut view = self.pulled.clone();
        for m in &self.outbox {
            replay(&mut view, &m.op);
        }
        view
    }

    /// The next push: up to `max` of the oldest pending mutations (None when all are
    /// acknowledged). Always from the front, so a retry resends what may have been lost.
    pub fn push_batch(&self, max: usize) -> Option<PushRequest> {
        if self.outbox.is_empty() {
            return None;
        }
        let n = max.clamp(1, MAX_PUSH_MUTATIONS);
        Some(PushRequest {
            client_id: self.client_id(),
            schema_version: SCHEMA_VERSION,
            mutations: self.outbox.iter().take(n).cloned().collect(),
            epoch: self.sync.epoch.clone(),
        })
    }

    /// Takes a push refused with `epoch_mismatch`: the server answering is not the one
    /// `request` was built for, and stored none of it. On a new epoch the device resets
    /// (re-pull from zero, outbox renumbered under a fresh client id) exactly as when a
    /// reply carries one; a refusal of an older request, or naming an epoch this device
    /// already left, is ignored ([`plan_epoch_mismatch`]).
    pub fn on_epoch_mismatch(&mut self, request: &PushRequest, server_epoch: &str) {
        match plan_epoch_mismatch(&self.sync, &request.client_id, server_epoch) {
            EpochMismatchPlan::Ignore => {}
            EpochMismatchPlan::SetEpoch(epoch) => self.sync.epoch = Some(epoch),
            EpochMismatchPlan::NewEpoch(epoch) => self.start_new_epoch(&epoch),
        }
    }

    /// Takes the reply to `request` ([`plan_push_reply`]): drops the outbox entries up to
    /// `acked_seq` and keeps the reasons of those rejected. A reply to an older client id
    /// or epoch is ignored: nothing is lost by that, the entries are simply pushed again
    /// and acknowledged then.
    pub fn on_push_response(&mut self, request: &PushRequest, response: &PushResponse) {
        match plan_push_reply(&self.sync, request, response, &self.outbox) {
            PushPlan::Ignore => {}
            PushPlan::NewEpoch(epoch) => self.start_new_epoch(&epoch),
            PushPlan::Ack(ack) => self.ack(ack),
        }
    }

    /// Writes an acknowledgement, as the store does in one transaction.
    fn ack(&mut self, ack: Ack) {
        if let Some(epoch) = ack.set_epoch {
            self.sync.epoch = Some(epoch);
        }
        self.rejected.extend(ack.refusals);
        self.outbox.retain(|m| m.seq > ack.remove_through);
        // A refused step was only ever in the outbox here (the view replays it), so it is
        // already gone; the store holds it in its history and takes it out.
        for u in &ack.unwind {
            self.pulled.events.remove(&u.event);
        }
        for change in &ack.restore {
            let held = match change {
                Change::Upsert { collection, id, .. } => self.pulled.record(*collection, id).map(|r| r.version),
                _ => None,
            };
            if still_to_restore(change, held, self.sync.cursor) {
                self.pulled.apply_change(change);
            }
        }
    }

    /// The next pull to ask for.
    pub fn pull_request(&self, limit: u32) -> PullRequest {
        PullRequest { cursor: self.sync.cursor, limit }
    }

    /// Applies one pull page and its cursor together (the store saves both in one
    /// transaction). Returns whether the page was used: a reply from another epoch, or one
    /// asked from beyond the current cursor (sent before a reset), is ignored.
    pub fn apply_pull(&mut self, request: &PullRequest, response: &PullResponse) -> bool {
        match plan_pull_page(&self.sync, request, response) {
            PullPlan::Ignore => false,
            PullPlan::NewEpoch(epoch) => {
                self.start_new_epoch(&epoch);
                false
            }
            PullPlan::Apply(page) => {
                for change in page.changes(response) {
                    self.pulled.apply_change(change);
                }
                self.sync.cursor = page.cursor;
                if let Some(epoch) = page.set_epoch {
                    self.sync.epoch = Some(epoch);
                }
                true
            }
        }
    }

    /// The server was replaced ([`plan_new_epoch`]): forget what was pulled, re-pull from
    /// zero, and push every unacknowledged mutation again under a fresh client id,
    /// numbered from 1, bases 0 — after the person's own work as the device shows it
    /// ([`own_work`]), in case the restored server lacks what it had acknowledged.
    fn start_new_epoch(&mut self, epoch: &str) {
        let offers = match &self.person {
            Some(person) => {
                let view = self.view();
                let records = view.records.into_iter().map(|((collection, id), record)| {
                    (collection, id, record.fields.into_iter().map(|(k, v)| (k, v.value)).collect())
                });
                own_work(person, records, view.events.into_values())
            }
            None => Vec::new(),
        };
        let reset = plan_new_epoch(&self.sync, epoch, std::mem::take(&mut self.outbox), offers);
        self.sync = reset.sync;
        self.outbox = reset.outbox;
        self.pulled = SyncState::default();
    }
}

/// Replays one pending mutation on a local view, as the device expects it to land.
fn replay(view: &mut SyncState, op: &Op) {
    match op {
        Op::Put { collection, id, fields } => {
            let record: &mut Record = view.records.entry((*collection, id.clone())).or_default();
            for (name, write) in fields {
                let pending = VersionedValue::new(write.value.clone(), 0);
                record.fields.insert(name.clone(), pending);
            }
        }
        Op::Delete { collection, id, .. } => {
            view.records.remove(&(*collection, id.clone()));
        }
        Op::AppendEvent { event } => {
            view.events.insert(event.id.clone(), event.clone());
        }
        Op::SettleConflict { conflict } => {
            // A conflict this device has not pulled is the server's to judge (unknown → rejected).
            if let Some(c) = view.conflicts.get_mut(conflict) {
                c.resolved = true;
            }
        }
    }
}
