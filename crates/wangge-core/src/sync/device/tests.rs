//! The device's sync decisions, one behaviour each, on small hand-made inputs.

use std::collections::BTreeMap;

use serde_json::json;

use super::*;
use crate::issue::{EventKind, IssueEvent};
use crate::people::Role;
use crate::sync::protocol::{
    Change, Collection, FieldWrite, MutationResult, MutationStatus, PullRequest, PullResponse, PushRequest,
    PushResponse,
};
use crate::{IssueId, PersonId};

const H: Collection = Collection::Households;

fn put(seq: u64, id: &str, base: u64) -> Mutation {
    let fields = BTreeMap::from([("size".to_owned(), FieldWrite { value: json!(seq), base })]);
    Mutation { seq, op: Op::Put { collection: H, id: id.to_owned(), fields } }
}

fn step(seq: u64) -> Mutation {
    let issue = IssueId::parse("I1").unwrap();
    let actor = PersonId::parse("worker").unwrap();
    let event = IssueEvent::new(issue, 1_000, actor, Role::GridWorker, EventKind::Reported, [7; 10]);
    Mutation { seq, op: Op::AppendEvent { event } }
}

/// A device that knows epoch "e2", left "e1", and has pulled up to version 10.
fn standing() -> DeviceSync {
    DeviceSync {
        epoch: Some("e2".into()),
        retired_epochs: ["e1".to_owned()].into(),
        cursor: 10,
        next_seq: 4,
        ..DeviceSync::new("dev")
    }
}

fn push_of(sync: &DeviceSync, mutations: &[Mutation]) -> PushRequest {
    PushRequest {
        client_id: sync.client_id.clone().unwrap(),
        schema_version: crate::SCHEMA_VERSION,
        mutations: mutations.to_vec(),
        epoch: sync.epoch.clone(),
    }
}

fn result(seq: u64, status: MutationStatus) -> MutationResult {
    let refused = status == MutationStatus::Rejected;
    MutationResult {
        seq,
        status,
        code: refused.then(|| "out_of_scope".to_owned()),
        message: refused.then(|| "不在辖区".to_owned()),
        current: None,
    }
}

fn reply(results: Vec<MutationResult>, acked_seq: u64, epoch: &str) -> PushResponse {
    PushResponse { results, acked_seq, epoch: epoch.into() }
}

fn ack_of(plan: PushPlan) -> Ack {
    match plan {
        PushPlan::Ack(ack) => ack,
        other => panic!("expected an acknowledgement, got {other:?}"),
    }
}

fn upsert(id: &str, version: u64) -> Change {
    Change::Upsert { collection: H, id: id.into(), version, fields: BTreeMap::new() }
}

fn page(changes: Vec<Change>, cursor: u64, epoch: &str) -> PullResponse {
    PullResponse { changes, cursor, has_more: false, epoch: epoch.into() }
}

#[test]
fn an_acknowledgement_removes_what_was_acknowledged_and_keeps_refusals() {
    let sync = standing();
    let outbox = [put(1, "H1", 3), put(2, "H2", 0), put(3, "H3", 0)];
    let push = push_of(&sync, &outbox);
    let answer = reply(vec![result(1, MutationStatus::Applied), result(2, MutationStatus::Rejected)], 2, "e2");
    let ack = ack_of(plan_push_reply(&sync, &push, &answer, &outbox));
    assert_eq!((ack.remove_through, ack.removed, ack.set_epoch), (2, 2, None));
    assert_eq!(ack.refusals.len(), 1);
    assert_eq!(ack.refusals[0].mutation, outbox[1]);
    assert_eq!(ack.refusals[0].code, "out_of_scope");
    assert_eq!(ack.refusals[0].key(), "dev/2");
}

#[test]
fn rejected_seqs_beyond_acked_stay_in_the_outbox() {
    let sync = standing();
    let outbox = [put(1, "H1", 0), put(2, "H2", 0)];
    let push = push_of(&sync, &outbox);
    // A refused gap: nothing acknowledged, the refusal names a seq above acked_seq.
    let answer = reply(vec![result(1, MutationStatus::Rejected)], 0, "e2");
    let ack = ack_of(plan_push_reply(&sync, &push, &answer, &outbox));
    assert_eq!((ack.remove_through, ack.removed), (0, 0));
    assert!(ack.refusals.is_empty(), "a refusal above acked_seq is retried, not kept");
}

#[test]
fn only_what_the_request_carried_is_acknowledged() {
    let sync = standing();
    let outbox = [put(1, "H1", 0), put(2, "H2", 0), put(3, "H3", 0)];
    let push = push_of(&sync, &outbox[..1]);
    // The server had stored 1..3 from a copy whose reply was lost.
    let ack = ack_of(plan_push_reply(&sync, &push, &reply(vec![], 3, "e2"), &outbox));
    assert_eq!((ack.remove_through, ack.removed), (1, 1));
}

#[test]
fn a_reply_to_an_old_client_id_is_ignored() {
    let sync = standing();
    let outbox = [put(1, "H1", 0)];
    let mut push = push_of(&sync, &outbox);
    push.client_id = "dev-e7".into();
    let plan = plan_push_reply(&sync, &push, &reply(vec![result(1, MutationStatus::Applied)], 1, "e2"), &outbox);
    assert_eq!(plan, PushPlan::Ignore);
    assert_eq!(plan_epoch_mismatch(&sync, "dev-e7", "e9"), EpochMismatchPlan::Ignore);
}

#[test]
fn a_reply_naming_an_epoch_already_left_is_ignored() {
    let sync = standing();
    let outbox = [put(1, "H1", 0)];
    let push = push_of(&sync, &outbox);
    let answer = reply(vec![result(1, MutationStatus::Applied)], 1, "e1");
    assert_eq!(plan_push_reply(&sync, &push, &answer, &outbox), PushPlan::Ignore);
    assert_eq!(plan_epoch_mismatch(&sync, "dev", "e1"), EpochMismatchPlan::Ignore);
    let pull = PullRequest { cursor: 10, limit: 100 };
    assert_eq!(plan_pull_page(&sync, &pull, &page(vec![upsert("H1", 11)], 11, "e1")), PullPlan::Ignore);
}

#[test]
fn a_reply_naming_a_new_epoch_asks_for_a_reset() {
    let sync = standing();
    let outbox = [put(1, "H1", 0)];
    let push = push_of(&sync, &outbox);
    let answer = reply(vec![result(1, MutationStatus::Applied)], 1, "e3");
    assert_eq!(plan_push_reply(&sync, &push, &answer, &outbox), PushPlan::NewEpoch("e3".into()));
    assert_eq!(plan_epoch_mismatch(&sync, "dev", "e3"), EpochMismatchPlan::NewEpoch("e3".into()));
    let pull = PullRequest { cursor: 10, limit: 100 };
    assert_eq!(plan_pull_page(&sync, &pull, &page(vec![], 0, "e3")), PullPlan::NewEpoch("e3".into()));
}

#[test]
fn the_first_epoch_heard_is_remembered() {
    let sync = DeviceSync::new("dev");
    let outbox = [put(1, "H1", 0)];
    let push = push_of(&sync, &outbox);
    let ack = ack_of(plan_push_reply(&sync, &push, &reply(vec![], 1, "e1"), &outbox));
    assert_eq!(ack.set_epoch.as_deref(), Some("e1"));
    assert_eq!(plan_epoch_mismatch(&sync, "dev", "e1"), EpochMismatchPlan::SetEpoch("e1".into()));
}

#[test]
fn a_refused_step_is_unwound_from_the_phones_history() {
    let sync = standing();
    let outbox = [step(1), put(2, "H1", 0)];
    let push = push_of(&sync, &outbox);
    let answer = reply(vec![result(1, MutationStatus::Rejected), result(2, MutationStatus::Applied)], 2, "e2");
    let ack = ack_of(plan_push_reply(&sync, &push, &answer, &outbox));
    let Op::AppendEvent { event } = &outbox[0].op else { unreachable!() };
    assert_eq!(ack.unwind, vec![Unwind { event: event.id.clone(), issue: event.issue.clone() }]);
    assert_eq!(ack.refusals.len(), 1);
}

#[test]
fn a_record_handed_back_with_a_refusal_or_a_lost_field_is_restored() {
    let sync = standing();
    let outbox = [put(1, "H1", 3), put(2, "H2", 4), put(3, "H3", 0)];
    let push = push_of(&sync, &outbox);
    let mut refused = result(1, MutationStatus::Rejected);
    refused.current = Some(upsert("H1", 12));
    let mut lost = result(2, MutationStatus::Conflict);
    lost.current = Some(upsert("H2", 13));
    let answer = reply(vec![refused, lost, result(3, MutationStatus::Applied)], 3, "e2");
    let ack = ack_of(plan_push_reply(&sync, &push, &answer, &outbox));
    assert_eq!(ack.restore, vec![upsert("H1", 12), upsert("H2", 13)]);
}

#[test]
fn a_repeated_reply_does_not_keep_a_refusal_twice() {
    let sync = standing();
    let outbox = [put(1, "H1", 0), put(2, "H2", 0)];
    let push = push_of(&sync, &outbox);
    let answer = reply(vec![result(1, MutationStatus::Rejected)], 2, "e2");
    // The first copy of the reply already removed both entries.
    let ack = ack_of(plan_push_reply(&sync, &push, &answer, &[]));
    assert_eq!(ack.removed, 0);
    assert!(ack.refusals.is_empty());
}

#[test]
fn a_page_lands_above_the_cursor_and_never_moves_it_back() {
    let sync = standing();
    let late = page(vec![upsert("H1", 8), upsert("H2", 11)], 9, "e2");
    let PullPlan::Apply(apply) = plan_pull_page(&sync, &PullRequest { cursor: 5, limit: 100 }, &late) else {
        panic!("a page asked from below the cursor still lands")
    };
    assert_eq!(apply.cursor, 10);
    let landed: Vec<u64> = apply.changes(&late).map(Change::version).collect();
    assert_eq!(landed, vec![11]);
}

#[test]
fn a_page_asked_from_beyond_the_cursor_is_ignored() {
    let sync = standing();
    let ahead = page(vec![upsert("H1", 30)], 30, "e2");
    assert_eq!(plan_pull_page(&sync, &PullRequest { cursor: 20, limit: 100 }, &ahead), PullPlan::Ignore);
}

#[test]
fn a_new_epoch_renumbers_the_outbox_under_a_fresh_client_id_with_offers_first() {
    let sync = standing();
    let offer = put(0, "H9", 0).op;
    let reset = plan_new_epoch(&sync, "e3", vec![put(2, "H1", 5), step(3)], vec![offer.clone()]);
    assert_eq!(reset.sync.generation, 1);
    assert_eq!(reset.sync.client_id.as_deref(), Some("dev-e1"));
    assert_eq!(reset.sync.epoch.as_deref(), Some("e3"));
    assert!(reset.sync.retired_epochs.contains("e2") && reset.sync.retired_epochs.contains("e1"));
    assert_eq!((reset.sync.cursor, reset.sync.next_seq), (0, 4));
    let seqs: Vec<u64> = reset.outbox.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3]);
    assert_eq!(reset.outbox[0].op, offer);
    assert_eq!(reset.outbox[1], put(2, "H1", 0), "bases are forgotten");
    assert_eq!(reset.outbox[1].seq, 2);
}

#[test]
fn a_login_with_a_new_device_id_renumbers_and_keeps_bases() {
    let sync = standing();
    assert_eq!(plan_adopt_device(&sync, "dev", vec![put(5, "H1", 3)]), None);
    let reset = plan_adopt_device(&sync, "dev2", vec![put(5, "H1", 3), put(6, "H2", 4)]).unwrap();
    assert_eq!(reset.sync.client_id.as_deref(), Some("dev2"));
    assert_eq!((reset.sync.generation, reset.sync.next_seq), (0, 3));
    assert_eq!(reset.sync.epoch.as_deref(), Some("e2"), "the server did not change");
    let seqs: Vec<u64> = reset.outbox.iter().map(|m| m.seq).collect();
    assert_eq!(seqs, vec![1, 2]);
    assert_eq!(reset.outbox[0].op, put(5, "H1", 3).op, "the op, base included, is kept");
}

#[test]
fn forgetting_bases_zeroes_puts_and_deletes_only() {
    let mut p = put(1, "H1", 9).op;
    forget_bases(&mut p);
    assert_eq!(p, put(1, "H1", 0).op);
    let mut d = Op::Delete { collection: H, id: "H1".into(), base: 4 };
    forget_bases(&mut d);
    assert_eq!(d, Op::Delete { collection: H, id: "H1".into(), base: 0 });
    let mut e = step(1).op;
    forget_bases(&mut e);
    assert_eq!(e, step(1).op);
}

#[test]
fn own_work_is_the_persons_records_then_their_steps_with_bases_0() {
    let record = |author: &str| {
        serde_json::Map::from_iter([("id".to_owned(), json!("X")), ("worker".to_owned(), json!(author))])
    };
    let records = vec![
        (Collection::Visits, "V1".to_owned(), record("worker")),
        (Collection::Visits, "V2".to_owned(), record("someone")),
        // Households have no author: never offered, whoever entered them.
        (H, "H1".to_owned(), record("worker")),
    ];
    let Op::AppendEvent { event: mine } = step(1).op else { unreachable!() };
    let mut theirs = mine.clone();
    theirs.actor = PersonId::parse("someone").unwrap();
    let ops = own_work("worker", records, [theirs, mine.clone()]);
    assert_eq!(ops.len(), 2, "{ops:?}");
    let Op::Put { collection, id, fields } = &ops[0] else { panic!("the visit first") };
    assert_eq!((*collection, id.as_str()), (Collection::Visits, "V1"));
    assert!(fields.values().all(|w| w.base == 0));
    assert_eq!(ops[1], Op::AppendEvent { event: mine });
}

#[test]
fn a_handed_back_record_a_later_pull_overtook_is_not_written_back() {
    let copy = |version| Change::Upsert {
        collection: Collection::Households,
        id: "h1".into(),
        version,
        fields: Default::default(),
    };
    // Held at an older or the same version: the server's copy is written back.
    assert!(still_to_restore(&copy(7), Some(5), 9));
    assert!(still_to_restore(&copy(7), Some(7), 9));
    // A pull brought a newer state after the server answered: the old copy would undo it.
    assert!(!still_to_restore(&copy(7), Some(8), 9));
    // Not held, and the cursor is past the copy: the phone pulled its deletion (or its
    // move out of scope) since, so it must not come back.
    assert!(!still_to_restore(&copy(7), None, 9));
    // Not held, the copy beyond the cursor: not pulled yet, written as a pull would.
    assert!(still_to_restore(&copy(7), None, 6));
}
