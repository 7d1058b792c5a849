//! What the household screens need to edit a roster offline: the household with the bases
//! its form opens on, and for its history who last wrote each field on the server (as
//! pulled) and the phone's own unsynced writes (待同步). The writes themselves go through [`Store::add_household`] (a
//! new household) and [`Store::edit_seen`] (only the changed fields: a new member is a
//! new `member:<id>` field, base 0; an edited one its field with the base last pulled).

use std::collections::BTreeMap;

use indexed_db_futures::prelude::*;
use serde_json::Value;
use wangge_core::sync::{Collection, Mutation, Op};

use super::codec::version_key;
use super::edit::Bases;
use super::history::{versions_of, VERSION_STORES};
use super::rows::HouseholdRow;
use super::schema::{HOUSEHOLDS, OUTBOX, VERSIONS};
use super::sync::VersionRow;
use super::{Store, StoreError};

/// One field write waiting in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingWrite {
    /// Its place in the outbox (later writes of a field replace earlier ones).
    pub seq: u64,
    pub field: String,
    pub value: Value,
    /// The server version it was based on; 0 for a field the server has never had.
    pub base: u64,
}

impl Store {
    /// A household and the bases of its fields, read in one transaction (what a roster
    /// form opens on, see [`Store::edit_seen`]).
    pub async fn household_with_bases(&self, id: &str) -> Result<Option<(HouseholdRow, Bases)>, StoreError> {
        let tx = self.read_tx(&[HOUSEHOLDS, VERSIONS])?;
        let row: Option<HouseholdRow> = tx.object_store(HOUSEHOLDS)?.get(id).serde()?.await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let versions: Option<VersionRow> =
            tx.object_store(VERSIONS)?.get(version_key(Collection::Households, id)).serde()?.await?;
        Ok(Some((row, versions.map(|v| v.fields).unwrap_or_default())))
    }

    /// Who last wrote each field of a record on the server, and when (person id, ms), as
    /// the last pull said; only fields whose writer the server knows.
    pub async fn field_writers(
        &self,
        collection: Collection,
        id: &str,
    ) -> Result<BTreeMap<String, (String, i64)>, StoreError> {
        let tx = self.read_tx(&VERSION_STORES)?;
        let versions = versions_of(&tx, collection, id).await?;
        Ok(versions.map(|v| v.writers).unwrap_or_default())
    }

    /// This phone's unsynced field writes to one record, oldest first. The outbox is
    /// small (it empties at every sync), so reading it whole is cheaper than an index.
    pub async fn pending_writes(&self, collection: Collection, id: &str) -> Result<Vec<PendingWrite>, StoreError> {
        let tx = self.read_tx(&[OUTBOX])?;
        let all = tx.object_store(OUTBOX)?.get_all().serde()?.await?;
        let mut writes = Vec::new();
        for m in all {
            let m: Mutation = m?;
            if let Op::Put { collection: c, id: rid, fields } = m.op {
                if c == collection && rid == id {
                    writes.extend(fields.into_iter().map(|(field, w)| PendingWrite {
                        seq: m.seq,
                        field,
                        value: w.value,
                        base: w.base,
                    }));
                }
            }
        }
        Ok(writes)
    }
}
