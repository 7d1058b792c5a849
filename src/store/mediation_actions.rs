//! Recording a mediation case on the phone. Opening one writes the record (every field,
//! base 0) with its outbox entry; every later change (a party, a session, a term, the
//! outcome, a term kept) writes only the fields that changed, with their bases, through
//! `edit.rs`. Both first check the would-be case with the core (`mediation::check`), the
//! rule the server applies to the merged record: a refused case writes nothing.

use indexed_db_futures::prelude::*;
use wangge_core::mediation::{check, Case, MediationError};
use wangge_core::sync::Collection;
use wangge_core::CaseId;

use super::actions::{enqueue, put_op};
use super::codec::Fields;
use super::edit::{edit_in, Bases};
use super::photos::{keep_in, stores_with, PhotoBytes};
use super::schema::{MEDIATIONS, META, OUTBOX, VERSIONS};
use super::{Store, StoreError};

/// Why a change to a case was not saved.
#[derive(Debug, Clone, PartialEq)]
pub enum CaseError {
    /// The core refused the case as it would be (its message goes beside the form).
    Refused(MediationError),
    /// Reading or writing the phone's store failed.
    Store(StoreError),
}

impl From<StoreError> for CaseError {
    fn from(e: StoreError) -> CaseError {
        CaseError::Store(e)
    }
}

impl From<indexed_db_futures::error::Error> for CaseError {
    fn from(e: indexed_db_futures::error::Error) -> CaseError {
        CaseError::Store(e.into())
    }
}

impl CaseError {
    /// What the worker reads beside the form.
    pub fn message(&self, lang: crate::i18n::Lang) -> String {
        match (self, lang) {
            (CaseError::Refused(e), crate::i18n::Lang::Zh) => e.message_zh(),
            (CaseError::Refused(e), crate::i18n::Lang::En) => e.message_en(),
            (CaseError::Store(e), l) => e.message(l),
        }
    }
}

/// `case` with `changes` applied, as the core reads it.
fn with_changes(case: &Case, changes: &Fields) -> Result<Case, StoreError> {
    let mut fields = match serde_json::to_value(case) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => return Err(StoreError::Corrupt("a case is not a map".into())),
    };
    for (k, v) in changes {
        fields.insert(k.clone(), v.clone());
    }
    // A null clears an optional field, as the sync merge does.
    fields.retain(|_, v| !v.is_null());
    serde_json::from_value(serde_json::Value::Object(fields)).map_err(|e| StoreError::Invalid(e.to_string()))
}

impl Store {
    /// Opens a case recorded on this phone: the record and a put of every field with
    /// base 0, together. `add`: an id already on the phone is refused.
    pub async fn open_case(&self, case: &Case) -> Result<(), CaseError> {
        check(case).map_err(CaseError::Refused)?;
        let put = put_op(Collection::Mediations, case.id.as_str(), case)?;
        let tx = self.record_tx(&[MEDIATIONS, OUTBOX, META])?;
        tx.object_store(MEDIATIONS)?.add(case).serde()?.await?;
        enqueue(&tx, vec![put]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes fields of a case (`party:<id>`, `session:<id>`, `term:<id>`, `outcome`, …)
    /// from a form that showed it with the bases `seen`, after checking the case as it
    /// would be, read in the same transaction. Returns whether anything changed.
    pub async fn edit_case(&self, id: &CaseId, changes: Fields, seen: Option<&Bases>) -> Result<bool, CaseError> {
        self.edit_case_with(id, changes, seen, &[]).await
    }

    /// [`Store::edit_case`] with the photos a recorded session references, together.
    pub async fn edit_case_with(
        &self,
        id: &CaseId,
        changes: Fields,
        seen: Option<&Bases>,
        photos: &[PhotoBytes],
    ) -> Result<bool, CaseError> {
        let tx = self.record_tx(&stores_with(&[MEDIATIONS, VERSIONS, OUTBOX, META], photos))?;
        let stored: Option<Case> = tx.object_store(MEDIATIONS)?.get(id.as_str()).serde()?.await?;
        let stored = stored.ok_or_else(|| StoreError::Invalid(format!("case {id} is not on this phone")))?;
        check(&with_changes(&stored, &changes)?).map_err(CaseError::Refused)?;
        let Some(put) = edit_in(&tx, Collection::Mediations, id.as_str(), changes, seen).await? else {
            return Ok(false);
        };
        keep_in(&tx, photos).await?;
        enqueue(&tx, vec![put]).await?;
        tx.commit().await?;
        Ok(true)
    }
}
