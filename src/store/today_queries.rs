//! Reads for the Today screen: the open issues (by the status index, never a scan of
//! closed ones) and the scheduled households with their visits.

use indexed_db_futures::prelude::*;
use wangge_core::household::HouseholdTag;
use wangge_core::issue::Status;
use wangge_core::visit::Visit;

use super::rows::{HouseholdRow, IssueRow};
use super::schema::{HOUSEHOLDS, ISSUES, VISITS};
use super::{Store, StoreError};

impl Store {
    /// Issues not yet closed (resolved ones included: they await verification).
    pub async fn open_issues(&self) -> Result<Vec<IssueRow>, StoreError> {
        let tx = self.read_tx(&[ISSUES])?;
        let issues = tx.object_store(ISSUES)?;
        let index = issues.index("by_status")?;
        let open = [Status::Reported, Status::Accepted, Status::InProgress, Status::Returned, Status::Resolved];
        let mut requests = Vec::with_capacity(open.len());
        for s in open {
            requests.push(index.get_all().with_query(s.code().to_string()).serde()?);
        }
        let mut rows = Vec::new();
        for page in futures::future::join_all(requests).await {
            for row in page? {
                rows.push(row?);
            }
        }
        Ok(rows)
    }

    /// Households carrying any of `tags` (each once), with every visit to them.
    pub async fn households_with_visits(
        &self,
        tags: &[HouseholdTag],
    ) -> Result<(Vec<HouseholdRow>, Vec<Visit>), StoreError> {
        let tx = self.read_tx(&[HOUSEHOLDS, VISITS])?;
        let households_store = tx.object_store(HOUSEHOLDS)?;
        let by_tag = households_store.index("by_tag")?;
        let mut requests = Vec::with_capacity(tags.len());
        for t in tags {
            requests.push(by_tag.get_all().with_query(t.code().to_string()).serde()?);
        }
        let mut seen = std::collections::HashSet::new();
        let mut households: Vec<HouseholdRow> = Vec::new();
        for page in futures::future::join_all(requests).await {
            for row in page? {
                let row: HouseholdRow = row?;
                if seen.insert(row.id.clone()) {
                    households.push(row);
                }
            }
        }
        let visits_store = tx.object_store(VISITS)?;
        let by_household = visits_store.index("by_household")?;
        let mut requests = Vec::with_capacity(households.len());
        for h in &households {
            requests.push(by_household.get_all().with_query(h.id.clone()).serde()?);
        }
        let mut visits = Vec::new();
        for page in futures::future::join_all(requests).await {
            for v in page? {
                visits.push(v?);
            }
        }
        Ok((households, visits))
    }
}
