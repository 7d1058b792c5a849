//! What the hand-off screens (交办) need of units and meetings: the units the signed-in
//! person answers for, a unit with the bases its edit form opens on, adding a unit entered
//! on the phone, and a meeting's kind and date for the timeline's "(… 联席会议研判)".

use std::collections::HashMap;

use indexed_db_futures::prelude::*;
use serde::Deserialize;
use wangge_core::meeting::MeetingKind;
use wangge_core::sync::Collection;
use wangge_core::unit::Unit;
use wangge_core::{Millis, PersonId, UnitId};

use super::actions::{enqueue, put_op};
use super::codec::version_key;
use super::edit::Bases;
use super::schema::{MEETINGS, META, OUTBOX, UNITS, VERSIONS};
use super::sync::VersionRow;
use super::{Store, StoreError};

/// The units whose contact account is `person`: what they answer for on handed issues.
pub fn units_of_contact(units: &[Unit], person: &PersonId) -> Vec<UnitId> {
    units.iter().filter(|u| u.contact_person.as_ref() == Some(person)).map(|u| u.id.clone()).collect()
}

/// The fields of a meeting row the timeline shows; the agenda and attendees stay unread.
#[derive(Deserialize)]
struct MeetingHead {
    id: String,
    kind: MeetingKind,
    held_at: Millis,
}

impl Store {
    /// The units on the phone whose contact account is `person`.
    pub async fn my_units(&self, person: &PersonId) -> Result<Vec<UnitId>, StoreError> {
        let units: Vec<Unit> = self.all_of(UNITS).await?;
        Ok(units_of_contact(&units, person))
    }

    /// Kind and date of the meetings `ids` that are on the phone, by id.
    pub async fn meeting_heads(&self, ids: &[String]) -> Result<HashMap<String, (MeetingKind, Millis)>, StoreError> {
        let tx = self.read_tx(&[MEETINGS])?;
        let store = tx.object_store(MEETINGS)?;
        let mut gets = Vec::with_capacity(ids.len());
        for id in ids {
            gets.push(store.get::<MeetingHead, _, _>(id.clone()).serde()?);
        }
        let mut heads = HashMap::with_capacity(ids.len());
        for row in futures::future::join_all(gets).await {
            if let Some(m) = row? {
                heads.insert(m.id, (m.kind, m.held_at));
            }
        }
        Ok(heads)
    }

    /// A unit and the bases of its fields, read together (what its edit form opens on;
    /// the save goes through [`Store::edit_seen`]).
    pub async fn unit_with_bases(&self, id: &str) -> Result<Option<(Unit, Bases)>, StoreError> {
        let tx = self.read_tx(&[UNITS, VERSIONS])?;
        let unit: Option<Unit> = tx.object_store(UNITS)?.get(id).serde()?.await?;
        let Some(unit) = unit else {
            return Ok(None);
        };
        let versions: Option<VersionRow> =
            tx.object_store(VERSIONS)?.get(version_key(Collection::Units, id)).serde()?.await?;
        Ok(Some((unit, versions.map(|v| v.fields).unwrap_or_default())))
    }

    /// Adds a unit entered on this phone: the record and a put of every field (base 0),
    /// in one transaction. `add`, not `put`, as for households: an id already on the phone
    /// is refused rather than overwritten.
    pub async fn add_unit(&self, unit: Unit) -> Result<(), StoreError> {
        let put = put_op(Collection::Units, unit.id.as_str(), &unit)?;
        let tx = self.record_tx(&[UNITS, OUTBOX, META])?;
        tx.object_store(UNITS)?.add(&unit).serde()?.await?;
        enqueue(&tx, vec![put]).await?;
        tx.commit().await?;
        Ok(())
    }
}
