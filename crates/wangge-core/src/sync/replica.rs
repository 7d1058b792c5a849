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

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::protocol::{
    Collection, FieldWrite, Mutation, MutationStatus, Op, PullRequest, PullResponse,
    PushRequest, PushResponse, VersionedValue, MAX_PUSH_MUTATIONS,
};
use super::state::{Record, SyncState};
use crate::issue::IssueEvent;
use crate::SCHEMA_VERSION;

/// A mutation the server refused for good, kept for the worker to see and redo.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// The client id it was pushed under (changes with the server epoch).
    pub client_id: String,
    pub mutation: Mutation,
    pub code: String,
    pub message: String,
}

/// One device's sync state. See the module docs for the invariants.
#[derive(Debug, Clone, PartialEq)]
pub struct Replica {
    device_id: String,
    generation: u32,
    epoch: Option<String>,
    /// Epochs this device has moved away from: replies carrying them are stale.
    retired_epochs: BTreeSet<String>,
    cursor: u64,
    next_seq: u64,
    outbox: Vec<Mutation>,
    pulled: SyncState,
    rejected: Vec<Rejection>,
}

/// What a reply's epoch means to this device.
enum EpochCheck {
    Same,
    Changed,
    Stale,
}

impl Replica {
    /// A device that has never synced. `device_id` should be unique (a ULID made once).
    pub fn new(device_id: impl Into<String>) -> Replica {
        Replica {
            device_id: device_id.into(),
            generation: 0,
            epoch: None,
            retired_epochs: BTreeSet::new(),
            cursor: 0,
            next_seq: 1,
            outbox: Vec::new(),
            pulled: SyncState::default(),
            rejected: Vec::new(),
        }
    }

    /// The id pushes are sent under: the device id, suffixed after an epoch change.
    pub fn client_id(&self) -> String {
        match self.generation {
            0 => self.device_id.clone(),
            g => format!("{}-e{g}", self.device_id),
        }
    }

    pub fn epoch(&self) -> Option<&str> {
        self.epoch.as_deref()
    }

    pub fn cursor(&self) -> u64 {
        self.cursor
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
        let seq = self.next_seq;
        self.next_seq += 1;
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
            epoch: self.epoch.clone(),
        })
    }

    /// Takes a push refused with `epoch_mismatch`: the server answering is not the one
    /// `request` was built for, and stored none of it. On a new epoch the device resets
    /// (re-pull from zero, outbox renumbered under a fresh client id) exactly as when a
    /// reply carries one; a refusal of an older request, or naming an epoch this device
    /// already left, is ignored.
    pub fn on_epoch_mismatch(&mut self, request: &PushRequest, server_epoch: &str) {
        if request.client_id != self.client_id() {
            return;
        }
        // Same / Changed / Stale: the reset, if any, happens inside; nothing else to do.
        let _ = self.check_epoch(server_epoch);
    }

    /// Takes the reply to `request`. Drops the outbox entries up to `acked_seq` and keeps
    /// the reasons of those rejected. A reply to an older client id or epoch is ignored:
    /// nothing is lost by that, the entries are simply pushed again and acknowledged then.
    pub fn on_push_response(&mut self, request: &PushRequest, response: &PushResponse) {
        if request.client_id != self.client_id() {
            return;
        }
        match self.check_epoch(&response.epoch) {
            EpochCheck::Same => {}
            EpochCheck::Changed | EpochCheck::Stale => return,
        }
        // Only what this request carried: the server may have stored more (from a copy
        // whose reply was lost), but a rejection among those is only heard by asking again.
        let sent = request.mutations.last().map_or(0, |m| m.seq);
        let acked = response.acked_seq.min(sent);
        for r in &response.results {
            if r.status != MutationStatus::Rejected || r.seq > acked {
                continue; // a refused gap is not final: the entry stays and is retried
            }
            if let Some(m) = self.outbox.iter().find(|m| m.seq == r.seq) {
                self.rejected.push(Rejection {
                    client_id: request.client_id.clone(),
                    mutation: m.clone(),
                    code: r.code.clone().unwrap_or_default(),
                    message: r.message.clone().unwrap_or_default(),
                });
            }
        }
        self.outbox.retain(|m| m.seq > acked);
    }

    /// The next pull to ask for.
    pub fn pull_request(&self, limit: u32) -> PullRequest {
        PullRequest { cursor: self.cursor, limit }
    }

    /// Applies one pull page and its cursor together (the store saves both in one
    /// transaction). Returns whether the page was used: a reply from another epoch, or one
    /// asked from beyond the current cursor (sent before a reset), is ignored.
    pub fn apply_pull(&mut self, request: &PullRequest, response: &PullResponse) -> bool {
        match self.check_epoch(&response.epoch) {
            EpochCheck::Same => {}
            EpochCheck::Changed | EpochCheck::Stale => return false,
        }
        // The page holds every change in (request.cursor, response.cursor] as the server
        // stood; anything at or below our cursor we already have in a newer form.
        if request.cursor > self.cursor {
            return false;
        }
        for change in response.changes.iter().filter(|c| c.version() > self.cursor) {
            self.pulled.apply_change(change);
        }
        self.cursor = self.cursor.max(response.cursor);
        true
    }

    /// Compares a reply's epoch with ours; on a new one, resets for the new server.
    fn check_epoch(&mut self, epoch: &str) -> EpochCheck {
        match &self.epoch {
            Some(known) if known == epoch => EpochCheck::Same,
            _ if self.retired_epochs.contains(epoch) => EpochCheck::Stale,
            None => {
                self.epoch = Some(epoch.to_owned());
                EpochCheck::Same
            }
            Some(_) => {
                self.start_new_epoch(epoch);
                EpochCheck::Changed
            }
        }
    }

    /// The server was replaced: forget what was pulled, re-pull from zero, and push every
    /// unacknowledged mutation again under a fresh client id, numbered from 1. Bases go to
    /// 0 because old versions mean nothing to the new server; a field it already holds
    /// with another value then becomes a conflict rather than being overwritten blindly.
    fn start_new_epoch(&mut self, epoch: &str) {
        if let Some(old) = self.epoch.replace(epoch.to_owned()) {
            self.retired_epochs.insert(old);
        }
        self.generation += 1;
        self.cursor = 0;
        self.pulled = SyncState::default();
        for (i, m) in self.outbox.iter_mut().enumerate() {
            m.seq = i as u64 + 1;
            forget_bases(&mut m.op);
        }
        self.next_seq = self.outbox.len() as u64 + 1;
    }
}

fn forget_bases(op: &mut Op) {
    match op {
        Op::Put { fields, .. } => fields.values_mut().for_each(|w| w.base = 0),
        Op::Delete { base, .. } => *base = 0,
        Op::AppendEvent { .. } | Op::SettleConflict { .. } => {}
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
