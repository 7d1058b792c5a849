//! The store's half of sync: what to push next, what an acknowledgement removes, what a
//! new server epoch resets (a pulled page lands in `pull.rs`) — each step one IndexedDB
//! transaction, so a tab closed mid-sync leaves either the step or nothing. The device
//! follows the core's `sync::Replica` model (the executable spec the simulation checks):
//! an outbox entry leaves only when the server acknowledged its seq, and a page is
//! applied together with the cursor it moves to.

use std::collections::{BTreeMap, BTreeSet};

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyRange;
use serde::{Deserialize, Serialize};
use wangge_core::sync::{
    Collection, FieldConflict, Mutation, MutationStatus, Op, PushRequest, PushResponse,
};
use wangge_core::SCHEMA_VERSION;

use super::codec::{store_of, Fields};
use super::pull::restore;
use super::schema::{CONFLICTS, EVENTS, META, OUTBOX, REJECTED, VERSIONS};
use super::{Store, StoreError};

const CLIENT_ID: &str = "client_id";
const DEVICE_ID: &str = "device_id";
const GENERATION: &str = "generation";
/// The person logged in on this phone: whose records it re-offers to a restored server.
const PERSON: &str = "person";
pub(super) const EPOCH: &str = "epoch";
pub(super) const CURSOR: &str = "cursor";
const NEXT_SEQ: &str = "next_seq";

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
    /// The server is a new one (its database was replaced): the device has reset and must
    /// push its outbox again and pull from the start.
    NewEpoch,
}

impl Store {
    pub async fn sync_meta(&self) -> Result<SyncMeta, StoreError> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readonly)
            .build()?;
        let meta = tx.object_store(META)?;
        Ok(SyncMeta {
            client_id: meta.get(CLIENT_ID.to_string()).serde()?.await?,
            epoch: meta.get(EPOCH.to_string()).serde()?.await?,
            cursor: meta.get(CURSOR.to_string()).serde()?.await?.unwrap_or(0),
        })
    }

    /// After a login: pushes go out under the new device's id from now on. A different id
    /// has never been seen by the server, so the outbox (kept through the login) is
    /// renumbered from 1 under it; bases stay, because the server's data did not change.
    /// `person` is who logged in (see [`Store::remember_person`]).
    pub async fn adopt_device(&self, device_id: &str, person: &str) -> Result<(), StoreError> {
        self.remember_person(person).await?;
        let tx = self.write_tx(&[OUTBOX, META])?;
        let meta = tx.object_store(META)?;
        let current: Option<String> = meta.get(DEVICE_ID.to_string()).serde()?.await?;
        if current.as_deref() != Some(device_id) {
            meta.put(device_id.to_string())
                .with_key(DEVICE_ID.to_string())
                .serde()?
                .await?;
            meta.put(device_id.to_string())
                .with_key(CLIENT_ID.to_string())
                .serde()?
                .await?;
            meta.put(0u32)
                .with_key(GENERATION.to_string())
                .serde()?
                .await?;
            renumber_outbox(&tx, false, Vec::new()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Remembers who uses this phone, so that after a server restore it can offer back
    /// what that person recorded (see [`Store::start_new_epoch`]). Also asked at start-up,
    /// for phones logged in before this was kept.
    pub async fn remember_person(&self, person: &str) -> Result<(), StoreError> {
        let tx = self.write_tx(&[META])?;
        tx.object_store(META)?
            .put(person.to_string())
            .with_key(PERSON.to_string())
            .serde()?
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The next push: up to `max` of the oldest pending mutations, or None when the
    /// outbox is empty (or no device has logged in yet).
    pub async fn next_push(&self, max: u32) -> Result<Option<PushRequest>, StoreError> {
        let meta = self.sync_meta().await?;
        let Some(client_id) = meta.client_id else {
            return Ok(None);
        };
        let tx = self
            .db
            .transaction(OUTBOX)
            .with_mode(TransactionMode::Readonly)
            .build()?;
        let mutations: Vec<Mutation> = tx
            .object_store(OUTBOX)?
            .get_all()
            .with_limit(max.max(1))
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        if mutations.is_empty() {
            return Ok(None);
        }
        Ok(Some(PushRequest {
            client_id,
            schema_version: SCHEMA_VERSION,
            mutations,
            epoch: meta.epoch,
        }))
    }

    /// Takes the reply to `request`: drops acknowledged entries, keeps the refused ones'
    /// reasons. A reply from a new server epoch resets the device instead (see
    /// [`Store::start_new_epoch`]).
    pub async fn on_push_response(
        &self,
        request: &PushRequest,
        response: &PushResponse,
    ) -> Result<PushOutcome, StoreError> {
        // Every record store too: a refusal can hand a record back (see below).
        let mut stores: Vec<&str> = Collection::ALL.iter().map(|c| store_of(*c)).collect();
        stores.extend([EVENTS, VERSIONS, CONFLICTS, OUTBOX, REJECTED, META]);
        let tx = self.write_tx(&stores)?;
        // Where the device stands is read in the transaction that acts on it (as a pulled
        // page does), so a reset or login in between cannot be acted on half-seen.
        let meta = tx.object_store(META)?;
        let client_id: Option<String> = meta.get(CLIENT_ID.to_string()).serde()?.await?;
        let epoch: Option<String> = meta.get(EPOCH.to_string()).serde()?.await?;
        if client_id.as_deref() != Some(request.client_id.as_str()) {
            // Nothing was written: dropping the transaction rolls it back.
            drop(tx);
            return Ok(PushOutcome::Acked {
                removed: 0,
                rejected: 0,
            });
        }
        match &epoch {
            Some(known) if *known != response.epoch => {
                drop(tx);
                self.start_new_epoch(&response.epoch).await?;
                return Ok(PushOutcome::NewEpoch);
            }
            _ => {}
        }
        let sent = request.mutations.last().map_or(0, |m| m.seq);
        let acked = response.acked_seq.min(sent);
        if epoch.is_none() {
            meta.put(response.epoch.clone())
                .with_key(EPOCH.to_string())
                .serde()?
                .await?;
        }
        let rejected_store = tx.object_store(REJECTED)?;
        let mut rejected = 0;
        // A refused event never happened on the server: it leaves the phone's history (it
        // is kept, with the reason, among the refusals) so the issue shows where it really
        // stands instead of a step nobody will ever see.
        let mut unwound = BTreeSet::new();
        // A refused put's values are dropped the same way: the server hands back the
        // record as it holds it, and the phone shows that again.
        let mut handed_back = Vec::new();
        for r in response.results.iter().filter(|r| r.seq <= acked) {
            if r.status == MutationStatus::Conflict {
                // The losing value is kept server-side as a conflict (it reaches the phone
                // by pull); the record itself must show what the server holds, even if a
                // pull already moved its versions on under the pending value.
                handed_back.extend(r.current.clone());
                continue;
            }
            if r.status != MutationStatus::Rejected {
                continue;
            }
            if let Some(m) = request.mutations.iter().find(|m| m.seq == r.seq) {
                let row = RejectedChange {
                    key: format!("{}/{}", request.client_id, r.seq),
                    mutation: m.clone(),
                    code: r.code.clone().unwrap_or_default(),
                    message: r.message.clone().unwrap_or_default(),
                };
                rejected_store.put(&row).serde()?.await?;
                rejected += 1;
                if let Op::AppendEvent { event } = &m.op {
                    drop(
                        tx.object_store(EVENTS)?
                            .delete(event.id.to_string())
                            .serde()?,
                    );
                    unwound.insert(event.issue.to_string());
                }
                handed_back.extend(r.current.clone());
            }
        }
        let outbox = tx.object_store(OUTBOX)?;
        let removed = outbox
            .count()
            .with_query::<u64, _>(KeyRange::Bound(0, false, acked, false))
            .serde()?
            .await?;
        if acked > 0 {
            outbox
                .delete::<u64, _>(KeyRange::Bound(0u64, false, acked, false))
                .serde()?
                .await?;
        }
        if !(handed_back.is_empty() && unwound.is_empty()) {
            // What is still waiting in the outbox stays on top of what comes back.
            let waiting: Vec<Mutation> =
                outbox.get_all().serde()?.await?.collect::<Result<_, _>>()?;
            restore(&tx, &handed_back, unwound, waiting).await?;
        }
        tx.commit().await?;
        Ok(PushOutcome::Acked { removed, rejected })
    }

    /// The server's database was replaced: forget what was pulled (every synced store is
    /// emptied and pulled again from 0) and push every pending mutation again under a fresh
    /// client id, numbered from 1, with bases 0 (old versions mean nothing to the new
    /// server). The same steps as the core's `Replica`; the outbox itself is never lost.
    ///
    /// A restored server may also lack what it had acknowledged after its backup, which
    /// the phone no longer has queued. So before forgetting, the phone **offers back what
    /// its person recorded** — the issues they reported, the visits they made, every step
    /// they took — ahead of the pending changes: what the server lacks is created, what it
    /// has is unchanged, and a value that differs is kept as a conflict for a person to
    /// settle. A restore then loses nothing any phone still holds of its own work.
    pub async fn start_new_epoch(&self, epoch: &str) -> Result<(), StoreError> {
        let mut stores: Vec<&str> = Collection::ALL.iter().map(|c| store_of(*c)).collect();
        stores.extend([EVENTS, VERSIONS, CONFLICTS, OUTBOX, META]);
        let tx = self.write_tx(&stores)?;
        let person: Option<String> = tx
            .object_store(META)?
            .get(PERSON.to_string())
            .serde()?
            .await?;
        let offers = match person {
            Some(p) => super::reoffer::own_work(&tx, &p).await?,
            None => Vec::new(),
        };
        for name in Collection::ALL
            .iter()
            .map(|c| store_of(*c))
            .chain([EVENTS, VERSIONS, CONFLICTS])
        {
            tx.object_store(name)?.clear()?.await?;
        }
        let meta = tx.object_store(META)?;
        let device: Option<String> = meta.get(DEVICE_ID.to_string()).serde()?.await?;
        let generation: u32 = meta
            .get(GENERATION.to_string())
            .serde()?
            .await?
            .unwrap_or(0)
            + 1;
        let client = format!("{}-e{generation}", device.unwrap_or_default());
        meta.put(generation)
            .with_key(GENERATION.to_string())
            .serde()?
            .await?;
        meta.put(client)
            .with_key(CLIENT_ID.to_string())
            .serde()?
            .await?;
        meta.put(epoch.to_string())
            .with_key(EPOCH.to_string())
            .serde()?
            .await?;
        meta.put(0u64).with_key(CURSOR.to_string()).serde()?.await?;
        renumber_outbox(&tx, true, offers).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Settles a field conflict: keeps the server's value, or (`keep_mine`) puts the value
    /// that was set aside — with the base of the current server value, so it applies —
    /// and then settles. Both travel in order through the outbox.
    pub async fn settle_conflict(
        &self,
        conflict: &FieldConflict,
        keep_mine: bool,
    ) -> Result<(), StoreError> {
        if keep_mine && conflict.field != wangge_core::sync::WHOLE_RECORD {
            let changes: Fields = [(conflict.field.clone(), conflict.device_value.clone())]
                .into_iter()
                .collect();
            self.edit(conflict.collection, &conflict.record_id, changes)
                .await?;
        }
        let tx = self.record_tx(&[CONFLICTS, OUTBOX, META])?;
        let mut settled = conflict.clone();
        settled.resolved = true;
        // Hidden from the list at once; the server's settled copy replaces it on the next pull.
        tx.object_store(CONFLICTS)?.put(&settled).serde()?.await?;
        super::actions::enqueue(
            &tx,
            vec![Op::SettleConflict {
                conflict: conflict.id.clone(),
            }],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Pending changes (the outbox's size), for the sync badge.
    pub async fn pending_count(&self) -> Result<u32, StoreError> {
        self.count(OUTBOX).await
    }

    /// Field conflicts not yet settled, for the conflict list and the issue screen.
    pub async fn open_conflicts(&self) -> Result<Vec<FieldConflict>, StoreError> {
        let tx = self
            .db
            .transaction(CONFLICTS)
            .with_mode(TransactionMode::Readonly)
            .build()?;
        let all = tx.object_store(CONFLICTS)?.get_all().serde()?.await?;
        let all: Vec<FieldConflict> = all.collect::<Result<_, _>>()?;
        Ok(all.into_iter().filter(|c| !c.resolved).collect())
    }

    /// Changes the server refused, newest last.
    pub async fn rejected_changes(&self) -> Result<Vec<RejectedChange>, StoreError> {
        let tx = self
            .db
            .transaction(REJECTED)
            .with_mode(TransactionMode::Readonly)
            .build()?;
        let all = tx.object_store(REJECTED)?.get_all().serde()?.await?;
        Ok(all.collect::<Result<_, _>>()?)
    }

    /// The worker has read a refusal and dealt with it.
    pub async fn dismiss_rejected(&self, key: &str) -> Result<(), StoreError> {
        let tx = self.write_tx(&[REJECTED])?;
        tx.object_store(REJECTED)?
            .delete(key.to_string())
            .serde()?
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Empties every store: on logout, so the next person on this phone sees nothing of
    /// the last one's residents. The caller makes sure nothing unsynced is lost.
    pub async fn wipe(&self) -> Result<(), StoreError> {
        let mut stores: Vec<&str> = Collection::ALL.iter().map(|c| store_of(*c)).collect();
        stores.extend([EVENTS, VERSIONS, CONFLICTS, OUTBOX, META, REJECTED]);
        let tx = self.write_tx(&stores)?;
        for name in stores {
            tx.object_store(name)?.clear()?.await?;
        }
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

/// Renumbers the outbox from 1 (and `next_seq` after it), optionally forgetting bases,
/// with `first` (ops re-offered to a restored server) ahead of what was queued.
async fn renumber_outbox(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    forget_bases: bool,
    first: Vec<Op>,
) -> Result<(), StoreError> {
    let outbox = tx.object_store(OUTBOX)?;
    let queued: Vec<Mutation> = outbox.get_all().serde()?.await?.collect::<Result<_, _>>()?;
    let all: Vec<Mutation> = first
        .into_iter()
        .map(|op| Mutation { seq: 0, op })
        .chain(queued)
        .collect();
    outbox.clear()?.await?;
    let count = all.len() as u64;
    for (i, mut m) in all.into_iter().enumerate() {
        m.seq = i as u64 + 1;
        if forget_bases {
            match &mut m.op {
                Op::Put { fields, .. } => fields.values_mut().for_each(|w| w.base = 0),
                Op::Delete { base, .. } => *base = 0,
                _ => {}
            }
        }
        outbox.add(&m).serde()?.await?;
    }
    tx.object_store(META)?
        .put(count + 1)
        .with_key(NEXT_SEQ.to_string())
        .serde()?
        .await?;
    Ok(())
}
