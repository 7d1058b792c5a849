//! Loading many records at once, as a first pull or the demo data set does: records the
//! server already has, so no outbox entries. One transaction per load, so a phone that
//! dies half-way has either the whole page or none of it.

use std::collections::HashMap;

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use serde::Serialize;
use wangge_core::issue::derive;
use wangge_core::DataSet;

use super::history::HistoryRow;
use super::rows::{HouseholdRow, IssueRow};
use super::schema::{
    GRIDS, HISTORY, HOUSEHOLDS, ISSUES, LIST_ENTRIES, MEDIATIONS, MEETINGS, PEOPLE, TASKS, UNITS, VISITS,
};
use super::summary::{self, SummaryChanges};
use super::{Store, StoreError};

impl Store {
    /// Stores the whole data set: the grid tree, people and units, households, issues
    /// (with their derived state), events, visits and meetings.
    pub async fn load_snapshot(&self, data: &DataSet) -> Result<(), StoreError> {
        let mut histories: HashMap<&str, HistoryRow> = HashMap::new();
        for e in &data.events {
            let issue = e.issue.as_str();
            histories.entry(issue).or_insert_with(|| HistoryRow::new(issue)).merge([e.clone()]);
        }
        let mut stores =
            vec![GRIDS, PEOPLE, UNITS, ISSUES, HOUSEHOLDS, VISITS, MEETINGS, MEDIATIONS, LIST_ENTRIES, TASKS];
        // Only when there is history to store: upgrade tests load a data set without
        // issues into databases older than the store (schema v9).
        if !histories.is_empty() {
            stores.push(HISTORY);
        }
        let tx = self.write_tx(&stores)?;
        put_all(&tx, GRIDS, &data.grids)?;
        put_all(&tx, PEOPLE, &data.people)?;
        put_all(&tx, UNITS, &data.units)?;
        let rows_written: Vec<IssueRow> = data
            .issues
            .iter()
            .map(|issue| {
                let history = histories.get(issue.id.as_str()).map_or(&[][..], |h| h.events.as_slice());
                IssueRow::new(issue.clone(), derive(history).state)
            })
            .collect();
        put_all(&tx, ISSUES, &rows_written)?;
        if !histories.is_empty() {
            put_all(&tx, HISTORY, histories.values())?;
        }
        put_all(&tx, HOUSEHOLDS, data.households.iter().cloned().map(HouseholdRow::new))?;
        put_all(&tx, VISITS, &data.visits)?;
        put_all(&tx, MEETINGS, &data.meetings)?;
        put_all(&tx, MEDIATIONS, &data.mediations)?;
        put_all(&tx, LIST_ENTRIES, &data.lists)?;
        put_all(&tx, TASKS, &data.tasks)?;
        let mut summary = SummaryChanges::default();
        for row in &rows_written {
            summary.issue(row)?;
        }
        for h in &data.households {
            summary.household(h)?;
        }
        for v in &data.visits {
            summary.visit(v)?;
        }
        summary::write(&tx, summary).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Puts every row into `store` inside `tx`. Requests go out when built; awaiting each one
/// would only add round trips (the commit waits for them all).
fn put_all<T: Serialize>(
    tx: &Transaction<'_>,
    store: &str,
    rows: impl IntoIterator<Item = T>,
) -> Result<(), StoreError> {
    let store = tx.object_store(store)?;
    for row in rows {
        drop(store.put(row).serde()?);
    }
    Ok(())
}
