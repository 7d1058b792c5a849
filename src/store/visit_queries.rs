//! Reads for the visit screens and the dashboard: a household's visits, the latest visits
//! recorded, and whole collections for the dashboard's figures. (The scheduled households
//! with their visits come from `today_queries.rs`, shared with the Today screen.)

use indexed_db_futures::cursor::CursorDirection;
use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use wangge_core::household::Household;
use wangge_core::visit::Visit;

use super::rows::{HouseholdRow, IssueRow};
use super::schema::{HOUSEHOLDS, ISSUES, VISITS};
use super::{Store, StoreError};

impl Store {
    /// A household's visits, newest first.
    pub async fn visits_of_household(&self, household: &str) -> Result<Vec<Visit>, StoreError> {
        let mut visits = self.visits_of_households(&[household.to_string()]).await?;
        wangge_core::sort::sort_by(&mut visits, |a, b| (b.date, &b.id).cmp(&(a.date, &a.id)));
        Ok(visits)
    }

    /// The visits of several households, asked for together in one transaction.
    pub async fn visits_of_households(&self, ids: &[String]) -> Result<Vec<Visit>, StoreError> {
        let tx = self.read_tx(&[VISITS])?;
        let store = tx.object_store(VISITS)?;
        let index = store.index("by_household")?;
        let mut requests = Vec::with_capacity(ids.len());
        for id in ids {
            requests.push(index.get_all().with_query::<String, _>(KeyRange::Only(id.clone())).serde()?);
        }
        let mut out = Vec::new();
        for rows in futures::future::join_all(requests).await {
            for v in rows? {
                out.push(v?);
            }
        }
        Ok(out)
    }

    /// The latest `limit` visits recorded on this phone. Visit ids are time-ordered
    /// (ULIDs), so walking the key order backwards reads only what is shown.
    pub async fn recent_visits(&self, limit: usize) -> Result<Vec<Visit>, StoreError> {
        let tx = self.read_tx(&[VISITS])?;
        let store = tx.object_store(VISITS)?;
        let mut out = Vec::with_capacity(limit);
        let Some(mut cursor) = store.open_cursor().with_direction(CursorDirection::Prev).await? else {
            return Ok(out);
        };
        while out.len() < limit {
            match cursor.next_record_ser::<Visit>().await? {
                Some(v) => out.push(v),
                None => break,
            }
        }
        Ok(out)
    }

    /// Every visit on the phone (the dashboard's visit figures).
    pub async fn all_visits(&self) -> Result<Vec<Visit>, StoreError> {
        self.all_of(VISITS).await
    }

    /// Every household on the phone (the dashboard's visit figures).
    pub async fn all_households(&self) -> Result<Vec<Household>, StoreError> {
        let rows: Vec<HouseholdRow> = self.all_of(HOUSEHOLDS).await?;
        Ok(rows.into_iter().map(|r| r.household).collect())
    }

    /// Every issue with its derived state (the dashboard and the meeting list).
    pub async fn all_issues(&self) -> Result<Vec<IssueRow>, StoreError> {
        self.all_of(ISSUES).await
    }
}
