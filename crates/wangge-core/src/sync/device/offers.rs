//! What a phone offers back to a server restored from a backup: the work of the person
//! logged in on it — issues they reported, visits they made, every step they took on an
//! issue — as ordinary mutations with base 0, so the server creates what it lacks, leaves
//! what it has unchanged, and keeps a value that differs as a conflict for a person to
//! settle. Records come before steps, so an issue exists again before the steps on it.
//!
//! A step on an issue someone else reported reaches the server only once that issue is
//! there: if the restored server lacks it, the step is refused and kept among the
//! phone's refusals until the reporter's phone has offered the issue back.

use serde_json::{Map, Value};

use super::super::protocol::{Collection, FieldWrite, Op};
use crate::issue::{sort_events, IssueEvent};
use crate::record_type::describe;

/// The collections a person authors, with the field naming the author: those whose
/// record-type description has one.
pub fn authored() -> impl Iterator<Item = (Collection, &'static str)> {
    Collection::ALL.into_iter().filter_map(|c| describe(c).author.map(|a| (c, a.field)))
}

/// The records `person` authored among `records` (collection, id, fields; in the order
/// given) and the steps they took among `events` (in history order), as mutations to push
/// first after a reset (`offers_first` of [`plan_new_epoch`](super::plan_new_epoch)).
pub fn own_work(
    person: &str,
    records: impl IntoIterator<Item = (Collection, String, Map<String, Value>)>,
    events: impl IntoIterator<Item = IssueEvent>,
) -> Vec<Op> {
    let mut ops: Vec<Op> = records
        .into_iter()
        .filter_map(|(collection, id, fields)| {
            let author = describe(collection).author?.field;
            if fields.get(author).and_then(Value::as_str) != Some(person) {
                return None;
            }
            let fields = fields.into_iter().map(|(name, value)| (name, FieldWrite { value, base: 0 })).collect();
            Some(Op::Put { collection, id, fields })
        })
        .collect();
    let mut steps: Vec<IssueEvent> = events.into_iter().filter(|e| e.actor.as_str() == person).collect();
    sort_events(&mut steps);
    ops.extend(steps.into_iter().map(|event| Op::AppendEvent { event }));
    ops
}
