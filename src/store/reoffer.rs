//! What a phone offers back to a server restored from a backup: the work of the person
//! logged in on it — issues they reported, visits they made, every step they took on an
//! issue — as ordinary mutations with base 0, so the server creates what it lacks, leaves
//! what it has unchanged, and keeps a value that differs as a conflict for a person to
//! settle (see `Store::start_new_epoch`). Records are re-offered before steps, so an
//! issue exists again before the steps on it arrive.
//!
//! A step on an issue someone else reported reaches the server only once that issue is
//! there: if the restored server lacks it, the step is refused and kept among the
//! phone's refusals until the reporter's phone has offered the issue back.

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::Transaction;
use serde_json::Value;
use wangge_core::issue::{sort_events, IssueEvent};
use wangge_core::record_type::describe;
use wangge_core::sync::{Collection, FieldWrite, Op};

use super::codec::{fields_of_row, store_of};
use super::schema::EVENTS;
use super::StoreError;

/// The person's own records and steps held on this phone, as mutations to push first.
/// A record is theirs when its type has an author field (the core's description) naming
/// them.
pub(super) async fn own_work(tx: &Transaction<'_>, person: &str) -> Result<Vec<Op>, StoreError> {
    let mut ops = Vec::new();
    let authored = Collection::ALL
        .into_iter()
        .filter_map(|c| describe(c).author.map(|a| (c, a.field)));
    for (collection, author) in authored {
        let rows: Vec<Value> = tx
            .object_store(store_of(collection))?
            .get_all()
            .serde()?
            .await?
            .collect::<Result<_, _>>()?;
        for row in rows {
            let fields = fields_of_row(collection, row)?;
            if fields.get(author).and_then(Value::as_str) != Some(person) {
                continue;
            }
            let Some(id) = fields.get("id").and_then(Value::as_str).map(str::to_string) else {
                continue;
            };
            let writes = fields
                .into_iter()
                .map(|(name, value)| (name, FieldWrite { value, base: 0 }))
                .collect();
            ops.push(Op::Put {
                collection,
                id,
                fields: writes,
            });
        }
    }
    let mut events: Vec<IssueEvent> = tx
        .object_store(EVENTS)?
        .get_all()
        .serde()?
        .await?
        .collect::<Result<_, _>>()?;
    events.retain(|e| e.actor.as_str() == person);
    sort_events(&mut events);
    ops.extend(events.into_iter().map(|event| Op::AppendEvent { event }));
    Ok(ops)
}
