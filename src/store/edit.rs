//! Editing records the phone already has: only the fields that changed travel, each with
//! the server version it was last pulled at (its base), so the server can tell a stale
//! edit from a fresh one and keep both sides of a real conflict.

use std::collections::BTreeMap;

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use serde_json::Value;
use wangge_core::issue::IssueState;
use wangge_core::sort::insert_all;
use wangge_core::sync::{Collection, FieldWrite, Op};

use super::actions::enqueue;
use super::codec::{fields_of_row, row_from_fields, store_of, Fields};
use super::history::{versions_of, VERSION_STORES};
use super::rows::IssueRow;
use super::schema::{HISTORY, ISSUES, META, OUTBOX};
use super::{Store, StoreError};

/// The server version each field of a record was last pulled at, by field name.
pub type Bases = BTreeMap<String, u64>;

impl Store {
    /// An issue and the bases of its fields, read in one transaction so that the two
    /// belong together: what an edit form opens on (see [`Store::edit_seen`]).
    pub async fn issue_with_bases(&self, id: &str) -> Result<Option<(IssueRow, Bases)>, StoreError> {
        let tx = self.read_tx(&[ISSUES, HISTORY])?;
        let row: Option<IssueRow> = tx.object_store(ISSUES)?.get(id).serde()?.await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let versions = versions_of(&tx, Collection::Issues, id).await?;
        Ok(Some((row, versions.map(|v| v.fields).unwrap_or_default())))
    }

    /// Changes some fields of a record, checked against the core type (an invalid result
    /// is refused with [`StoreError::Invalid`] and nothing is written). Returns whether
    /// anything changed: setting a field to the value it has queues nothing.
    pub async fn edit(&self, collection: Collection, id: &str, changes: Fields) -> Result<bool, StoreError> {
        self.edit_seen(collection, id, changes, None).await
    }

    /// [`Store::edit`] from a form that showed the record with the bases `seen`. Pulls may
    /// land while a form is open; each field then goes with the base the worker saw (the
    /// lower of `seen` and the phone's, which also covers a new server epoch, where the
    /// phone forgot its bases), so a field another device changed meanwhile becomes a
    /// conflict on the server instead of being replaced by a value set blind.
    pub async fn edit_seen(
        &self,
        collection: Collection,
        id: &str,
        changes: Fields,
        seen: Option<&Bases>,
    ) -> Result<bool, StoreError> {
        let tx = self.record_tx(&[&[store_of(collection), OUTBOX, META][..], &VERSION_STORES].concat())?;
        let Some(put) = edit_in(&tx, collection, id, changes, seen).await? else {
            return Ok(false);
        };
        enqueue(&tx, vec![put]).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// [`Store::edit_seen`] inside the caller's transaction (over the collection's store and
/// `VERSION_STORES`): writes the changed record and returns the put to enqueue, or `None` when
/// nothing changed. A meeting's decision uses it beside the issue's events.
pub(super) async fn edit_in(
    tx: &Transaction<'_>,
    collection: Collection,
    id: &str,
    changes: Fields,
    seen: Option<&Bases>,
) -> Result<Option<Op>, StoreError> {
    let store_name = store_of(collection);
    let store = tx.object_store(store_name)?;
    let row: Option<Value> = store.get(id).serde()?.await?;
    let row = row.ok_or_else(|| StoreError::Invalid(format!("{} {id} is not on this phone", collection.name())))?;
    let state: Option<IssueState> = match collection {
        Collection::Issues => row.get("state").cloned().and_then(|s| serde_json::from_value(s).ok()),
        // Only an issue's row carries state derived from other records (its events).
        Collection::Grids
        | Collection::People
        | Collection::Households
        | Collection::Units
        | Collection::Visits
        | Collection::Meetings
        | Collection::Mediations
        | Collection::ListEntries
        | Collection::Tasks
        | Collection::Emergencies => None,
    };
    let mut fields = fields_of_row(collection, row)?;
    let changed: Fields = insert_all(changes.into_iter().filter(|(k, v)| fields.get(k) != Some(v)));
    if changed.is_empty() {
        return Ok(None);
    }
    fields.extend(changed.clone());
    let new_row = row_from_fields(collection, fields, state)?;
    store.put(&new_row).serde()?.await?;
    let versions = versions_of(tx, collection, id).await?;
    let writes: BTreeMap<String, FieldWrite> = insert_all(changed.into_iter().map(|(name, value)| {
        let base = versions.as_ref().and_then(|v| v.fields.get(&name).copied()).unwrap_or(0);
        let base = seen.map_or(base, |s| base.min(s.get(&name).copied().unwrap_or(0)));
        (name, FieldWrite { value, base })
    }));
    Ok(Some(Op::Put { collection, id: id.to_string(), fields: writes }))
}
