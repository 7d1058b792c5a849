//! Resets of the device's standing, written as the core decides ([`plan_new_epoch`],
//! [`plan_adopt_device`]): a new server epoch (the database was replaced or restored) and a
//! login under a new device id. A reset is written inside the transaction that found it
//! was needed (an acknowledgement, a pulled page, a refused push), never in a second one,
//! so nothing can happen between seeing the new epoch and acting on it.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use wangge_core::sync::{plan_adopt_device, plan_new_epoch, DeviceSync, Mutation, Reset};

use super::codec::{store_of, stored_collections};
use super::meta::{self, read_device_sync, write_device_sync, PERSON};
use super::schema::{CONFLICTS, HISTORY, META, OUTBOX, VERSIONS};
use super::{Store, StoreError};

impl Store {
    /// After a login: pushes go out under the new device's id from now on (see
    /// [`plan_adopt_device`]: the outbox, kept through the login, is renumbered from 1
    /// under it, bases kept). `person` is who logged in (see [`Store::remember_person`]).
    pub async fn adopt_device(&self, device_id: &str, person: &str) -> Result<(), StoreError> {
        let tx = self.write_tx(&[OUTBOX, META])?;
        let sync = read_device_sync(&tx).await?;
        if sync.device_id != device_id {
            let outbox = read_outbox(&tx).await?;
            if let Some(reset) = plan_adopt_device(&sync, device_id, outbox) {
                write_reset(&tx, &reset).await?;
            }
        }
        meta::put(&tx, PERSON, &person).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Remembers who uses this phone, so that after a server restore it can offer back
    /// what that person recorded (see [`reset_for_epoch`]). Also asked at start-up, for
    /// phones logged in before this was kept.
    pub async fn remember_person(&self, person: &str) -> Result<(), StoreError> {
        let tx = self.write_tx(&[META])?;
        meta::put(&tx, PERSON, &person).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// The server's database was replaced: forget what was pulled (every synced store is
/// emptied and pulled again from 0) and push every pending mutation again under a fresh
/// client id, numbered from 1, with bases 0 — the core's [`plan_new_epoch`]. The outbox
/// itself is never lost. `tx` must hold [`super::sync::sync_stores`].
///
/// A restored server may also lack what it had acknowledged after its backup, which the
/// phone no longer has queued. So before forgetting, the phone **offers back what its
/// person recorded** (`reoffer.rs`) ahead of the pending changes: what the server lacks
/// is created, what it has is unchanged, and a value that differs is kept as a conflict
/// for a person to settle. A restore then loses nothing any phone still holds of its own
/// work.
pub(super) async fn reset_for_epoch(tx: &Transaction<'_>, sync: &DeviceSync, epoch: &str) -> Result<(), StoreError> {
    let person: Option<String> = meta::get(tx, PERSON).await?;
    let offers = match person {
        Some(p) => super::reoffer::own_work(tx, &p).await?,
        None => Vec::new(),
    };
    let outbox = read_outbox(tx).await?;
    let reset = plan_new_epoch(sync, epoch, outbox, offers);
    for name in stored_collections().map(store_of).chain([HISTORY, VERSIONS, CONFLICTS]) {
        tx.object_store(name)?.clear()?.await?;
    }
    super::summary::clear(tx)?;
    write_reset(tx, &reset).await
}

/// Replaces the outbox and the standing with a reset's.
async fn write_reset(tx: &Transaction<'_>, reset: &Reset) -> Result<(), StoreError> {
    let outbox = tx.object_store(OUTBOX)?;
    outbox.clear()?.await?;
    for m in &reset.outbox {
        // Requests go out when built, in order; the commit is the wait for them all.
        drop(outbox.add(m).serde()?);
    }
    write_device_sync(tx, &reset.sync).await
}

/// The whole outbox, oldest first.
async fn read_outbox(tx: &Transaction<'_>) -> Result<Vec<Mutation>, StoreError> {
    Ok(tx.object_store(OUTBOX)?.get_all().serde()?.await?.collect::<Result<_, _>>()?)
}
