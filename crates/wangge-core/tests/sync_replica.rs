//! Focused tests of the device replica and the reference server, one behaviour each: the
//! cases the simulation (`sync_sim.rs`) exercises at random, pinned down by name.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use wangge_core::issue::{EventKind, IssueEvent};
use wangge_core::people::Role;
use wangge_core::sync::{Collection, MutationStatus, Op, PushError, PushRequest, Replica, ServerModel, WHOLE_RECORD};
use wangge_core::{IssueId, PersonId};

const H: Collection = Collection::Households;

fn fields(pairs: &[(&str, Value)]) -> BTreeMap<String, Value> {
    pairs.iter().map(|(k, v)| (k.to_string(), v.clone())).collect()
}

fn report(n: u8) -> IssueEvent {
    let issue = IssueId::parse("I1").unwrap();
    let actor = PersonId::parse("worker").unwrap();
    IssueEvent::new(issue, 1_000 * i64::from(n), actor, Role::GridWorker, EventKind::Reported, [n; 10])
}

/// Pushes everything and pulls everything, with a reliable network.
fn sync(phone: &mut Replica, server: &mut ServerModel) {
    while let Some(push) = phone.push_batch(10) {
        let reply = server.push(&push).unwrap();
        phone.on_push_response(&push, &reply);
    }
    loop {
        let pull = phone.pull_request(3);
        let page = server.pull(&pull);
        assert!(phone.apply_pull(&pull, &page));
        if !page.has_more {
            break;
        }
    }
}

#[test]
fn a_retry_after_a_lost_response_is_acknowledged_once_and_not_applied_twice() {
    let mut server = ServerModel::new("e1");
    let mut phone = Replica::new("p");
    phone.put(H, "H1", fields(&[("size", json!(3))]));
    phone.append_event(report(1));
    let push = phone.push_batch(10).unwrap();
    let _lost = server.push(&push).unwrap();
    assert_eq!(phone.outbox().len(), 2, "nothing leaves the outbox before an acknowledgment");
    let version = server.version();
    let retry = phone.push_batch(10).unwrap();
    assert_eq!(retry, push);
    let reply = server.push(&retry).unwrap();
    assert_eq!(server.version(), version, "a retry changes nothing");
    assert_eq!(reply.acked_seq, 2);
    assert!(reply.results.iter().all(|r| r.status == MutationStatus::Applied));
    phone.on_push_response(&retry, &reply);
    assert!(phone.outbox().is_empty());
    assert_eq!(server.state().events.len(), 1);
}

#[test]
fn a_gap_is_refused_and_nothing_after_it_is_applied() {
    let mut server = ServerModel::new("e1");
    let mut phone = Replica::new("p");
    for n in 0..3 {
        phone.put(H, "H1", fields(&[("size", json!(n))]));
    }
    let mut push = phone.push_batch(10).unwrap();
    push.mutations.remove(0);
    // Refused whole, as the SQLite server's 409 `seq_gap`: no reply to take.
    assert_eq!(server.push(&push), Err(PushError::SeqGap { expected: 1 }));
    assert_eq!(server.version(), 0);
    assert_eq!(server.last_seq("p"), 0);
    assert_eq!(phone.outbox().len(), 3, "a refused gap is retried, not dropped");
    assert!(phone.rejected().is_empty());
}

#[test]
fn a_stale_write_keeps_the_server_value_and_records_a_conflict() {
    let mut server = ServerModel::new("e1");
    let (mut a, mut b) = (Replica::new("a"), Replica::new("b"));
    a.put(H, "H1", fields(&[("size", json!(3))]));
    sync(&mut a, &mut server);
    sync(&mut b, &mut server);
    a.put(H, "H1", fields(&[("size", json!(4))]));
    b.put(H, "H1", fields(&[("size", json!(5))]));
    sync(&mut a, &mut server);
    let push = b.push_batch(10).unwrap();
    let reply = server.push(&push).unwrap();
    assert_eq!(reply.results[0].status, MutationStatus::Conflict);
    let state = server.state();
    assert_eq!(state.record(H, "H1").unwrap().get("size"), Some(&json!(4)));
    let conflict = state.conflicts.values().next().unwrap();
    assert_eq!((conflict.server_value.clone(), conflict.device_value.clone()), (json!(4), json!(5)));
    assert_eq!(conflict.client_id, "b");
}

#[test]
fn a_second_edit_of_one_field_before_a_pull_does_not_conflict_with_the_first() {
    let mut server = ServerModel::new("e1");
    let mut phone = Replica::new("p");
    phone.put(H, "H1", fields(&[("size", json!(3))]));
    sync(&mut phone, &mut server);
    phone.put(H, "H1", fields(&[("size", json!(4))]));
    sync(&mut phone, &mut server);
    phone.put(H, "H1", fields(&[("size", json!(5))]));
    phone.put(H, "H1", fields(&[("size", json!(6))]));
    phone.delete(H, "H1");
    sync(&mut phone, &mut server);
    assert!(server.state().conflicts.is_empty(), "{:?}", server.state().conflicts);
    assert!(server.state().records.is_empty());
}

#[test]
fn a_delete_that_never_saw_the_latest_edit_is_kept_as_a_conflict() {
    let mut server = ServerModel::new("e1");
    let (mut a, mut b) = (Replica::new("a"), Replica::new("b"));
    a.put(H, "H1", fields(&[("size", json!(3))]));
    sync(&mut a, &mut server);
    sync(&mut b, &mut server);
    a.put(H, "H1", fields(&[("size", json!(4))]));
    sync(&mut a, &mut server);
    b.delete(H, "H1");
    sync(&mut b, &mut server);
    let state = server.state();
    assert_eq!(state.record(H, "H1").unwrap().get("size"), Some(&json!(4)));
    let conflict = state.conflicts.values().next().unwrap();
    assert_eq!(conflict.field, WHOLE_RECORD);
    assert_eq!(conflict.device_value, Value::Null);
    // And a write to a record someone else deleted is refused: the phone keeps it, values
    // and all, in its refusal list (no conflict on a record no phone holds any more).
    sync(&mut a, &mut server);
    a.delete(H, "H1");
    sync(&mut a, &mut server);
    b.put(H, "H1", fields(&[("size", json!(9))]));
    sync(&mut b, &mut server);
    assert!(server.state().record(H, "H1").is_none());
    assert!(!server.state().conflicts.values().any(|c| c.device_value == json!(9)));
    let refused = &b.rejected()[0];
    assert_eq!(refused.code, "record_deleted");
    assert!(matches!(&refused.mutation.op, Op::Put { fields, .. } if fields["size"].value == json!(9)));
    assert!(b.outbox().is_empty() && b.view().record(H, "H1").is_none());
}

#[test]
fn a_rejected_mutation_is_shown_and_does_not_block_the_ones_behind_it() {
    let mut server = ServerModel::new("e1");
    let mut phone = Replica::new("p");
    phone.put(H, "H1", fields(&[("_secret", json!(1))]));
    phone.put(H, "H1", fields(&[("size", json!(2))]));
    let push = phone.push_batch(10).unwrap();
    let _lost = server.push(&push).unwrap();
    sync(&mut phone, &mut server); // the retry hears the same rejection
    assert_eq!(phone.rejected().len(), 1);
    assert_eq!(phone.rejected()[0].code, "bad_field");
    assert_eq!(server.state().record(H, "H1").unwrap().get("size"), Some(&json!(2)));
}

#[test]
fn a_late_pull_page_does_not_move_the_view_backwards() {
    let mut server = ServerModel::new("e1");
    let (mut a, mut b) = (Replica::new("a"), Replica::new("b"));
    a.put(H, "H1", fields(&[("size", json!(1))]));
    sync(&mut a, &mut server);
    let early = b.pull_request(10);
    let early_page = server.pull(&early);
    a.put(H, "H1", fields(&[("size", json!(2))]));
    sync(&mut a, &mut server);
    sync(&mut b, &mut server);
    b.apply_pull(&early, &early_page);
    assert_eq!(b.view(), server.state());
}

#[test]
fn an_epoch_change_re_pushes_every_unacknowledged_mutation_under_a_fresh_client_id() {
    let mut server = ServerModel::new("e1");
    let mut phone = Replica::new("p");
    phone.put(H, "H1", fields(&[("size", json!(1))]));
    sync(&mut phone, &mut server);
    phone.put(H, "H1", fields(&[("size", json!(2))]));
    phone.append_event(report(1));
    let old: PushRequest = phone.push_batch(10).unwrap();
    assert_eq!(old.mutations[0].seq, 2);

    assert_eq!(old.epoch.as_deref(), Some("e1"), "a push names the epoch it was built for");

    let mut restored = ServerModel::new("e2"); // restored from an empty backup
    let refused = restored.push(&old).unwrap_err();
    assert_eq!(refused, PushError::EpochMismatch { server_epoch: "e2".into() });
    assert_eq!((restored.version(), restored.last_seq("p")), (0, 0), "nothing of it stored");
    phone.on_epoch_mismatch(&old, "e2");
    assert_eq!(phone.epoch(), Some("e2"));
    assert_eq!(phone.client_id(), "p-e1");
    let seqs: Vec<u64> = phone.outbox().iter().map(|m| m.seq).collect();
    assert_eq!(seqs, [1, 2]);
    sync(&mut phone, &mut restored);
    assert_eq!(phone.view(), restored.state());
    assert_eq!(restored.state().record(H, "H1").unwrap().get("size"), Some(&json!(2)));
    assert_eq!(restored.state().events.len(), 1);
    // A delayed copy of the old request is refused again, and changes nothing on the phone.
    assert!(restored.push(&old).is_err());
    phone.on_epoch_mismatch(&old, "e2");
    assert_eq!((phone.client_id().as_str(), phone.epoch()), ("p-e1", Some("e2")));
    assert_eq!(restored.last_seq("p-e1"), 2);
    assert_eq!(restored.last_seq("p"), 0);
}

#[test]
fn a_push_before_any_sync_names_no_epoch_and_any_server_takes_it() {
    let mut server = ServerModel::new("e1");
    let mut phone = Replica::new("p");
    phone.put(H, "H1", fields(&[("size", json!(1))]));
    let push = phone.push_batch(10).unwrap();
    assert_eq!(push.epoch, None);
    let json = serde_json::to_value(&push).unwrap();
    assert!(json.get("epoch").is_none(), "an unknown epoch is left out of the JSON: {json}");
    let reply = server.push(&push).unwrap();
    phone.on_push_response(&push, &reply);
    assert_eq!((phone.epoch(), phone.client_id().as_str()), (Some("e1"), "p"));
    assert!(phone.outbox().is_empty());
}

/// Two phones that wrote one field from the same base: B's write is kept as a conflict.
fn conflicted() -> (ServerModel, Replica, Replica) {
    let mut server = ServerModel::new("e1");
    let (mut a, mut b) = (Replica::new("a"), Replica::new("b"));
    a.put(H, "H1", fields(&[("size", json!(3))]));
    sync(&mut a, &mut server);
    sync(&mut b, &mut server);
    a.put(H, "H1", fields(&[("size", json!(4))]));
    b.put(H, "H1", fields(&[("size", json!(5))]));
    sync(&mut a, &mut server);
    sync(&mut b, &mut server);
    sync(&mut a, &mut server);
    assert_eq!(server.state().conflicts.len(), 1);
    (server, a, b)
}

#[test]
fn a_settled_conflict_leaves_the_list_at_once_and_every_device_pulls_it_settled() {
    let (mut server, mut a, mut b) = conflicted();
    let id = server.state().conflicts.keys().next().unwrap().clone();
    a.settle_conflict(&id);
    assert!(a.view().conflicts[&id].resolved, "settled in the view before any push");
    assert!(!a.pulled().conflicts[&id].resolved);
    let version = server.version();
    sync(&mut a, &mut server);
    assert!(server.version() > version, "a settle is a new version, so others pull it");
    sync(&mut b, &mut server);
    assert!(b.view().conflicts[&id].resolved);
    assert_eq!(a.view(), server.state());
    assert_eq!(b.view(), server.state());
    // Settling again is acknowledged and moves nothing.
    let version = server.version();
    b.settle_conflict(&id);
    sync(&mut b, &mut server);
    assert_eq!(server.version(), version);
    assert!(b.rejected().is_empty() && b.outbox().is_empty());
}

#[test]
fn settling_an_unknown_conflict_is_rejected_and_shown() {
    let mut server = ServerModel::new("e1");
    let mut phone = Replica::new("p");
    phone.settle_conflict("no-such-conflict");
    sync(&mut phone, &mut server);
    assert_eq!(phone.rejected().len(), 1);
    assert_eq!(phone.rejected()[0].code, "unknown_conflict");
}

#[test]
fn keeping_my_value_is_a_put_with_a_fresh_base_then_a_settle() {
    let (mut server, mut a, mut b) = conflicted();
    let conflict = b.view().conflicts.values().next().unwrap().clone();
    b.put(H, &conflict.record_id, fields(&[(conflict.field.as_str(), conflict.device_value.clone())]));
    b.settle_conflict(&conflict.id);
    sync(&mut b, &mut server);
    sync(&mut a, &mut server);
    let state = server.state();
    assert_eq!(state.record(H, "H1").unwrap().get("size"), Some(&json!(5)), "B's value now holds");
    assert_eq!(state.conflicts.len(), 1, "and it raised no new conflict");
    assert!(state.conflicts[&conflict.id].resolved);
    assert_eq!(a.view(), state);
}

#[test]
fn a_phone_offers_its_persons_own_work_back_to_a_restored_server() {
    let mut server = ServerModel::new("e1");
    let mut phone = Replica::new("p");
    phone.set_person("worker");
    phone.put(Collection::Visits, "V1", fields(&[("worker", json!("worker")), ("note", json!("入户"))]));
    phone.put(Collection::Visits, "V2", fields(&[("worker", json!("other")), ("note", json!("回访"))]));
    phone.append_event(report(1));
    sync(&mut phone, &mut server);
    assert!(phone.outbox().is_empty());

    // The server is restored from a backup taken before any of it.
    let mut restored = ServerModel::new("e2");
    let pull = phone.pull_request(10);
    let page = restored.pull(&pull);
    assert!(!phone.apply_pull(&pull, &page), "a new epoch resets instead");
    let outbox = phone.outbox();
    assert_eq!(outbox.len(), 2, "the visit and the step, not the other person's visit");
    assert!(matches!(&outbox[0].op, Op::Put { id, .. } if id == "V1"), "{outbox:?}");
    assert!(matches!(&outbox[1].op, Op::AppendEvent { .. }), "{outbox:?}");
    sync(&mut phone, &mut restored);
    let state = restored.state();
    assert!(state.record(Collection::Visits, "V1").is_some());
    assert!(state.record(Collection::Visits, "V2").is_none());
    assert_eq!(state.events.len(), 1);
    assert_eq!(phone.view(), state);
}
