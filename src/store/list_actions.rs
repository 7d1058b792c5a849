//! Writing the three lists on the phone. Adding an entry writes the record (every field,
//! base 0) with its outbox entry; matching, claiming and fulfilling a need are field edits
//! with their bases (`edit.rs`'s `edit_in`), so two phones merge field by field. Both are
//! checked with the core's `lists::check` on the record as it would be stored, inside the
//! same transaction: a refused change (a need met before anyone took it) writes nothing.

use indexed_db_futures::prelude::*;
use serde_json::Value;
use wangge_core::lists::{check, ListEntry, ListError};
use wangge_core::sync::Collection;
use wangge_core::ListEntryId;

use super::actions::{enqueue, put_op};
use super::codec::{fields_of, Fields};
use super::edit::{edit_in, Bases};
use super::schema::{LIST_ENTRIES, META, OUTBOX, VERSIONS};
use super::{Store, StoreError};

/// Why a list entry was not saved.
#[derive(Debug, Clone, PartialEq)]
pub enum ListSaveError {
    /// The core refused the entry as it would be (its message goes beside the form).
    Refused(ListError),
    /// Reading or writing the phone's store failed.
    Store(StoreError),
}

impl From<StoreError> for ListSaveError {
    fn from(e: StoreError) -> ListSaveError {
        ListSaveError::Store(e)
    }
}

impl From<indexed_db_futures::error::Error> for ListSaveError {
    fn from(e: indexed_db_futures::error::Error) -> ListSaveError {
        ListSaveError::Store(e.into())
    }
}

impl Store {
    /// Adds an entry entered on this phone: the record and a put of every field with base
    /// 0, together. `add`: an id already on the phone is refused.
    pub async fn add_list_entry(&self, entry: &ListEntry) -> Result<(), ListSaveError> {
        check(entry).map_err(ListSaveError::Refused)?;
        let put = put_op(Collection::ListEntries, entry.id.as_str(), entry)?;
        let tx = self.record_tx(&[LIST_ENTRIES, OUTBOX, META])?;
        tx.object_store(LIST_ENTRIES)?.add(entry).serde()?.await?;
        enqueue(&tx, vec![put]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes fields of an entry (`null` clears one) from a form that showed it with the
    /// bases `seen`. Returns whether anything changed.
    pub async fn edit_list_entry(
        &self,
        id: &ListEntryId,
        changes: Fields,
        seen: Option<&Bases>,
    ) -> Result<bool, ListSaveError> {
        let tx = self.record_tx(&[LIST_ENTRIES, VERSIONS, OUTBOX, META])?;
        let current: Option<ListEntry> = tx.object_store(LIST_ENTRIES)?.get(id.as_str()).serde()?.await?;
        let current = current.ok_or_else(|| StoreError::Invalid(format!("list entry {id} is not on this phone")))?;
        // Checked as it would be stored, read in this transaction so nothing slips in between.
        let mut fields = fields_of(&current)?;
        fields.extend(changes.clone());
        fields.retain(|_, v| !v.is_null());
        let after: ListEntry =
            serde_json::from_value(Value::Object(fields)).map_err(|e| StoreError::Invalid(e.to_string()))?;
        check(&after).map_err(ListSaveError::Refused)?;
        let Some(put) = edit_in(&tx, Collection::ListEntries, id.as_str(), changes, seen).await? else {
            return Ok(false);
        };
        enqueue(&tx, vec![put]).await?;
        tx.commit().await?;
        Ok(true)
    }
}
