//! Writing emergencies (平急转换) on the phone: staff switch a node into emergency (one new
//! record, a put of every field at base 0) and back (the `ended` field through `edit.rs`'s
//! `edit_in`); anyone in the scope reports available as their own keyed field
//! `report:<person id>`, so two people reporting at once both keep theirs. Each is checked
//! with the core's rules first (`emergency::check`, `check_node`): a refused one writes
//! nothing.

use indexed_db_futures::prelude::*;
use wangge_core::emergency::{check, check_node, Emergency, EmergencyError, Ended, Report, Reports};
use wangge_core::grid::GridTree;
use wangge_core::sync::Collection;
use wangge_core::{EmergencyId, PersonId};

use super::actions::{enqueue, put_op};
use super::codec::Fields;
use super::edit::edit_in;
use super::schema::{EMERGENCIES, META, OUTBOX, VERSIONS};
use super::{Store, StoreError};

/// Why a switch or a report was not saved.
#[derive(Debug, Clone, PartialEq)]
pub enum EmergencySaveError {
    /// The core refused it (its message goes beside the form).
    Refused(EmergencyError),
    /// Reading or writing the phone's store failed.
    Store(StoreError),
}

impl From<StoreError> for EmergencySaveError {
    fn from(e: StoreError) -> EmergencySaveError {
        EmergencySaveError::Store(e)
    }
}

impl From<indexed_db_futures::error::Error> for EmergencySaveError {
    fn from(e: indexed_db_futures::error::Error) -> EmergencySaveError {
        EmergencySaveError::Store(e.into())
    }
}

impl EmergencySaveError {
    /// What the user reads beside the form.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        match (self, lang) {
            (EmergencySaveError::Refused(e), crate::i18n::Lang::Zh) => e.message_zh(),
            (EmergencySaveError::Refused(e), crate::i18n::Lang::En) => e.message_en(),
            (EmergencySaveError::Store(e), l) => e.message(l),
        }
    }
}

impl Store {
    /// Switches `e.grid` into emergency: the record and its put in one transaction
    /// (`add`: an id already on the phone is refused).
    pub async fn start_emergency(&self, e: &Emergency, tree: &GridTree) -> Result<(), EmergencySaveError> {
        check(e).and_then(|()| check_node(tree, &e.grid)).map_err(EmergencySaveError::Refused)?;
        let put = put_op(Collection::Emergencies, e.id.as_str(), e)?;
        let tx = self.record_tx(&[EMERGENCIES, OUTBOX, META])?;
        tx.object_store(EMERGENCIES)?.add(e).serde()?.await?;
        enqueue(&tx, vec![put]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Switches the emergency `id` back: its `ended` field, checked against the record as
    /// stored (ended no earlier than started) in the same transaction.
    pub async fn end_emergency(&self, id: &EmergencyId, ended: &Ended) -> Result<(), EmergencySaveError> {
        let tx = self.record_tx(&[EMERGENCIES, VERSIONS, OUTBOX, META])?;
        let mut stored = stored_in(&tx, id).await?;
        stored.ended = Some(ended.clone());
        check(&stored).map_err(EmergencySaveError::Refused)?;
        let changes = field("ended", ended)?;
        if let Some(put) = edit_in(&tx, Collection::Emergencies, id.as_str(), changes, None).await? {
            enqueue(&tx, vec![put]).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// `person` reports available on the emergency `id` (主动报到): their own keyed field;
    /// reporting again replaces their earlier note.
    pub async fn report_available(
        &self,
        id: &EmergencyId,
        person: &PersonId,
        report: &Report,
    ) -> Result<(), EmergencySaveError> {
        let tx = self.record_tx(&[EMERGENCIES, VERSIONS, OUTBOX, META])?;
        stored_in(&tx, id).await?;
        let changes = field(&Reports::field(person), report)?;
        if let Some(put) = edit_in(&tx, Collection::Emergencies, id.as_str(), changes, None).await? {
            enqueue(&tx, vec![put]).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

async fn stored_in(
    tx: &indexed_db_futures::transaction::Transaction<'_>,
    id: &EmergencyId,
) -> Result<Emergency, StoreError> {
    let stored: Option<Emergency> = tx.object_store(EMERGENCIES)?.get(id.as_str()).serde()?.await?;
    stored.ok_or_else(|| StoreError::Invalid(format!("emergency {id} is not on this phone")))
}

/// One field's change, as `edit_in` takes it.
fn field(name: &str, value: &impl serde::Serialize) -> Result<Fields, StoreError> {
    let value = serde_json::to_value(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    Ok([(name.to_string(), value)].into_iter().collect())
}
