//! The store's half of sync: what to push next, what an acknowledgement removes, and how a
//! pulled page lands — each step one IndexedDB transaction, so a tab closed mid-sync leaves
//! either the step or nothing. The device follows the core's `sync::Replica` model (the
//! executable spec the simulation checks): an outbox entry leaves only when the server
//! acknowledged its seq, and a page is applied together with the cursor it moves to.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use indexed_db_futures::KeyRange;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use wangge_core::issue::{derive, IssueEvent};
use wangge_core::sync::{
    Change, Collection, FieldConflict, Mutation, MutationStatus, Op, PullRequest, PullResponse,
    PushRequest, PushResponse,
};
use wangge_core::SCHEMA_VERSION;

use super::codec::{fields_of_row, row_from_fields, store_of, version_key, Fields};
use super::schema::{CONFLICTS, EVENTS, ISSUES, META, OUTBOX, REJECTED, VERSIONS};
use super::{Store, StoreError};

const CLIENT_ID: &str = "client_id";
const DEVICE_ID: &str = "device_id";
const GENERATION: &str = "generation";
const EPOCH: &str = "epoch";
const CURSOR: &str = "cursor";
const NEXT_SEQ: &str = "next_seq";

/// The server versions of a record and its fields, as last pulled.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct VersionRow {
    pub(crate) key: String,
    pub(crate) version: u64,
    pub(crate) fields: BTreeMap<String, u64>,
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
    pub async fn adopt_device(&self, device_id: &str) -> Result<(), StoreError> {
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
            renumber_outbox(&tx, false).await?;
        }
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
        let meta = self.sync_meta().await?;
        if meta.client_id.as_deref() != Some(request.client_id.as_str()) {
            return Ok(PushOutcome::Acked {
                removed: 0,
                rejected: 0,
            });
        }
        match &meta.epoch {
            Some(known) if *known != response.epoch => {
                self.start_new_epoch(&response.epoch).await?;
                return Ok(PushOutcome::NewEpoch);
            }
            _ => {}
        }
        let sent = request.mutations.last().map_or(0, |m| m.seq);
        let acked = response.acked_seq.min(sent);
        let tx = self.write_tx(&[OUTBOX, REJECTED, META, EVENTS, ISSUES])?;
        if meta.epoch.is_none() {
            tx.object_store(META)?
                .put(response.epoch.clone())
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
        for r in response
            .results
            .iter()
            .filter(|r| r.status == MutationStatus::Rejected && r.seq <= acked)
        {
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
            }
        }
        rederive_issues(&tx, unwound, HashMap::new()).await?;
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
        tx.commit().await?;
        Ok(PushOutcome::Acked { removed, rejected })
    }

    /// The server's database was replaced: forget what was pulled (every synced store is
    /// emptied and pulled again from 0) and push every pending mutation again under a fresh
    /// client id, numbered from 1, with bases 0 (old versions mean nothing to the new
    /// server). The same steps as the core's `Replica`; the outbox itself is never lost.
    pub async fn start_new_epoch(&self, epoch: &str) -> Result<(), StoreError> {
        let mut stores: Vec<&str> = Collection::ALL.iter().map(|c| store_of(*c)).collect();
        stores.extend([EVENTS, VERSIONS, CONFLICTS, OUTBOX, META]);
        let tx = self.write_tx(&stores)?;
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
        renumber_outbox(&tx, true).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Applies one pull page and its cursor in one transaction. Returns whether the page
    /// was used (a page from another epoch resets the device instead; one asked from an
    /// older cursor is ignored, as the core's `Replica` does).
    pub async fn apply_pull(
        &self,
        request: &PullRequest,
        response: &PullResponse,
    ) -> Result<PullOutcome, StoreError> {
        let meta = self.sync_meta().await?;
        match &meta.epoch {
            Some(known) if *known != response.epoch => {
                self.start_new_epoch(&response.epoch).await?;
                return Ok(PullOutcome::NewEpoch);
            }
            _ => {}
        }
        if request.cursor > meta.cursor {
            return Ok(PullOutcome::Ignored);
        }
        let mut stores: Vec<&str> = Collection::ALL.iter().map(|c| store_of(*c)).collect();
        stores.extend([EVENTS, VERSIONS, CONFLICTS, OUTBOX, META]);
        let tx = self.write_tx(&stores)?;
        let pending = pending_puts(&tx).await?;
        let mut issue_fields: HashMap<String, Fields> = HashMap::new();
        let mut touched: BTreeSet<String> = BTreeSet::new();
        let mut applied = 0u32;
        for change in response
            .changes
            .iter()
            .filter(|c| c.version() > meta.cursor)
        {
            applied += 1;
            match change {
                Change::Upsert {
                    collection,
                    id,
                    version,
                    fields,
                } => {
                    let key = version_key(*collection, id);
                    let versions = VersionRow {
                        key: key.clone(),
                        version: *version,
                        fields: fields.iter().map(|(k, v)| (k.clone(), v.version)).collect(),
                    };
                    drop(tx.object_store(VERSIONS)?.put(&versions).serde()?);
                    let mut values: Fields = fields
                        .iter()
                        .map(|(k, v)| (k.clone(), v.value.clone()))
                        .collect();
                    // What the worker changed and the server has not acknowledged yet
                    // stays on screen: the view is the pulled state plus the outbox.
                    if let Some(mine) = pending.get(&key) {
                        values.extend(mine.clone());
                    }
                    if *collection == Collection::Issues {
                        touched.insert(id.clone());
                        issue_fields.insert(id.clone(), values);
                    } else {
                        match row_from_fields(*collection, values, None) {
                            Ok(row) => {
                                drop(tx.object_store(store_of(*collection))?.put(&row).serde()?)
                            }
                            // A record this build cannot read (a newer app wrote it) is
                            // skipped, not allowed to stop every later change.
                            Err(e) => web_sys::console::warn_1(
                                &format!("skipped a {} record: {e:?}", collection.name()).into(),
                            ),
                        }
                    }
                }
                Change::Tombstone { collection, id, .. } | Change::Evict { collection, id, .. } => {
                    tx.object_store(store_of(*collection))?
                        .delete(id.clone())
                        .serde()?
                        .await?;
                    tx.object_store(VERSIONS)?
                        .delete(version_key(*collection, id))
                        .serde()?
                        .await?;
                    if *collection == Collection::Issues {
                        touched.remove(id);
                        issue_fields.remove(id);
                        delete_events_of(&tx, id).await?;
                    }
                }
                Change::Event { event, .. } => {
                    drop(tx.object_store(EVENTS)?.put(event).serde()?);
                    touched.insert(event.issue.to_string());
                }
                Change::Conflict { conflict, .. } => {
                    drop(tx.object_store(CONFLICTS)?.put(conflict).serde()?);
                }
            }
        }
        rederive_issues(&tx, touched, issue_fields).await?;
        tx.object_store(META)?
            .put(meta.cursor.max(response.cursor))
            .with_key(CURSOR.to_string())
            .serde()?
            .await?;
        if meta.epoch.is_none() {
            tx.object_store(META)?
                .put(response.epoch.clone())
                .with_key(EPOCH.to_string())
                .serde()?
                .await?;
        }
        tx.commit().await?;
        Ok(PullOutcome::Applied { changes: applied })
    }

    /// Settles a field conflict: keeps the server's value, or (`keep_mine`) puts the value
    /// that was set aside — with the base of the current server value, so it applies —
    /// and then settles. Both travel in order through the outbox.
    pub async fn settle_conflict(
        &self,
        conflict: &FieldConflict,
        keep_mine: bool,
    ) -> Result<(), StoreError> {
        if keep_mine && conflict.field != "_deleted" {
            let changes: Fields = [(conflict.field.clone(), conflict.device_value.clone())]
                .into_iter()
                .collect();
            self.edit(conflict.collection, &conflict.record_id, changes)
                .await?;
        }
        let tx = self.write_tx(&[CONFLICTS, OUTBOX, META])?;
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

/// Renumbers the outbox from 1 (and `next_seq` after it), optionally forgetting bases.
async fn renumber_outbox(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    forget_bases: bool,
) -> Result<(), StoreError> {
    let outbox = tx.object_store(OUTBOX)?;
    let all: Vec<Mutation> = outbox.get_all().serde()?.await?.collect::<Result<_, _>>()?;
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

/// The values of pending puts per record (oldest first, later ones winning).
async fn pending_puts(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
) -> Result<HashMap<String, Fields>, StoreError> {
    let all: Vec<Mutation> = tx
        .object_store(OUTBOX)?
        .get_all()
        .serde()?
        .await?
        .collect::<Result<_, _>>()?;
    let mut map: HashMap<String, Fields> = HashMap::new();
    for m in all {
        if let Op::Put {
            collection,
            id,
            fields,
        } = m.op
        {
            let entry = map.entry(version_key(collection, &id)).or_default();
            entry.extend(fields.into_iter().map(|(k, w)| (k, w.value)));
        }
    }
    Ok(map)
}

async fn delete_events_of(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    issue: &str,
) -> Result<(), StoreError> {
    let events = tx.object_store(EVENTS)?;
    let keys: Vec<String> = events
        .index("by_issue")?
        .get_all_keys()
        .with_query(issue.to_string())
        .serde()?
        .await?
        .collect::<Result<_, _>>()?;
    for k in keys {
        drop(events.delete(k).serde()?);
    }
    Ok(())
}

/// Rebuilds the rows of issues whose record or history changed: state is derived from
/// every event the phone holds (pulled and its own), by the core's one state machine.
async fn rederive_issues(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    touched: BTreeSet<String>,
    mut fields: HashMap<String, Fields>,
) -> Result<(), StoreError> {
    let issues = tx.object_store(ISSUES)?;
    let events = tx.object_store(EVENTS)?;
    let by_issue = events.index("by_issue")?;
    // Ask for every history at once: one round trip per page, not one per issue.
    let mut histories = Vec::with_capacity(touched.len());
    for id in &touched {
        histories.push(by_issue.get_all().with_query(id.clone()).serde()?);
    }
    let histories = futures::future::join_all(histories).await;
    for (id, history) in touched.into_iter().zip(histories) {
        let history: Vec<IssueEvent> = history?.collect::<Result<_, _>>()?;
        let record = match fields.remove(&id) {
            Some(f) => f,
            None => {
                let stored: Option<Value> = issues.get(id.clone()).serde()?.await?;
                match stored {
                    Some(row) => fields_of_row(Collection::Issues, row)?,
                    // Events of an issue the phone does not hold (yet): kept, derived later.
                    None => continue,
                }
            }
        };
        match row_from_fields(Collection::Issues, record, Some(derive(&history).state)) {
            Ok(row) => drop(issues.put(&row).serde()?),
            Err(e) => web_sys::console::warn_1(&format!("skipped an issue record: {e:?}").into()),
        }
    }
    Ok(())
}
