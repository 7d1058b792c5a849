//! The second half of schema step v9: on the first open after the upgrade, the rows of
//! `issue_events` and the issues' rows of `versions` move into `issue_history` (one row
//! per issue, `history.rs`). One read-write transaction, `strict` (the events may be the
//! worker's own, not yet pushed), so a phone that dies half-way keeps the old rows and the
//! flag, and moves again at the next open. Nothing else is touched: records, the outbox
//! and every other store stay as they are.

use std::collections::BTreeMap;

use indexed_db_futures::prelude::*;
use indexed_db_futures::KeyRange;
use wangge_core::issue::IssueEvent;
use wangge_core::sync::Collection;

use super::history::HistoryRow;
use super::meta::HISTORY_TO_MOVE;
use super::schema::{EVENTS, HISTORY, META, VERSIONS};
use super::sync::VersionRow;
use super::{Store, StoreError};

impl Store {
    /// Moves the pre-v9 rows into `issue_history` if schema step v9 asked for it; a no-op
    /// once done (the flag is gone).
    pub(super) async fn move_history_if_asked(&self) -> Result<(), StoreError> {
        let tx = self.record_tx(&[EVENTS, VERSIONS, HISTORY, META])?;
        let meta = tx.object_store(META)?;
        let asked: Option<bool> = meta.get(HISTORY_TO_MOVE.to_string()).serde()?.await?;
        if asked != Some(true) {
            return Ok(());
        }
        let events = tx.object_store(EVENTS)?;
        let versions = tx.object_store(VERSIONS)?;
        // Every issue's version row: keys `issues/<id>` (see `version_key`).
        let prefix = format!("{}/", Collection::Issues.name());
        let issue_keys = KeyRange::Bound(prefix.clone(), false, format!("{prefix}\u{ffff}"), false);
        let all_events = events.get_all().serde()?;
        let issue_versions = versions.get_all().with_query::<String, _>(issue_keys.clone()).serde()?;
        let all_events: Vec<IssueEvent> = all_events.await?.collect::<Result<_, _>>()?;
        let issue_versions: Vec<VersionRow> = issue_versions.await?.collect::<Result<_, _>>()?;
        let mut rows: BTreeMap<String, HistoryRow> = BTreeMap::new();
        for event in all_events {
            let issue = event.issue.to_string();
            rows.entry(issue.clone()).or_insert_with(|| HistoryRow::new(&issue)).merge([event]);
        }
        for v in issue_versions {
            let Some(issue) = v.key.strip_prefix(&prefix).map(str::to_string) else {
                continue;
            };
            rows.entry(issue.clone()).or_insert_with(|| HistoryRow::new(&issue)).versions = Some(v);
        }
        let history = tx.object_store(HISTORY)?;
        for row in rows.values() {
            // Requests go out when built; the commit is the one wait for them all.
            drop(history.put(row).serde()?);
        }
        drop(events.clear()?);
        drop(versions.delete::<String, _>(issue_keys).serde()?);
        drop(meta.delete(HISTORY_TO_MOVE.to_string()).serde()?);
        tx.commit().await?;
        Ok(())
    }
}
