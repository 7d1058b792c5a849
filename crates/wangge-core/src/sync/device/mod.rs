//! The device's sync decisions as pure functions: each takes what the device knows of its
//! standing ([`DeviceSync`]) and what it read (a request, its reply, outbox entries) and
//! returns a plan. The browser store (`src/store/`) reads the inputs and writes the plan
//! in one IndexedDB transaction; [`Replica`](super::Replica) applies the same plans to its
//! in-memory state, so the simulation tests the decisions the phone ships.
//!
//! - [`plan_push_reply`]: what a push reply removes, keeps, unwinds and restores.
//! - [`plan_epoch_mismatch`]: a push refused whole because the server has another epoch.
//! - [`plan_pull_page`]: which changes of a pulled page land, and the cursor they move to.
//! - [`plan_new_epoch`]: the reset for a new server (database replaced or restored).
//! - [`plan_adopt_device`]: a login that gives the phone a new device id.
//! - [`own_work`]: what a phone offers back to a restored server, ahead of its outbox.
//! - [`forget_bases`]: a mutation made for another server database, with bases 0.

use std::collections::BTreeSet;

use super::protocol::{Mutation, Op};

mod offers;
mod pull;
mod push;
#[cfg(test)]
mod tests;

pub use offers::{authored, own_work};
pub use pull::{plan_pull_page, PageApply, PullPlan};
pub use push::{plan_push_reply, still_to_restore, Ack, PushPlan, Rejection, Unwind};

/// Where a device stands with the server: everything the decisions need, nothing the
/// store could not read in the transaction that acts on it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceSync {
    /// The id the server gave this device at login (a phone not yet logged in has "").
    pub device_id: String,
    /// How many server epochs this device has moved through (0 at login).
    pub generation: u32,
    /// The id pushes are sent under (see [`client_id_of`]); None before any login.
    pub client_id: Option<String>,
    /// The server epoch last heard (None before the first reply).
    pub epoch: Option<String>,
    /// Epochs this device has moved away from: replies naming one are stale.
    pub retired_epochs: BTreeSet<String>,
    /// The version to pull from next.
    pub cursor: u64,
    /// The seq the next queued mutation gets.
    pub next_seq: u64,
}

impl DeviceSync {
    /// A freshly logged-in device: generation 0, nothing heard, nothing queued.
    pub fn new(device_id: impl Into<String>) -> DeviceSync {
        let device_id = device_id.into();
        DeviceSync { client_id: Some(client_id_of(&device_id, 0)), device_id, next_seq: 1, ..DeviceSync::default() }
    }

    /// Whether a request was built under this device's current client id: a reply to
    /// any other (sent before a login or an epoch reset) is not this device's to act on.
    fn sent_by_me(&self, client_id: &str) -> bool {
        self.client_id.as_deref() == Some(client_id)
    }

    /// What a reply's epoch means to this device.
    pub fn check_epoch(&self, epoch: &str) -> EpochCheck {
        match &self.epoch {
            Some(known) if known == epoch => EpochCheck::Same,
            _ if self.retired_epochs.contains(epoch) => EpochCheck::Stale,
            None => EpochCheck::First,
            Some(_) => EpochCheck::Changed,
        }
    }
}

/// The id pushes go out under: the device id, suffixed after an epoch change. A
/// `(client_id, seq)` pair names one mutation forever, so a renumbered outbox needs a
/// client id the server has never seen.
pub fn client_id_of(device_id: &str, generation: u32) -> String {
    match generation {
        0 => device_id.to_owned(),
        g => format!("{device_id}-e{g}"),
    }
}

/// What a reply's epoch means to a device (see [`DeviceSync::check_epoch`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EpochCheck {
    /// The epoch the device knows.
    Same,
    /// The first epoch the device hears: it is taken as the device's.
    First,
    /// An epoch the device already left: the reply is stale and must not reset it again.
    Stale,
    /// A new server: the device resets ([`plan_new_epoch`]).
    Changed,
}

/// What a push refused with `epoch_mismatch` means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EpochMismatchPlan {
    /// A refusal of an older request, or naming an epoch already known or left.
    Ignore,
    /// The first epoch heard: remember it, nothing else changes.
    SetEpoch(String),
    /// A new server: reset with [`plan_new_epoch`].
    NewEpoch(String),
}

/// Takes a push refused whole because the server answering is not the one the request
/// was built for (it stored none of it).
pub fn plan_epoch_mismatch(sync: &DeviceSync, request_client_id: &str, server_epoch: &str) -> EpochMismatchPlan {
    if !sync.sent_by_me(request_client_id) {
        return EpochMismatchPlan::Ignore;
    }
    match sync.check_epoch(server_epoch) {
        EpochCheck::Same | EpochCheck::Stale => EpochMismatchPlan::Ignore,
        EpochCheck::First => EpochMismatchPlan::SetEpoch(server_epoch.to_owned()),
        EpochCheck::Changed => EpochMismatchPlan::NewEpoch(server_epoch.to_owned()),
    }
}

/// A device's new standing and outbox: the store writes both in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Reset {
    pub sync: DeviceSync,
    /// The whole outbox, renumbered from 1 (replaces what was queued).
    pub outbox: Vec<Mutation>,
}

/// The server was replaced: forget what was pulled (the caller empties it), re-pull from
/// zero, and push every unacknowledged mutation again under a fresh client id, numbered
/// from 1, with `offers_first` (the person's own work, re-offered to a restored server)
/// ahead. Bases go to 0 because old versions mean nothing to the new server; a field it
/// already holds with another value then becomes a conflict, never a blind overwrite.
pub fn plan_new_epoch(sync: &DeviceSync, new_epoch: &str, outbox: Vec<Mutation>, offers_first: Vec<Op>) -> Reset {
    let mut next = sync.clone();
    if let Some(old) = next.epoch.replace(new_epoch.to_owned()) {
        next.retired_epochs.insert(old);
    }
    next.generation += 1;
    next.client_id = Some(client_id_of(&next.device_id, next.generation));
    next.cursor = 0;
    let ops = offers_first.into_iter().chain(outbox.into_iter().map(|m| m.op));
    let outbox = renumber(ops.map(|mut op| {
        forget_bases(&mut op);
        op
    }));
    next.next_seq = outbox.len() as u64 + 1;
    Reset { sync: next, outbox }
}

/// A login gave the phone another device id (None: the same one, nothing to do). The
/// server has never seen that id, so the outbox (kept through the login) is renumbered
/// from 1 under it; bases stay, because the server's data did not change.
pub fn plan_adopt_device(sync: &DeviceSync, device_id: &str, outbox: Vec<Mutation>) -> Option<Reset> {
    if sync.device_id == device_id {
        return None;
    }
    let mut next = sync.clone();
    next.device_id = device_id.to_owned();
    next.generation = 0;
    next.client_id = Some(client_id_of(device_id, 0));
    let outbox = renumber(outbox.into_iter().map(|m| m.op));
    next.next_seq = outbox.len() as u64 + 1;
    Some(Reset { sync: next, outbox })
}

/// A mutation made against one server database, readied for another: its bases go to 0,
/// so the new server applies what it lacks and keeps a differing value as a conflict.
/// Events and settlements carry no base (a settlement of another server's conflict is
/// refused there and shown to the worker, like any refused change).
pub fn forget_bases(op: &mut Op) {
    match op {
        Op::Put { fields, .. } => fields.values_mut().for_each(|w| w.base = 0),
        Op::Delete { base, .. } => *base = 0,
        Op::AppendEvent { .. } | Op::SettleConflict { .. } => {}
    }
}

/// Numbers ops from 1, in order.
fn renumber(ops: impl Iterator<Item = Op>) -> Vec<Mutation> {
    ops.enumerate().map(|(i, op)| Mutation { seq: i as u64 + 1, op }).collect()
}
