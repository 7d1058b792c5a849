//! The store's half of sync, each step one IndexedDB transaction, so a tab closed
//! mid-sync leaves either the step or nothing: what to push next, and what a push reply
//! means (a pulled page lands in `pull.rs`, a new server epoch or a login in `epoch.rs`).
//! **The decisions are the core's** (`wangge_core::sync::device`: [`plan_push_reply`],
//! [`plan_epoch_mismatch`]), the same plans the simulation runs through `Replica`; this
//! file reads their inputs and writes the plan, in the transaction that read them.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use indexed_db_futures::KeyRange;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use wangge_core::sync::device::{still_to_restore, Ack};
use wangge_core::sync::{
    plan_epoch_mismatch, plan_push_reply, Change, DeviceSync, EpochMismatchPlan, FieldConflict, Mutation, Op, PushPlan,
    PushRequest, PushResponse,
};
use wangge_core::SCHEMA_VERSION;

use super::codec::{store_of, stored_collections, Fields};
use super::epoch::reset_for_epoch;
use super::history::{read_history, versions_of};
use super::meta::{self, read_device_sync, EPOCH};
use super::pull::restore;
use super::schema::{CONFLICTS, HISTORY, META, OUTBOX, REJECTED, VERSIONS};
use super::summary;
use super::summary_pending::{facts_of, named_by, Named};
use super::{Store, StoreError};

/// The server versions of a record and its fields, as last pulled.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct VersionRow {
    pub(crate) key: String,
    pub(crate) version: u64,
    pub(crate) fields: BTreeMap<String, u64>,
    /// Who wrote each field's current value on the server and when (person id, ms), for
    /// the fields whose writer the server knows (see `VersionedValue::by`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) writers: BTreeMap<String, (String, i64)>,
}

/// A change the server refused for good, shown to the worker with the reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectedChange {
    /// `client_id/seq`: unique for ever (see the core's `Replica`).
    pub key: String,
    pub mutation: Mutation,
    pub code: String,
    pub message: String,
}

/// Where this device stands with the server.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SyncMeta {
    pub client_id: Option<String>,
    pub epoch: Option<String>,
    pub cursor: u64,
}

/// What a push reply meant for the device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushOutcome {
    /// Entries up to the acknowledged seq left the outbox.
    Acked { removed: u32, rejected: u32 },
    /// The reply was not this device's to act on (it answered a request sent under an
    /// older client id, or named a server epoch the device already left): nothing changed.
    Ignored,
    /// The server is a new one (its database was replaced): the device has reset and must
    /// push its outbox again and pull from the start.
    NewEpoch,
}

/// Every store an acknowledgement or a reset may write: the records (a refusal can hand
/// one back, a reset empties them), the history, the bookkeeping and the outbox.
pub(super) fn sync_stores() -> Vec<&'static str> {
    let mut stores: Vec<&str> = stored_collections().map(store_of).collect();
    stores.extend([HISTORY, VERSIONS, CONFLICTS, OUTBOX, REJECTED, META]);
    stores
}

impl Store {
    /// Opens a transaction over [`sync_stores`] for a step that acts on the device's
    /// standing, and reads that standing and the outbox entries in `outbox` inside it
    /// (the outbox is asked for first and awaited last: one wait for both).
    pub(super) async fn sync_step(
        &self,
        outbox: KeyRange<u64>,
    ) -> Result<(Transaction<'_>, DeviceSync, Vec<Mutation>), StoreError> {
        let tx = self.write_tx(&sync_stores())?;
        let entries = tx.object_store(OUTBOX)?.get_all().with_query::<u64, _>(outbox).serde()?;
        let sync = read_device_sync(&tx).await?;
        let entries: Vec<Mutation> = entries.await?.collect::<Result<_, _>>()?;
        Ok((tx, sync, entries))
    }

    pub async fn sync_meta(&self) -> Result<SyncMeta, StoreError> {
        let tx = self.read_tx(&[META])?;
        let sync = read_device_sync(&tx).await?;
        Ok(SyncMeta { client_id: sync.client_id, epoch: sync.epoch, cursor: sync.cursor })
    }

    /// The next push: up to `max` of the oldest pending mutations, or None when the
    /// outbox is empty (or no device has logged in yet).
    pub async fn next_push(&self, max: u32) -> Result<Option<PushRequest>, StoreError> {
        let tx = self.read_tx(&[OUTBOX, META])?;
        let mutations = tx.object_store(OUTBOX)?.get_all().with_limit(max.max(1)).serde()?;
        let sync = read_device_sync(&tx).await?;
        let mutations: Vec<Mutation> = mutations.await?.collect::<Result<_, _>>()?;
        let Some(client_id) = sync.client_id else {
            return Ok(None);
        };
        if mutations.is_empty() {
            return Ok(None);
        }
        Ok(Some(PushRequest { client_id, schema_version: SCHEMA_VERSION, mutations, epoch: sync.epoch }))
    }

    /// Takes the reply to `request` as the core's [`plan_push_reply`] decides: drops
    /// acknowledged entries, keeps the refused ones' reasons, unwinds refused steps and
    /// restores handed-back records; or, on a reply from a new server epoch, resets the
    /// device (see `epoch.rs`). Where the device stands is read in the transaction that
    /// acts on it, and a reset happens in that same transaction, so a login, another
    /// reset or a pulled page in between cannot be acted on half-seen.
    pub async fn on_push_response(
        &self,
        request: &PushRequest,
        response: &PushResponse,
    ) -> Result<PushOutcome, StoreError> {
        // Only the entries the request could have carried: a batch, not the whole outbox.
        let sent = request.mutations.last().map_or(0, |m| m.seq);
        let (tx, sync, carried) = self.sync_step(KeyRange::UpperBound(sent, false)).await?;
        match plan_push_reply(&sync, request, response, &carried) {
            // Nothing was written: dropping the transaction rolls it back.
            PushPlan::Ignore => Ok(PushOutcome::Ignored),
            PushPlan::NewEpoch(epoch) => {
                reset_for_epoch(&tx, &sync, &epoch).await?;
                tx.commit().await?;
                Ok(PushOutcome::NewEpoch)
            }
            PushPlan::Ack(ack) => {
                let outcome = PushOutcome::Acked { removed: ack.removed, rejected: ack.refusals.len() as u32 };
                write_ack(&tx, ack, sync.cursor, &carried).await?;
                tx.commit().await?;
                Ok(outcome)
            }
        }
    }

    /// Takes a push the server refused whole with `epoch_mismatch` (it stored none of
    /// it), as the core's [`plan_epoch_mismatch`] decides: a new epoch resets the device
    /// in this one transaction; a refusal of an older request, or naming an epoch the
    /// device already left, changes nothing.
    pub async fn on_epoch_mismatch(
        &self,
        request: &PushRequest,
        server_epoch: &str,
    ) -> Result<PushOutcome, StoreError> {
        let (tx, sync, _) = self.sync_step(KeyRange::UpperBound(0, false)).await?;
        let outcome = match plan_epoch_mismatch(&sync, &request.client_id, server_epoch) {
            EpochMismatchPlan::Ignore => return Ok(PushOutcome::Ignored),
            EpochMismatchPlan::SetEpoch(epoch) => {
                meta::put(&tx, EPOCH, &epoch).await?;
                PushOutcome::Ignored
            }
            EpochMismatchPlan::NewEpoch(epoch) => {
                reset_for_epoch(&tx, &sync, &epoch).await?;
                PushOutcome::NewEpoch
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// Settles a field conflict: keeps the server's value, or (`keep_mine`) puts the value
    /// that was set aside — with the base of the current server value, so it applies —
    /// and then settles. Both travel in order through the outbox.
    pub async fn settle_conflict(&self, conflict: &FieldConflict, keep_mine: bool) -> Result<(), StoreError> {
        if keep_mine && conflict.field != wangge_core::sync::WHOLE_RECORD {
            let changes: Fields = [(conflict.field.clone(), conflict.device_value.clone())].into_iter().collect();
            self.edit(conflict.collection, &conflict.record_id, changes).await?;
        }
        let tx = self.record_tx(&[CONFLICTS, OUTBOX, META])?;
        let mut settled = conflict.clone();
        settled.resolved = true;
        // Hidden from the list at once; the server's settled copy replaces it on the next pull.
        tx.object_store(CONFLICTS)?.put(&settled).serde()?.await?;
        super::actions::enqueue(&tx, vec![Op::SettleConflict { conflict: conflict.id.clone() }]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Pending changes (the outbox's size), for the sync badge.
    pub async fn pending_count(&self) -> Result<u32, StoreError> {
        self.count(OUTBOX).await
    }

    /// Field conflicts not yet settled, for the conflict list and the issue screen.
    pub async fn open_conflicts(&self) -> Result<Vec<FieldConflict>, StoreError> {
        let tx = self.read_tx(&[CONFLICTS])?;
        let all = tx.object_store(CONFLICTS)?.get_all().serde()?.await?;
        let all: Vec<FieldConflict> = all.collect::<Result<_, _>>()?;
        Ok(all.into_iter().filter(|c| !c.resolved).collect())
    }

    /// Changes the server refused, newest last.
    pub async fn rejected_changes(&self) -> Result<Vec<RejectedChange>, StoreError> {
        let tx = self.read_tx(&[REJECTED])?;
        let all = tx.object_store(REJECTED)?.get_all().serde()?.await?;
        Ok(all.collect::<Result<_, _>>()?)
    }

    /// The worker has read a refusal and dealt with it.
    pub async fn dismiss_rejected(&self, key: &str) -> Result<(), StoreError> {
        let tx = self.write_tx(&[REJECTED])?;
        tx.object_store(REJECTED)?.delete(key.to_string()).serde()?.await?;
        tx.commit().await?;
        Ok(())
    }

    /// Empties every store: on logout, so the next person on this phone sees nothing of
    /// the last one's residents. The caller makes sure nothing unsynced is lost.
    pub async fn wipe(&self) -> Result<(), StoreError> {
        let mut stores = sync_stores();
        stores.push(super::schema::PHOTOS);
        let tx = self.write_tx(&stores)?;
        for name in stores {
            tx.object_store(name)?.clear()?.await?;
        }
        super::summary::clear(&tx)?;
        tx.commit().await?;
        Ok(())
    }
}

/// What a pulled page did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullOutcome {
    Applied { changes: u32 },
    Ignored,
    NewEpoch,
}

/// Writes an acknowledgement's plan. A refused event never happened on the server: it
/// leaves the phone's history (kept, with the reason, among the refusals) so the issue
/// shows where it really stands. A handed-back record is written as if pulled, with what
/// is still waiting in the outbox on top. Last, the records the removed entries named get
/// their summary entries (delta rows) from their rows as they now stand: a local save
/// wrote none, and the board stops reading them from their rows once they leave the
/// outbox (`summary_pending.rs`). `carried` holds the entries the push could have carried.
async fn write_ack(tx: &Transaction<'_>, mut ack: Ack, cursor: u64, carried: &[Mutation]) -> Result<(), StoreError> {
    if let Some(epoch) = &ack.set_epoch {
        meta::put(tx, EPOCH, epoch).await?;
    }
    let rejected = tx.object_store(REJECTED)?;
    for refusal in ack.refusals {
        let row = RejectedChange {
            key: refusal.key(),
            mutation: refusal.mutation,
            code: refusal.code,
            message: refusal.message,
        };
        rejected.put(&row).serde()?.await?;
    }
    let mut unwound = BTreeSet::new();
    for u in ack.unwind {
        // Refusals are rare and few: one read of the issue's history row each.
        let mut history = read_history(tx, u.issue.as_str()).await?;
        if history.remove(u.event.as_str()) {
            drop(tx.object_store(HISTORY)?.put(&history).serde()?);
        }
        unwound.insert(u.issue.to_string());
    }
    let outbox = tx.object_store(OUTBOX)?;
    if ack.remove_through > 0 {
        outbox.delete::<u64, _>(KeyRange::Bound(0u64, false, ack.remove_through, false)).serde()?.await?;
    }
    // A handed-back record a later pull has overtaken is not written back (the core's
    // `still_to_restore`, asked with the version this phone holds).
    let mut current = Vec::with_capacity(ack.restore.len());
    for change in std::mem::take(&mut ack.restore) {
        let held = match &change {
            Change::Upsert { collection, id, .. } => versions_of(tx, *collection, id).await?.map(|row| row.version),
            _ => None,
        };
        if still_to_restore(&change, held, cursor) {
            current.push(change);
        }
    }
    ack.restore = current;
    if !(ack.restore.is_empty() && unwound.is_empty()) {
        let waiting: Vec<Mutation> = outbox.get_all().serde()?.await?.collect::<Result<_, _>>()?;
        restore(tx, &ack.restore, unwound, waiting).await?;
    }
    if !summary::has_summary(tx) {
        return Ok(());
    }
    let acked = carried.iter().filter(|m| m.seq <= ack.remove_through).filter_map(|m| named_by(&m.op));
    let acked: Named = acked.collect();
    summary::note(tx, facts_of(tx, acked).await?)
}
