//! Several steps appended to one issue at once (a hand-over and its note), in ONE
//! transaction with their outbox entries: either all are on the phone or none is.

use indexed_db_futures::prelude::*;
use wangge_core::issue::{derive, IssueEvent};
use wangge_core::sync::Op;

use super::actions::enqueue;
use super::rows::IssueRow;
use super::schema::{EVENTS, ISSUES, META, OUTBOX};
use super::{Store, StoreError};

impl Store {
    /// Appends `events` (all of one issue, in order) and re-derives its state once. Like
    /// [`Store::append_event`], a step that does not hold is kept and marked by the machine.
    pub async fn append_events(&self, events: Vec<IssueEvent>) -> Result<IssueRow, StoreError> {
        let Some(first) = events.first() else {
            return Err(StoreError::Invalid("no steps to append".into()));
        };
        let issue_id = first.issue.clone();
        if events.iter().any(|e| e.issue != issue_id) {
            return Err(StoreError::Invalid("steps of several issues in one save".into()));
        }
        let tx = self.record_tx(&[ISSUES, EVENTS, OUTBOX, META])?;
        let issues = tx.object_store(ISSUES)?;
        let row: Option<IssueRow> = issues.get(issue_id.as_str()).serde()?.await?;
        let row = row.ok_or_else(|| StoreError::Corrupt("event for an unknown issue".into()))?;
        let store = tx.object_store(EVENTS)?;
        let mut history: Vec<IssueEvent> = store
            .index("by_issue")?
            .get_all()
            .with_query(issue_id.as_str())
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        for event in &events {
            store.add(event).serde()?.await?;
        }
        history.extend(events.iter().cloned());
        let row = IssueRow::new(row.issue, derive(&history).state);
        issues.put(&row).serde()?.await?;
        enqueue(&tx, events.into_iter().map(|event| Op::AppendEvent { event }).collect()).await?;
        tx.commit().await?;
        Ok(row)
    }
}
