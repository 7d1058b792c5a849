//! The device's sync standing in the `meta` store: its keys, defined here only, read as
//! one [`DeviceSync`] and written back as one, always inside the caller's transaction
//! (the transaction that acts on the standing is the one that reads it).

use std::collections::BTreeSet;

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wangge_core::sync::DeviceSync;

use super::schema::META;
use super::StoreError;

/// The id pushes go out under (`DeviceSync::client_id`).
pub(super) const CLIENT_ID: &str = "client_id";
/// The id the server gave this device at login.
pub(super) const DEVICE_ID: &str = "device_id";
/// How many server epochs this device has moved through.
pub(super) const GENERATION: &str = "generation";
/// The person logged in on this phone: whose records it re-offers to a restored server.
pub(super) const PERSON: &str = "person";
/// The server epoch last heard.
pub(super) const EPOCH: &str = "epoch";
/// Epochs this device has left: replies naming one are stale.
pub(super) const RETIRED_EPOCHS: &str = "retired_epochs";
/// The version to pull from next.
pub(super) const CURSOR: &str = "cursor";
/// The seq the next queued mutation gets.
pub(super) const NEXT_SEQ: &str = "next_seq";
/// Set by schema step v9 until the rows of `issue_events` and the issues' `versions` rows
/// have moved into `issue_history` (`history_move.rs`).
pub(super) const HISTORY_TO_MOVE: &str = "history_to_move";
/// Set by schema step v10 until the dashboard's summary has been built from the records
/// (`summary_build.rs`); while it is set the dashboard reads the records instead.
pub(super) const SUMMARY_TO_BUILD: &str = "summary_to_build";

/// Reads where the device stands. Every key is asked for at once and the answers awaited
/// after (IndexedDB answers a transaction's requests in order); a phone that has not
/// logged in has an empty device id and no client id.
pub(super) async fn read_device_sync(tx: &Transaction<'_>) -> Result<DeviceSync, StoreError> {
    let meta = tx.object_store(META)?;
    let device_id = meta.get(DEVICE_ID.to_string()).serde()?;
    let generation = meta.get(GENERATION.to_string()).serde()?;
    let client_id = meta.get(CLIENT_ID.to_string()).serde()?;
    let epoch = meta.get(EPOCH.to_string()).serde()?;
    let retired = meta.get(RETIRED_EPOCHS.to_string()).serde()?;
    let cursor = meta.get(CURSOR.to_string()).serde()?;
    let next_seq = meta.get(NEXT_SEQ.to_string()).serde()?;
    let device_id: Option<String> = device_id.await?;
    let generation: Option<u32> = generation.await?;
    let retired: Option<Vec<String>> = retired.await?;
    Ok(DeviceSync {
        device_id: device_id.unwrap_or_default(),
        generation: generation.unwrap_or(0),
        client_id: client_id.await?,
        epoch: epoch.await?,
        retired_epochs: wangge_core::sort::insert_all::<BTreeSet<_>, _>(retired.unwrap_or_default()),
        cursor: cursor.await?.unwrap_or(0),
        next_seq: next_seq.await?.unwrap_or(1),
    })
}

/// Writes the whole standing (after a reset or a login).
pub(super) async fn write_device_sync(tx: &Transaction<'_>, sync: &DeviceSync) -> Result<(), StoreError> {
    put(tx, DEVICE_ID, &sync.device_id).await?;
    put(tx, GENERATION, &sync.generation).await?;
    match &sync.client_id {
        Some(id) => put(tx, CLIENT_ID, id).await?,
        None => tx.object_store(META)?.delete(CLIENT_ID.to_string()).serde()?.await?,
    }
    match &sync.epoch {
        Some(epoch) => put(tx, EPOCH, epoch).await?,
        None => tx.object_store(META)?.delete(EPOCH.to_string()).serde()?.await?,
    }
    let retired: Vec<&String> = sync.retired_epochs.iter().collect();
    put(tx, RETIRED_EPOCHS, &retired).await?;
    put(tx, CURSOR, &sync.cursor).await?;
    put(tx, NEXT_SEQ, &sync.next_seq).await
}

/// Writes one meta key.
pub(super) async fn put(tx: &Transaction<'_>, key: &str, value: &impl Serialize) -> Result<(), StoreError> {
    tx.object_store(META)?.put(value).with_key(key.to_string()).serde()?.await?;
    Ok(())
}

/// Reads one meta key.
pub(super) async fn get<T: DeserializeOwned>(tx: &Transaction<'_>, key: &str) -> Result<Option<T>, StoreError> {
    Ok(tx.object_store(META)?.get(key.to_string()).serde()?.await?)
}
