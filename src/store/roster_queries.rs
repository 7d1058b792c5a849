//! Reads for the roster screens: the grid tree, people and units of a grid, a household's
//! issues, and households of several grids at once. Each read is one
//! read-only transaction; lists are filtered by index, never by scanning in Rust.

use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use wangge_core::grid::Grid;
use wangge_core::people::Person;
use wangge_core::unit::Unit;

use super::rows::{HouseholdRow, IssueRow};
use super::schema::{GRIDS, HOUSEHOLDS, ISSUES, PEOPLE, UNITS};
use super::{Store, StoreError};

impl Store {
    /// Every grid node on the phone (the worker's part of the tree: a few dozen).
    pub async fn grids(&self) -> Result<Vec<Grid>, StoreError> {
        self.all_of(GRIDS).await
    }

    /// Every person on the phone's roster (the worker's scope: dozens, not thousands).
    pub async fn people(&self) -> Result<Vec<Person>, StoreError> {
        self.all_of(PEOPLE).await
    }

    /// Names of the people on the phone by id, for labels (best effort: a failed read
    /// leaves ids to show instead).
    pub async fn people_names(&self) -> std::collections::HashMap<String, String> {
        self.people().await.unwrap_or_default().into_iter().map(|p| (p.id.to_string(), p.name.to_string())).collect()
    }

    /// Every unit in the worker's scope.
    pub async fn units(&self) -> Result<Vec<Unit>, StoreError> {
        self.all_of(UNITS).await
    }

    /// Issues concerning a household (index `by_household`).
    pub async fn issues_of_household(&self, household: &str) -> Result<Vec<IssueRow>, StoreError> {
        self.rows_by_key(ISSUES, "by_household", household).await
    }

    /// Households of several grids (e.g. a grid and everything below it), in one
    /// transaction: the requests go out together, so it costs one round trip, not one
    /// per grid.
    pub async fn households_in_grids(&self, grids: &[String]) -> Result<Vec<HouseholdRow>, StoreError> {
        let tx = self.read_tx(&[HOUSEHOLDS])?;
        let store = tx.object_store(HOUSEHOLDS)?;
        let index = store.index("by_grid")?;
        let mut requests = Vec::with_capacity(grids.len());
        for g in grids {
            requests.push(index.get_all().with_query::<String, _>(KeyRange::Only(g.clone())).serde()?);
        }
        let mut out = Vec::new();
        for rows in futures::future::join_all(requests).await {
            for row in rows? {
                out.push(row?);
            }
        }
        Ok(out)
    }

    /// Every record of a small store, typed.
    pub(super) async fn all_of<T: serde::de::DeserializeOwned>(&self, store: &str) -> Result<Vec<T>, StoreError> {
        let tx = self.read_tx(&[store])?;
        let rows = tx.object_store(store)?.get_all().serde()?.await?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    async fn rows_by_key<T: serde::de::DeserializeOwned>(
        &self,
        store: &str,
        index: &str,
        key: &str,
    ) -> Result<Vec<T>, StoreError> {
        let tx = self.read_tx(&[store])?;
        let rows = tx
            .object_store(store)?
            .index(index)?
            .get_all()
            .with_query::<String, _>(KeyRange::Only(key.to_string()))
            .serde()?
            .await?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
