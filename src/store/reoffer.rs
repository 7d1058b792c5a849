//! Reads what a phone may offer back to a server restored from a backup: the rows of the
//! collections a person authors and every issue step held. Which of them are the logged-in
//! person's own work, and in what order they go, is the core's decision
//! (`wangge_core::sync::own_work`); the reset in `epoch.rs` pushes them ahead of the
//! outbox.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use serde_json::Value;
use wangge_core::issue::IssueEvent;
use wangge_core::sync::device::authored;
use wangge_core::sync::{own_work as choose, Op};

use super::codec::{fields_of_row, store_of, stored};
use super::history::HistoryRow;
use super::schema::HISTORY;
use super::StoreError;

/// The person's own records and steps held on this phone, as mutations to push first.
/// A record is theirs when its type has an author field (the core's description) naming
/// them.
pub(super) async fn own_work(tx: &Transaction<'_>, person: &str) -> Result<Vec<Op>, StoreError> {
    let mut records = Vec::new();
    for (collection, _) in authored().filter(|(c, _)| stored(*c)) {
        let rows: Vec<Value> =
            tx.object_store(store_of(collection))?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
        for row in rows {
            let fields = fields_of_row(collection, row)?;
            // A row without an id cannot be offered: the server would not know the record.
            if let Some(id) = fields.get("id").and_then(Value::as_str).map(str::to_string) {
                records.push((collection, id, fields));
            }
        }
    }
    let histories: Vec<HistoryRow> = tx.object_store(HISTORY)?.get_all().serde()?.await?.collect::<Result<_, _>>()?;
    let events: Vec<IssueEvent> = histories.into_iter().flat_map(|h| h.events).collect();
    Ok(choose(person, records, events))
}
