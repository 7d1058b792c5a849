//! The store's epoch handling in real headless Chromium, pinning the drift it had from the
//! core's `Replica` before both ran the same plans (`wangge_core::sync::device`): a reply
//! naming an epoch the phone already left must not reset it again, and a reset happens in
//! the transaction that found it was needed, so no other step slips in between.

use std::collections::BTreeMap;

use serde_json::json;
use wangge::store::{PullOutcome, PushOutcome, Store};
use wangge_core::sync::{
    Change, Collection, FieldWrite, PullRequest, PullResponse, PushRequest, PushResponse, VersionedValue,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn logged_in_store() -> Store {
    let name = format!("wangge-epoch-test-{}", js_sys::Math::random());
    let store = Store::open_named(&name).await.unwrap();
    store.adopt_device("dev-1", "P-WORKER").await.unwrap();
    store
}

/// A household as the server holds it, at `version`.
fn household(id: &str, version: u64) -> Change {
    let head = json!({"name": "王芳", "gender": "female", "birth_year": 1970,
                      "phone": null, "relation": "head"});
    let fields: BTreeMap<String, VersionedValue> = [
        ("id", json!(id)),
        ("grid", json!("G-JICHI-1")),
        ("address", json!("齐驰社区3栋2单元501")),
        ("tags", json!([])),
        ("member:m1", head),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), VersionedValue::new(v, version)))
    .collect();
    Change::Upsert { collection: Collection::Households, id: id.into(), version, fields }
}

fn page(changes: Vec<Change>, cursor: u64, epoch: &str) -> PullResponse {
    PullResponse { changes, cursor, has_more: false, epoch: epoch.into() }
}

fn from(cursor: u64) -> PullRequest {
    PullRequest { cursor, limit: 100 }
}

fn ack(push: &PushRequest, epoch: &str) -> PushResponse {
    PushResponse { results: vec![], acked_seq: push.mutations.last().map_or(0, |m| m.seq), epoch: epoch.into() }
}

/// A phone that heard epoch E1, pulled one household, and has one edit waiting.
async fn phone_on_e1() -> Store {
    let store = logged_in_store().await;
    let applied = store.apply_pull(&from(0), &page(vec![household("H1", 3)], 3, "E1")).await.unwrap();
    assert_eq!(applied, PullOutcome::Applied { changes: 1 });
    let moved = [("address".to_string(), json!("齐驰社区3栋2单元502"))].into_iter().collect();
    store.edit(Collection::Households, "H1", moved).await.unwrap();
    store
}

/// Moves the phone from E1 to E2 through a push reply.
async fn move_to_e2(store: &Store) {
    let push = store.next_push(10).await.unwrap().unwrap();
    let outcome = store.on_push_response(&push, &ack(&push, "E2")).await.unwrap();
    assert_eq!(outcome, PushOutcome::NewEpoch);
}

#[wasm_bindgen_test]
async fn a_reply_naming_an_epoch_already_left_does_not_reset_the_phone_again() {
    let store = phone_on_e1().await;
    move_to_e2(&store).await;
    let after_reset = store.sync_meta().await.unwrap();
    assert_eq!(after_reset.client_id.as_deref(), Some("dev-1-e1"));
    let outbox = store.outbox().await.unwrap();

    // A reply from the old server, delayed: to the current client id, naming E1.
    let push = store.next_push(10).await.unwrap().unwrap();
    let stale = store.on_push_response(&push, &ack(&push, "E1")).await.unwrap();
    assert_eq!(stale, PushOutcome::Ignored);
    let refused = store.on_epoch_mismatch(&push, "E1").await.unwrap();
    assert_eq!(refused, PushOutcome::Ignored);
    let late_page = page(vec![household("H1", 9)], 9, "E1");
    let pulled = store.apply_pull(&from(0), &late_page).await.unwrap();
    assert_eq!(pulled, PullOutcome::Ignored);

    assert_eq!(store.sync_meta().await.unwrap(), after_reset, "no second reset");
    assert_eq!(store.outbox().await.unwrap(), outbox, "nothing acknowledged or renumbered");
    assert!(store.household("H1").await.unwrap().is_none(), "nothing pulled from E1");
}

#[wasm_bindgen_test]
async fn a_new_epoch_is_taken_in_the_transaction_that_heard_it() {
    let store = phone_on_e1().await;
    let push = store.next_push(10).await.unwrap().unwrap();
    // The push reply and the first page of the new server land together. Before, the
    // reply's transaction saw E2, let go, and reset in a second one; the page's
    // transaction, queued in between, saw E1 too and reset the phone a second time.
    let new_server_page = page(vec![household("H2", 5)], 5, "E2");
    let reply = ack(&push, "E2");
    let pull = from(0);
    let (pushed, pulled) =
        futures::future::join(store.on_push_response(&push, &reply), store.apply_pull(&pull, &new_server_page)).await;
    assert_eq!(pushed.unwrap(), PushOutcome::NewEpoch);
    assert_eq!(pulled.unwrap(), PullOutcome::Applied { changes: 1 });
    let meta = store.sync_meta().await.unwrap();
    assert_eq!(meta.client_id.as_deref(), Some("dev-1-e1"), "one reset, not two");
    assert_eq!((meta.epoch.as_deref(), meta.cursor), (Some("E2"), 5));
    assert!(store.household("H2").await.unwrap().is_some(), "the page landed after the reset");
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1, "the pending edit is kept");
    assert_eq!(outbox[0].seq, 1);
    let wangge_core::sync::Op::Put { fields, .. } = &outbox[0].op else { panic!("the edit") };
    let moved = FieldWrite { value: json!("齐驰社区3栋2单元502"), base: 0 };
    assert_eq!(fields["address"], moved);
}

#[wasm_bindgen_test]
async fn a_refused_push_naming_a_new_epoch_resets_once() {
    let store = phone_on_e1().await;
    let push = store.next_push(10).await.unwrap().unwrap();
    assert_eq!(store.on_epoch_mismatch(&push, "E2").await.unwrap(), PushOutcome::NewEpoch);
    // The same refusal heard twice (a retried request): it answered the old client id.
    assert_eq!(store.on_epoch_mismatch(&push, "E2").await.unwrap(), PushOutcome::Ignored);
    let meta = store.sync_meta().await.unwrap();
    assert_eq!((meta.client_id.as_deref(), meta.epoch.as_deref()), (Some("dev-1-e1"), Some("E2")));
}

/// A task (任务下发) as the server sends it.
fn task(id: &str, version: u64) -> Change {
    let fields: BTreeMap<String, VersionedValue> = [
        ("id", json!(id)),
        ("batch", json!(id)),
        ("grid", json!("G-JICHI-1")),
        ("from", json!("G-JICHI")),
        ("sender", json!("P-SECRETARY")),
        ("title", json!("暴雨前排查独居老人")),
        ("sent_at", json!(1_780_000_000_000_i64)),
        ("due", json!(1_780_020_000_000_i64)),
        ("targets", json!({"kind": "care_tag", "tag": "living_alone_elderly"})),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), VersionedValue::new(v, version)))
    .collect();
    Change::Upsert { collection: Collection::Tasks, id: id.into(), version, fields }
}

#[wasm_bindgen_test]
async fn tasks_are_pulled_kept_and_dropped_like_every_record() {
    let store = logged_in_store().await;
    let changes = vec![
        task("T1", 2),
        household("H1", 3),
        task("T2", 4),
        Change::Tombstone { collection: Collection::Tasks, id: "T2".into(), version: 5 },
        Change::Evict { collection: Collection::Tasks, id: "T1".into(), version: 6 },
    ];
    let applied = store.apply_pull(&from(0), &page(changes, 6, "E1")).await.unwrap();
    assert!(matches!(applied, PullOutcome::Applied { .. }), "the page is taken whole");
    assert_eq!(store.sync_meta().await.unwrap().cursor, 6);
    assert!(store.record_fields(Collection::Households, "H1").await.unwrap().is_some());
    assert_eq!(store.record_fields(Collection::Tasks, "T1").await.unwrap(), None, "evicted");
    assert_eq!(store.record_fields(Collection::Tasks, "T2").await.unwrap(), None, "tombstoned");
    let kept = store.apply_pull(&from(6), &page(vec![task("T3", 7)], 7, "E1")).await.unwrap();
    assert!(matches!(kept, PullOutcome::Applied { .. }));
    assert!(store.record_fields(Collection::Tasks, "T3").await.unwrap().is_some(), "kept (schema v7)");
    // Every step that opens all the stores still runs: an edit pushed, a new epoch's reset.
    let moved = [("address".to_string(), json!("齐驰社区3栋2单元502"))].into_iter().collect();
    store.edit(Collection::Households, "H1", moved).await.unwrap();
    move_to_e2(&store).await;
    assert_eq!(store.sync_meta().await.unwrap().cursor, 0, "the reset pulls again from the start");
    assert_eq!(store.record_fields(Collection::Tasks, "T3").await.unwrap(), None, "the reset empties tasks too");
}
