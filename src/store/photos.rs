//! Photos on the phone (schema v6 `photos` store, keyed by hash): each row holds the bytes
//! as a Blob (IndexedDB stores Blobs natively), its type and size, whether it is the full
//! photo or the thumbnail, and `pending` 1 until the server has it. A photo the worker
//! takes is written **in the transaction of the record that references it** (see
//! [`keep_in`]), so neither exists without the other. Rows fetched from the server are kept
//! with `pending` 0. An upload the server refused for good keeps `pending` 0 and gains
//! `failed` (its reason), which the sync line counts: never silently dropped.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::Blob;

use super::schema::PHOTOS;
use super::{Store, StoreError};
use crate::photos::js::photo_row;

/// A photo's bytes to keep: the full photo or its thumbnail.
#[derive(Clone, Debug)]
pub struct PhotoBytes {
    pub hash: String,
    pub blob: Blob,
    pub thumb: bool,
}

fn kind(thumb: bool) -> &'static str {
    if thumb {
        "thumb"
    } else {
        "full"
    }
}

/// `stores` and, when there are photos to keep, the photos store: a save without photos
/// opens the transaction it always did (and still works on a database not yet upgraded,
/// as the upgrade tests open one).
pub(super) fn stores_with<'a>(stores: &[&'a str], photos: &[PhotoBytes]) -> Vec<&'a str> {
    let mut all = stores.to_vec();
    if !photos.is_empty() {
        all.push(PHOTOS);
    }
    all
}

/// Writes the worker's new photos, pending upload, inside the caller's transaction.
pub(super) async fn keep_in(tx: &Transaction<'_>, photos: &[PhotoBytes]) -> Result<(), StoreError> {
    if photos.is_empty() {
        return Ok(());
    }
    let store = tx.object_store(PHOTOS)?;
    for p in photos {
        store.put(photo_row(&p.hash, &p.blob, kind(p.thumb), 1)).await?;
    }
    Ok(())
}

fn field(row: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(row, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

impl Store {
    /// Photos waiting for upload, oldest hash order: (hash, bytes).
    pub async fn pending_photos(&self) -> Result<Vec<(String, Blob)>, StoreError> {
        let tx = self.read_tx(&[PHOTOS])?;
        let rows = tx.object_store(PHOTOS)?.index("by_pending")?.get_all::<JsValue>().with_query(1u32).await?;
        let mut out = Vec::new();
        for row in rows {
            let row = row?;
            if let (Some(hash), Ok(blob)) = (field(&row, "hash").as_string(), field(&row, "blob").dyn_into::<Blob>()) {
                out.push((hash, blob));
            }
        }
        Ok(out)
    }

    /// Marks an upload done (`failed` None) or refused for good (`failed` its reason).
    pub async fn photo_settled(&self, hash: &str, failed: Option<&str>) -> Result<(), StoreError> {
        let tx = self.write_tx(&[PHOTOS])?;
        let store = tx.object_store(PHOTOS)?;
        let Some(row) = store.get::<JsValue, _, _>(hash).await? else {
            return Ok(());
        };
        let _ = js_sys::Reflect::set(&row, &"pending".into(), &0.into());
        if let Some(reason) = failed {
            let _ = js_sys::Reflect::set(&row, &"failed".into(), &reason.into());
        }
        store.put(row).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Photos waiting for upload, as the worker counts them (a thumbnail goes with its
    /// photo and is not counted), and uploads refused for good (any, thumbnails too: a
    /// refusal must be seen), for the sync line. Only those rows are read, through the
    /// indexes: few, and their Blobs are read as handles, not bytes.
    pub async fn photo_counts(&self) -> Result<(u32, u32), StoreError> {
        let tx = self.read_tx(&[PHOTOS])?;
        let store = tx.object_store(PHOTOS)?;
        let full = |rows: Vec<JsValue>| {
            rows.iter().filter(|r| field(r, "kind").as_string().as_deref() == Some("full")).count() as u32
        };
        let pending = store.index("by_pending")?.get_all::<JsValue>().with_query(1u32).await?;
        let pending = full(pending.collect::<Result<_, _>>()?);
        let failed = store.index("by_failed")?.count().await?;
        Ok((pending, failed))
    }

    /// The bytes of a photo the phone holds.
    pub async fn photo_blob(&self, hash: &str) -> Result<Option<Blob>, StoreError> {
        let tx = self.read_tx(&[PHOTOS])?;
        let row = tx.object_store(PHOTOS)?.get::<JsValue, _, _>(hash).await?;
        Ok(row.and_then(|r| field(&r, "blob").dyn_into().ok()))
    }

    /// Keeps a photo fetched from the server (nothing to upload). One it already has is
    /// left as it is (it may still be pending here).
    pub async fn keep_fetched_photo(&self, hash: &str, blob: &Blob, thumb: bool) -> Result<(), StoreError> {
        let tx = self.write_tx(&[PHOTOS])?;
        let store = tx.object_store(PHOTOS)?;
        if store.get::<JsValue, _, _>(hash).await?.is_none() {
            store.put(photo_row(hash, blob, kind(thumb), 0)).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Of `hashes`, those the phone does not hold.
    pub async fn missing_photos(&self, hashes: Vec<String>) -> Result<Vec<String>, StoreError> {
        let tx = self.read_tx(&[PHOTOS])?;
        let store = tx.object_store(PHOTOS)?;
        let mut out = Vec::new();
        for h in hashes {
            if store.count().with_query(h.as_str()).await? == 0 {
                out.push(h);
            }
        }
        Ok(out)
    }
}
