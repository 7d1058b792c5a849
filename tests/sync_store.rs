//! The store's half of sync in real headless Chromium, fed server replies by hand: what a
//! pulled page leaves on the phone, what an acknowledgement removes, and how a new server
//! epoch resets the device without losing a pending change.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use wangge::store::{PullOutcome, PushOutcome, Store};
use wangge_core::issue::{Category, EventKind, Issue, IssueEvent, Priority, Source};
use wangge_core::people::Role;
use wangge_core::sync::{
    Change, Collection, MutationResult, MutationStatus, Op, PullRequest, PullResponse, PushRequest, PushResponse,
    VersionedValue,
};
use wangge_core::{Description, GridId, IssueId, IssueTitle, PersonId};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_795_000_000_000;

fn fresh_name() -> String {
    format!("wangge-sync-test-{}", js_sys::Math::random())
}

fn issue(n: u8, title: &str) -> (Issue, IssueEvent) {
    let id = IssueId::generate(NOW + i64::from(n), [n; 10]);
    let issue = Issue {
        id: id.clone(),
        title: IssueTitle::parse(title).unwrap(),
        description: Description::parse("路面塌陷").unwrap(),
        category: Category::Infrastructure,
        source: Source::Visit,
        grid: GridId::parse("G-JICHI-1").unwrap(),
        household: None,
        unit: None,
        location: None,
        reporter: PersonId::parse("P-WORKER").unwrap(),
        priority: Priority::Normal,
        due_at: None,
        created_at: NOW,
    };
    let reported =
        IssueEvent::new(id, NOW, PersonId::parse("P-WORKER").unwrap(), Role::GridWorker, EventKind::Reported, [n; 10]);
    (issue, reported)
}

/// The server's view of `issue`, every field at `version`.
fn upsert(issue: &Issue, version: u64) -> Change {
    let Value::Object(map) = serde_json::to_value(issue).unwrap() else { unreachable!() };
    let fields: BTreeMap<String, VersionedValue> =
        map.into_iter().map(|(k, value)| (k, VersionedValue::new(value, version))).collect();
    Change::Upsert { collection: Collection::Issues, id: issue.id.to_string(), version, fields }
}

fn page(changes: Vec<Change>, cursor: u64, epoch: &str) -> PullResponse {
    PullResponse { changes, cursor, has_more: false, epoch: epoch.into() }
}

async fn logged_in_store() -> Store {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    store.adopt_device("dev-1", "P-WORKER").await.unwrap();
    store
}

#[wasm_bindgen_test]
async fn a_pulled_record_keeps_the_workers_pending_edit_on_top() {
    let store = logged_in_store().await;
    let (a, reported) = issue(1, "路面塌陷");
    let req = PullRequest { cursor: 0, limit: 100 };
    let first = page(vec![upsert(&a, 3), Change::Event { version: 4, event: reported }], 4, "E1");
    assert_eq!(store.apply_pull(&req, &first).await.unwrap(), PullOutcome::Applied { changes: 2 });
    assert_eq!(
        store.issue(a.id.as_str()).await.unwrap().unwrap().status,
        "reported",
        "state derived from the pulled event"
    );

    // The worker changes the priority offline; the edit carries the pulled version as base.
    let changed = store
        .edit(Collection::Issues, a.id.as_str(), [("priority".to_string(), json!("urgent"))].into_iter().collect())
        .await
        .unwrap();
    assert!(changed);
    let outbox = store.outbox().await.unwrap();
    let Op::Put { fields, .. } = &outbox[0].op else { panic!("a put") };
    assert_eq!(fields["priority"].base, 3);
    assert_eq!(fields.len(), 1, "only the changed field travels");

    // Meanwhile someone else renamed it; the pull must not wipe the pending priority.
    let mut renamed = a.clone();
    renamed.title = IssueTitle::parse("路面塌陷需修补").unwrap();
    let second = page(vec![upsert(&renamed, 7)], 7, "E1");
    store.apply_pull(&PullRequest { cursor: 4, limit: 100 }, &second).await.unwrap();
    let row = store.issue(a.id.as_str()).await.unwrap().unwrap();
    assert_eq!(row.title, "路面塌陷需修补");
    assert_eq!(serde_json::to_value(row.issue.priority).unwrap(), json!("urgent"));
    assert_eq!(row.status, "reported", "state re-derived, not reset");

    // A late reply to an older request is ignored.
    let stale = page(vec![upsert(&a, 3)], 4, "E1");
    assert_eq!(store.apply_pull(&PullRequest { cursor: 9, limit: 100 }, &stale).await.unwrap(), PullOutcome::Ignored);
    assert_eq!(store.sync_meta().await.unwrap().cursor, 7);
}

#[wasm_bindgen_test]
async fn an_ack_removes_only_what_was_acknowledged_and_keeps_refusals() {
    let store = logged_in_store().await;
    for n in 1..=3 {
        let (i, e) = issue(n, "垃圾堆放");
        store.report_issue(i, e).await.unwrap();
    }
    let push = store.next_push(4).await.unwrap().expect("something to push");
    assert_eq!(push.client_id, "dev-1");
    assert_eq!(push.mutations.iter().map(|m| m.seq).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
    let results = (1..=4)
        .map(|seq| MutationResult {
            seq,
            status: if seq == 2 { MutationStatus::Rejected } else { MutationStatus::Applied },
            code: (seq == 2).then(|| "out_of_scope".into()),
            message: (seq == 2).then(|| "不在您的网格范围内".into()),
            current: None,
        })
        .collect();
    // The server stored up to 4 of the 4 sent; a claim beyond what was sent is capped.
    let reply = PushResponse { results, acked_seq: 9, epoch: "E1".into() };
    assert_eq!(store.on_push_response(&push, &reply).await.unwrap(), PushOutcome::Acked { removed: 4, rejected: 1 });
    let left: Vec<u64> = store.outbox().await.unwrap().iter().map(|m| m.seq).collect();
    assert_eq!(left, vec![5, 6]);
    let refused = store.rejected_changes().await.unwrap();
    assert_eq!(refused.len(), 1);
    assert_eq!(refused[0].message, "不在您的网格范围内");
    assert_eq!(refused[0].mutation.seq, 2);
}

/// The server's reply to `push`: applied, except `refused` (rejected with `code`).
fn reply(push: &PushRequest, refused: u64, code: &str) -> PushResponse {
    PushResponse {
        results: push
            .mutations
            .iter()
            .map(|m| MutationResult {
                seq: m.seq,
                status: if m.seq == refused { MutationStatus::Rejected } else { MutationStatus::Applied },
                code: (m.seq == refused).then(|| code.into()),
                message: (m.seq == refused).then(|| "您的身份不能对村(社区)层级的问题执行“受理”".into()),
                current: None,
            })
            .collect(),
        acked_seq: push.mutations.last().map_or(0, |m| m.seq),
        epoch: "E1".into(),
    }
}

#[wasm_bindgen_test]
async fn a_refused_step_leaves_the_history_and_the_issue_shows_where_it_stands() {
    let store = logged_in_store().await;
    let (i, reported) = issue(1, "消防通道堵塞");
    let id = i.id.to_string();
    store.report_issue(i, reported.clone()).await.unwrap();
    let push = store.next_push(10).await.unwrap().unwrap();
    store.on_push_response(&push, &reply(&push, 0, "")).await.unwrap();

    let accepted = IssueEvent::new(
        reported.issue.clone(),
        NOW + 60_000,
        PersonId::parse("P-WORKER").unwrap(),
        Role::GridWorker,
        EventKind::Accepted,
        [9; 10],
    );
    let row = store.append_event(accepted.clone()).await.unwrap();
    assert_eq!(row.status, "accepted", "the phone shows its own step at once");
    let push = store.next_push(10).await.unwrap().unwrap();
    let seq = push.mutations[0].seq;
    assert_eq!(
        store.on_push_response(&push, &reply(&push, seq, "step_not_allowed")).await.unwrap(),
        PushOutcome::Acked { removed: 1, rejected: 1 }
    );

    let history: Vec<_> = store.events_of(&id).await.unwrap().into_iter().map(|e| e.id).collect();
    assert_eq!(history, vec![reported.id], "the refused step is no longer in the history");
    assert_eq!(store.issue(&id).await.unwrap().unwrap().status, "reported");
    let refused = store.rejected_changes().await.unwrap();
    assert_eq!(refused.len(), 1, "the refused step is kept among the refusals");
    assert_eq!(refused[0].code, "step_not_allowed");
    assert!(matches!(&refused[0].mutation.op, Op::AppendEvent { event } if *event == accepted));
}

#[wasm_bindgen_test]
async fn a_refused_edit_gives_way_to_the_record_the_server_hands_back() {
    let store = logged_in_store().await;
    let (i, reported) = issue(2, "楼道堆放杂物");
    let id = i.id.to_string();
    store.report_issue(i.clone(), reported).await.unwrap();
    let push = store.next_push(10).await.unwrap().unwrap();
    store.on_push_response(&push, &reply(&push, 0, "")).await.unwrap();
    // The phone learns the record's server version, as a pull would tell it.
    let pulled = PullRequest { cursor: 0, limit: 100 };
    store.apply_pull(&pulled, &page(vec![upsert(&i, 5)], 5, "E1")).await.unwrap();

    // Two edits of the record: the first is refused, the second still waits.
    let edit = |field: &str, value: Value| {
        let mut fields = serde_json::Map::new();
        fields.insert(field.to_string(), value);
        fields.into_iter().collect()
    };
    store.edit(Collection::Issues, &id, edit("priority", json!("urgent"))).await.unwrap();
    let push = store.next_push(1).await.unwrap().unwrap();
    store.edit(Collection::Issues, &id, edit("title", json!("楼道堆放杂物,影响通行"))).await.unwrap();
    let seq = push.mutations[0].seq;
    let mut answer = reply(&push, seq, "edit_not_allowed");
    answer.results[0].current = Some(upsert(&i, 6));
    store.on_push_response(&push, &answer).await.unwrap();

    let row = store.issue(&id).await.unwrap().unwrap();
    assert_eq!(row.issue.priority, Priority::Normal, "the refused value is gone from the phone");
    assert_eq!(row.issue.title.as_str(), "楼道堆放杂物,影响通行", "the edit still waiting stays on top");
    assert_eq!(store.rejected_changes().await.unwrap().len(), 1, "the refused edit is listed");
    assert_eq!(store.outbox().await.unwrap().len(), 1);
}

/// Regression (hardening issue, high 3): an edit made before a slow pull arrived went out
/// with the old base and lost to another device's value. The pull had already moved the
/// stored versions on under the pending value, so no later pull would correct the phone:
/// it went on showing its own value, even after "keep the server's value".
#[wasm_bindgen_test]
async fn an_edit_that_lost_a_conflict_shows_the_servers_value_even_after_a_pull() {
    let store = logged_in_store().await;
    let (i, reported) = issue(3, "井盖松动");
    let id = i.id.to_string();
    store.report_issue(i.clone(), reported).await.unwrap();
    let push = store.next_push(10).await.unwrap().unwrap();
    store.on_push_response(&push, &reply(&push, 0, "")).await.unwrap();
    let from = |cursor| PullRequest { cursor, limit: 100 };
    store.apply_pull(&from(0), &page(vec![upsert(&i, 5)], 5, "E1")).await.unwrap();

    // The worker sets 低 (base 5) while another device's 紧急 is on its way.
    let mut fields = serde_json::Map::new();
    fields.insert("priority".into(), json!("low"));
    store.edit(Collection::Issues, &id, fields.into_iter().collect()).await.unwrap();
    let mut urgent = i.clone();
    urgent.priority = Priority::Urgent;
    store.apply_pull(&from(5), &page(vec![upsert(&urgent, 7)], 7, "E1")).await.unwrap();
    let row = store.issue(&id).await.unwrap().unwrap();
    assert_eq!(row.issue.priority, Priority::Low, "pending stays on top until answered");

    // The push answers "conflict": the server kept 紧急, 低 waits as a conflict.
    let push = store.next_push(10).await.unwrap().unwrap();
    let mut answer = reply(&push, 0, "");
    answer.results[0].status = MutationStatus::Conflict;
    answer.results[0].code = Some("field_conflict".into());
    answer.results[0].current = Some(upsert(&urgent, 7));
    assert_eq!(store.on_push_response(&push, &answer).await.unwrap(), PushOutcome::Acked { removed: 1, rejected: 0 });
    let row = store.issue(&id).await.unwrap().unwrap();
    assert_eq!(row.issue.priority, Priority::Urgent, "the phone shows what the server holds, not the value set aside");
    assert!(store.outbox().await.unwrap().is_empty());
    assert!(store.rejected_changes().await.unwrap().is_empty(), "a conflict is not a refusal");
}

#[wasm_bindgen_test]
async fn a_new_server_epoch_resets_the_phone_keeps_every_pending_change_and_offers_back_own_work() {
    let store = logged_in_store().await;
    let (a, reported) = issue(1, "路灯不亮");
    store
        .apply_pull(
            &PullRequest { cursor: 0, limit: 10 },
            &page(vec![upsert(&a, 5), Change::Event { version: 6, event: reported }], 6, "E1"),
        )
        .await
        .unwrap();
    store
        .edit(Collection::Issues, a.id.as_str(), [("priority".to_string(), json!("urgent"))].into_iter().collect())
        .await
        .unwrap();
    let (b, reported_b) = issue(2, "井盖缺失");
    let b_id = b.id.clone();
    store.report_issue(b, reported_b).await.unwrap();
    assert_eq!(store.pending_count().await.unwrap(), 3);
    // Someone else's issue, pulled: not this worker's to offer back.
    let (mut c, mut reported_c) = issue(3, "楼道堆物");
    c.reporter = PersonId::parse("P-OTHER").unwrap();
    reported_c.actor = c.reporter.clone();
    store
        .apply_pull(
            &PullRequest { cursor: 6, limit: 10 },
            &page(vec![upsert(&c, 7), Change::Event { version: 8, event: reported_c }], 8, "E1"),
        )
        .await
        .unwrap();

    // The server was restored from elsewhere: its replies carry another epoch.
    let push = store.next_push(10).await.unwrap().unwrap();
    let reply = PushResponse { results: vec![], acked_seq: 0, epoch: "E2".into() };
    assert_eq!(store.on_push_response(&push, &reply).await.unwrap(), PushOutcome::NewEpoch);

    let meta = store.sync_meta().await.unwrap();
    assert_eq!(meta.epoch.as_deref(), Some("E2"));
    assert_eq!(meta.cursor, 0, "pull everything again");
    assert_eq!(meta.client_id.as_deref(), Some("dev-1-e1"), "a fresh client id: old seqs mean nothing there");
    // First the worker's own work, offered back in case the restored server lacks what
    // it had acknowledged (records before steps); then the three pending changes.
    let outbox = store.outbox().await.unwrap();
    assert_eq!(
        outbox.iter().map(|m| m.seq).collect::<Vec<_>>(),
        (1..=7).collect::<Vec<_>>(),
        "nothing lost, renumbered"
    );
    let kinds: Vec<String> = outbox
        .iter()
        .map(|m| match &m.op {
            Op::Put { id, fields, .. } => format!("put {id} {}", fields.len()),
            Op::AppendEvent { event } => format!("event {}", event.issue),
            other => format!("{other:?}"),
        })
        .collect();
    let (ida, idb) = (a.id.to_string(), b_id.to_string());
    let whole = serde_json::to_value(&a).unwrap().as_object().unwrap().len();
    assert_eq!(
        kinds[..4],
        [format!("put {ida} {whole}"), format!("put {idb} {whole}"), format!("event {ida}"), format!("event {idb}"),],
        "the other person's issue is not offered"
    );
    let Op::Put { fields, .. } = &outbox[0].op else { unreachable!() };
    assert_eq!(fields["priority"].value, json!("urgent"), "as the phone holds it");
    assert!(fields.values().all(|w| w.base == 0));
    let Op::Put { fields, .. } = &outbox[4].op else { panic!("then the edit") };
    assert_eq!(fields["priority"].base, 0, "old versions mean nothing to the new server");
    assert!(store.issue(a.id.as_str()).await.unwrap().is_none(), "pulled data is pulled again");
}

#[wasm_bindgen_test]
async fn a_tombstone_or_eviction_removes_the_record_and_its_history() {
    let store = logged_in_store().await;
    let (a, reported) = issue(1, "占道经营");
    let first = page(vec![upsert(&a, 1), Change::Event { version: 2, event: reported }], 2, "E1");
    store.apply_pull(&PullRequest { cursor: 0, limit: 10 }, &first).await.unwrap();
    assert_eq!(store.events_of(a.id.as_str()).await.unwrap().len(), 1);
    let gone = page(vec![Change::Evict { collection: Collection::Issues, id: a.id.to_string(), version: 3 }], 3, "E1");
    store.apply_pull(&PullRequest { cursor: 2, limit: 10 }, &gone).await.unwrap();
    assert!(store.issue(a.id.as_str()).await.unwrap().is_none());
    assert!(store.events_of(a.id.as_str()).await.unwrap().is_empty(), "no resident data left behind");
}

/// A page's writes are sent in batches (`src/store/pull.rs`): a record put and then
/// deleted in the same page must end deleted, and an issue whose history comes over two
/// pages is derived from all of it, including the events its record arrived without.
#[wasm_bindgen_test]
async fn a_page_keeps_its_order_and_an_issue_is_derived_from_every_page() {
    let store = logged_in_store().await;
    let (a, reported_a) = issue(1, "占道经营");
    let (b, reported_b) = issue(2, "井盖缺失");
    let first = page(
        vec![
            upsert(&a, 1),
            upsert(&b, 2),
            Change::Event { version: 3, event: reported_b },
            Change::Tombstone { collection: Collection::Issues, id: b.id.to_string(), version: 4 },
        ],
        4,
        "E1",
    );
    store.apply_pull(&PullRequest { cursor: 0, limit: 10 }, &first).await.unwrap();
    assert!(store.issue(b.id.as_str()).await.unwrap().is_none());
    assert!(store.events_of(b.id.as_str()).await.unwrap().is_empty());
    let row = store.issue(a.id.as_str()).await.unwrap().unwrap();
    assert_eq!(row.status, "unreported", "no event of a yet");
    let second = page(vec![Change::Event { version: 5, event: reported_a }], 5, "E1");
    store.apply_pull(&PullRequest { cursor: 4, limit: 10 }, &second).await.unwrap();
    let row = store.issue(a.id.as_str()).await.unwrap().unwrap();
    assert_eq!(row.status, "reported", "derived from the event pulled later");
    assert_eq!(row.issue, a, "the record itself kept as pulled");
    // The second page read a's history row back and wrote it again with the new event:
    // the field versions the first page kept in it must come through that read intact.
    let (_, bases) = store.issue_with_bases(a.id.as_str()).await.unwrap().unwrap();
    assert_eq!(bases.get("title"), Some(&1), "the record's pulled versions survive a later page of its events");
    assert_eq!(store.events_of(a.id.as_str()).await.unwrap().len(), 1, "the event pulled later is in the history");
}

/// The issue edit form stays open through pulls (`pages/issues/detail/edit.rs`): its edit is based on
/// the versions the form opened on, so a field another device changed meanwhile reaches
/// the server as a conflict instead of overwriting a value the worker never saw.
#[wasm_bindgen_test]
async fn an_edit_from_an_open_form_keeps_the_bases_it_opened_on() {
    let store = logged_in_store().await;
    let (a, _) = issue(1, "路灯不亮");
    let pull = |cursor| PullRequest { cursor, limit: 100 };
    store.apply_pull(&pull(0), &page(vec![upsert(&a, 3)], 3, "E1")).await.unwrap();
    let (shown, seen) = store.issue_with_bases(a.id.as_str()).await.unwrap().unwrap();
    assert_eq!((shown.issue.priority, seen["priority"]), (Priority::Normal, 3));
    // Another device raises the priority while the form is open; the phone pulls it.
    let mut newer = a.clone();
    newer.priority = Priority::High;
    store.apply_pull(&pull(3), &page(vec![upsert(&newer, 8)], 8, "E1")).await.unwrap();
    let low = [("priority".to_string(), json!("low"))].into_iter().collect();
    assert!(store.edit_seen(Collection::Issues, a.id.as_str(), low, Some(&seen)).await.unwrap());
    let outbox = store.outbox().await.unwrap();
    let Op::Put { fields, .. } = &outbox[0].op else { panic!("a put") };
    assert_eq!(fields["priority"].base, 3, "the base the form saw, not the pulled one");
}
