//! An issue's history and pulled field versions in ONE row per issue (`issue_history`,
//! keyed by issue id, schema v9). Before v9 each event was a row of `issue_events` and
//! each record's versions a row of `versions`: a village's first pull wrote ~190,000 rows.
//! Now a pulled issue is its lean list row (`issues`, read in bulk by the lists, Today and
//! the dashboard) plus this row, and rederiving its state is one read, not an index scan.
//! Versions of every other collection stay in `versions` (their records are few, or, for
//! households and meetings, their decoders refuse fields they do not know).

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use serde::{Deserialize, Serialize};
use wangge_core::issue::IssueEvent;
use wangge_core::sync::Collection;

use super::codec::version_key;
use super::schema::{HISTORY, VERSIONS};
use super::sync::VersionRow;
use super::StoreError;

/// One issue's events (by event id, each once) and, once pulled, its field versions.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct HistoryRow {
    pub(crate) issue: String,
    pub(crate) events: Vec<IssueEvent>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) versions: Option<VersionRow>,
}

impl HistoryRow {
    pub(crate) fn new(issue: &str) -> HistoryRow {
        HistoryRow { issue: issue.to_string(), ..HistoryRow::default() }
    }

    /// Adds `events`, an event already held (same id) being replaced, as a `put` of its
    /// row replaced it before v9. Kept in id order, the order the old `by_issue` index
    /// answered in.
    pub(crate) fn merge(&mut self, events: impl IntoIterator<Item = IssueEvent>) {
        for event in events {
            match self.events.binary_search_by(|e| e.id.as_str().cmp(event.id.as_str())) {
                Ok(i) => self.events[i] = event,
                Err(i) => self.events.insert(i, event),
            }
        }
    }

    /// Removes the event `id`; whether it was there.
    pub(crate) fn remove(&mut self, id: &str) -> bool {
        let before = self.events.len();
        self.events.retain(|e| e.id.as_str() != id);
        self.events.len() != before
    }
}

/// The history row of `issue` inside `tx` (which holds [`HISTORY`]); an empty one when the
/// phone has none.
pub(crate) async fn read_history(tx: &Transaction<'_>, issue: &str) -> Result<HistoryRow, StoreError> {
    let row: Option<HistoryRow> = tx.object_store(HISTORY)?.get(issue.to_string()).serde()?.await?;
    Ok(row.unwrap_or_else(|| HistoryRow::new(issue)))
}

/// The stores that hold records' pulled versions: a transaction reading them with
/// [`versions_of`] opens both.
pub(crate) const VERSION_STORES: [&str; 2] = [VERSIONS, HISTORY];

/// The server versions a record was last pulled at: an issue's in its history row, any
/// other record's in `versions`. `tx` must hold [`VERSION_STORES`].
pub(crate) async fn versions_of(
    tx: &Transaction<'_>,
    collection: Collection,
    id: &str,
) -> Result<Option<VersionRow>, StoreError> {
    if collection == Collection::Issues {
        return Ok(read_history(tx, id).await?.versions);
    }
    Ok(tx.object_store(VERSIONS)?.get(version_key(collection, id)).serde()?.await?)
}
