//! Reads for the screens: by index, so a list of 20,000 issues is filtered by the
//! database, not by scanning every record in Rust.

use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wangge_core::issue::IssueEvent;
use wangge_core::sync::Mutation;

use super::history::read_history;
use super::rows::{HouseholdRow, IssueRow};
use super::schema::{HISTORY, HOUSEHOLDS, ISSUES, OUTBOX};
use super::{Store, StoreError};

/// Upper bound for a prefix range: every string starting with the prefix sorts below it.
const PREFIX_END: char = '\u{ffff}';

impl Store {
    pub async fn issue(&self, id: &str) -> Result<Option<IssueRow>, StoreError> {
        let tx = self.read_tx(&[ISSUES])?;
        Ok(tx.object_store(ISSUES)?.get(id).serde()?.await?)
    }

    /// A person of the roster (names on timelines and conflicts), if on this phone.
    pub async fn person(&self, id: &str) -> Result<Option<wangge_core::people::Person>, StoreError> {
        let tx = self.read_tx(&[super::schema::PEOPLE])?;
        Ok(tx.object_store(super::schema::PEOPLE)?.get(id).serde()?.await?)
    }

    /// A record of any collection as its fields (what the record-type description reads,
    /// e.g. its name on the conflict screen), if on this phone.
    pub async fn record_fields(
        &self,
        collection: wangge_core::sync::Collection,
        id: &str,
    ) -> Result<Option<super::Fields>, StoreError> {
        if !super::codec::stored(collection) {
            return Ok(None);
        }
        let name = super::codec::store_of(collection);
        let tx = self.read_tx(&[name])?;
        let row: Option<serde_json::Value> = tx.object_store(name)?.get(id).serde()?.await?;
        row.map(|row| super::codec::fields_of_row(collection, row)).transpose()
    }

    pub async fn household(&self, id: &str) -> Result<Option<HouseholdRow>, StoreError> {
        let tx = self.read_tx(&[HOUSEHOLDS])?;
        Ok(tx.object_store(HOUSEHOLDS)?.get(id).serde()?.await?)
    }

    /// Issues in `grid` with `status` (a status code such as `"reported"`).
    pub async fn issues_by_grid_status(&self, grid: &str, status: &str) -> Result<Vec<IssueRow>, StoreError> {
        let key = vec![grid.to_string(), status.to_string()];
        self.by_index(ISSUES, "by_grid_status", key).await
    }

    /// Issues whose title starts with `prefix`, in title order.
    pub async fn issues_by_title_prefix(&self, prefix: &str, limit: u32) -> Result<Vec<IssueRow>, StoreError> {
        self.by_prefix(ISSUES, "by_title", prefix, limit).await
    }

    /// Households whose head's name starts with `prefix`.
    pub async fn households_by_name_prefix(&self, prefix: &str, limit: u32) -> Result<Vec<HouseholdRow>, StoreError> {
        self.by_prefix(HOUSEHOLDS, "by_name", prefix, limit).await
    }

    /// Households carrying a tag code (e.g. `"living_alone_elderly"`).
    pub async fn households_by_tag(&self, tag: &str) -> Result<Vec<HouseholdRow>, StoreError> {
        self.by_index(HOUSEHOLDS, "by_tag", tag.to_string()).await
    }

    pub async fn households_by_grid(&self, grid: &str) -> Result<Vec<HouseholdRow>, StoreError> {
        self.by_index(HOUSEHOLDS, "by_grid", grid.to_string()).await
    }

    /// An issue's history (by event id; the core's `derive` orders it), one row read.
    pub async fn events_of(&self, issue: &str) -> Result<Vec<IssueEvent>, StoreError> {
        let tx = self.read_tx(&[HISTORY])?;
        Ok(read_history(&tx, issue).await?.events)
    }

    /// Pending mutations, oldest first.
    pub async fn outbox(&self) -> Result<Vec<Mutation>, StoreError> {
        let tx = self.read_tx(&[OUTBOX])?;
        let all = tx.object_store(OUTBOX)?.get_all().serde()?.await?;
        Ok(all.collect::<Result<_, _>>()?)
    }

    /// How many records a store holds (for the pending-changes badge and tests).
    pub async fn count(&self, store: &str) -> Result<u32, StoreError> {
        let tx = self.read_tx(&[store])?;
        Ok(tx.object_store(store)?.count().await?)
    }

    async fn by_index<T: DeserializeOwned, K: Serialize>(
        &self,
        store: &str,
        index: &str,
        key: K,
    ) -> Result<Vec<T>, StoreError> {
        let tx = self.read_tx(&[store])?;
        let query = KeyRange::Only(key);
        let rows = tx.object_store(store)?.index(index)?.get_all().with_query(query).serde()?.await?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    async fn by_prefix<T: DeserializeOwned>(
        &self,
        store: &str,
        index: &str,
        prefix: &str,
        limit: u32,
    ) -> Result<Vec<T>, StoreError> {
        let tx = self.read_tx(&[store])?;
        let end = format!("{prefix}{PREFIX_END}");
        let rows = tx
            .object_store(store)?
            .index(index)?
            .get_all()
            .with_query::<String, _>(KeyRange::Bound(prefix.to_string(), false, end, true))
            .with_limit(limit)
            .serde()?
            .await?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
