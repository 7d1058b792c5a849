//! The reference server as a driver of `sync::decide`: what it adds around the decisions
//! (stored answers for retries, the record handed back, the clock for event times).

use serde_json::json;

use super::*;
use crate::issue::EventKind;
use crate::people::Role;
use crate::sync::protocol::{Collection, FieldWrite, Mutation, MutationStatus, Op};
use crate::{IssueId, PersonId};

const NOW: Millis = 1_795_000_000_000;

fn push(client: &str, mutations: Vec<Mutation>) -> PushRequest {
    PushRequest { client_id: client.into(), schema_version: SCHEMA_VERSION, mutations, epoch: None }
}

fn put(seq: u64, field: &str, value: serde_json::Value, base: u64) -> Mutation {
    let fields = [(field.to_owned(), FieldWrite { value, base })].into();
    Mutation { seq, op: Op::Put { collection: Collection::Households, id: "H1".into(), fields } }
}

#[test]
fn a_retried_conflict_is_answered_again_with_its_code_and_the_record() {
    let mut server = ServerModel::new("e1");
    server.push(&push("a", vec![put(1, "size", json!(3), 0)])).unwrap();
    server.push(&push("a", vec![put(2, "size", json!(4), 1)])).unwrap();
    let stale = push("b", vec![put(1, "size", json!(5), 1)]);
    let first = server.push(&stale).unwrap();
    let again = server.push(&stale).unwrap();
    assert_eq!(first.results[0].status, MutationStatus::Conflict);
    assert_eq!(first.results[0].code.as_deref(), Some("field_conflict"));
    assert!(
        matches!(&first.results[0].current, Some(Change::Upsert { fields, .. }) if fields["size"].value == json!(4))
    );
    assert_eq!(again, first, "a retry hears the same answer");
    assert_eq!(server.state().conflicts.len(), 1, "and changes nothing");
}

#[test]
fn an_event_dated_far_ahead_is_placed_at_its_receipt() {
    let mut server = ServerModel::new("e1");
    let issue = IssueId::parse("I1").unwrap();
    let actor = PersonId::parse("w1").unwrap();
    let year_2100 = 4_102_444_800_000;
    let event = IssueEvent::new(issue, year_2100, actor, Role::GridWorker, EventKind::Reported, [1; 10]);
    let request = push("a", vec![Mutation { seq: 1, op: Op::AppendEvent { event: event.clone() } }]);
    assert_eq!(server.push_at(&request, NOW).unwrap().results[0].status, MutationStatus::Applied);
    assert_eq!(server.state().events[&event.id].at, NOW);
    // The same event again, at its own time, is the same event.
    let retry = push("a", vec![Mutation { seq: 2, op: Op::AppendEvent { event } }]);
    assert_eq!(server.push_at(&retry, NOW + 1).unwrap().results[0].status, MutationStatus::Applied);
    assert_eq!(server.state().events.len(), 1);
}

#[test]
fn a_gap_refuses_the_whole_push_and_stores_nothing() {
    let mut server = ServerModel::new("e1");
    let refused = server.push(&push("a", vec![put(1, "size", json!(3), 0), put(3, "size", json!(4), 0)]));
    assert_eq!(refused, Err(PushError::SeqGap { expected: 2 }));
    assert_eq!((server.version(), server.last_seq("a")), (0, 0));
}
