//! Schema v9 moves an issue's events and pulled versions into one row per issue
//! (`src/store/history.rs`). A phone upgraded from v8 — populated the way v8 wrote its
//! rows, with several events per issue, version rows and a non-empty outbox — keeps every
//! record, event, version and outbox entry, pushes the same mutations, and pulls on top.

use std::collections::BTreeMap;

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde_json::{json, Value};
use wangge::store::{Store, DB_VERSION};
use wangge_core::issue::{Category, EventKind, Issue, IssueEvent, Priority, Source};
use wangge_core::people::Role;
use wangge_core::sync::{Change, Collection, PullRequest, PullResponse, VersionedValue};
use wangge_core::{CommentText, Description, GridId, IssueId, IssueTitle, PersonId};
use wasm_bindgen_test::*;

#[path = "support/legacy.rs"]
mod legacy;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_795_000_000_000;

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
    (issue, event(&id, n, EventKind::Reported))
}

fn event(issue: &IssueId, n: u8, kind: EventKind) -> IssueEvent {
    let actor = PersonId::parse("P-WORKER").unwrap();
    IssueEvent::new(issue.clone(), NOW + i64::from(n) * 1000, actor, Role::GridWorker, kind, [n; 10])
}

/// Raw puts into a v8 database, as v8's pull wrote them.
async fn put_raw(name: &str, store: &str, rows: &[Value]) {
    let db = Database::open(name).with_version(8u32).await.unwrap();
    let tx = db.transaction(store).with_mode(TransactionMode::Readwrite).build().unwrap();
    for row in rows {
        tx.object_store(store).unwrap().put(row).serde().unwrap().await.unwrap();
    }
    tx.commit().await.unwrap();
    db.close();
}

async fn raw_count(name: &str, store: &str) -> u32 {
    let db = Database::open(name).await.unwrap();
    let tx = db.transaction(store).build().unwrap();
    let n = tx.object_store(store).unwrap().count().await.unwrap();
    drop(tx);
    db.close();
    n
}

#[wasm_bindgen_test]
async fn an_upgrade_from_v8_moves_histories_and_versions_and_keeps_the_outbox() {
    let name = format!("wangge-history-upgrade-{}", js_sys::Math::random());
    let v8 = Store::open_at_version(&name, 8).await.unwrap();
    v8.adopt_device("dev-1", "P-WORKER").await.unwrap();
    v8.close();
    let (a, reported_a) = issue(1, "占道经营");
    let (b, reported_b) = issue(2, "井盖缺失");
    legacy::report_issue_before_v9(&name, 8, &a, &reported_a).await;
    legacy::report_issue_before_v9(&name, 8, &b, &reported_b).await;
    // More of a's history as pulled: one event row each.
    let accepted = event(&a.id, 3, EventKind::Accepted);
    let noted = event(&a.id, 4, EventKind::Commented { text: CommentText::parse("已联系城管").unwrap() });
    let extra: Vec<Value> = [&accepted, &noted].iter().map(|e| serde_json::to_value(e).unwrap()).collect();
    put_raw(&name, "issue_events", &extra).await;
    // Version rows: one issue's, one household's (that one stays in `versions`).
    let a_key = format!("issues/{}", a.id);
    let versions = [
        json!({"key": a_key, "version": 5, "fields": {"title": 5, "priority": 3},
               "writers": {"title": ["P-LEADER", NOW]}}),
        json!({"key": "households/H1", "version": 2, "fields": {"address": 2}}),
    ];
    put_raw(&name, "versions", &versions).await;
    let db = Database::open(&name).with_version(8u32).await.unwrap();
    let tx = db.transaction("meta").with_mode(TransactionMode::Readwrite).build().unwrap();
    let meta = tx.object_store("meta").unwrap();
    meta.put(5u64).with_key("cursor".to_string()).serde().unwrap().await.unwrap();
    meta.put("E1").with_key("epoch".to_string()).serde().unwrap().await.unwrap();
    tx.commit().await.unwrap();
    db.close();
    let before = Store::open_at_version(&name, 8).await.unwrap();
    let outbox = before.outbox().await.unwrap();
    let push = before.next_push(100).await.unwrap().unwrap();
    assert_eq!(outbox.len(), 4, "two puts and two events queued");
    before.close();

    let store = Store::open_named(&name).await.unwrap();
    assert_eq!(store.version(), DB_VERSION);
    let mut a_events = store.events_of(a.id.as_str()).await.unwrap();
    a_events.sort_by(|x, y| x.id.as_str().cmp(y.id.as_str()));
    let mut want = vec![reported_a.clone(), accepted.clone(), noted.clone()];
    want.sort_by(|x, y| x.id.as_str().cmp(y.id.as_str()));
    assert_eq!(a_events, want, "every event of a moved");
    assert_eq!(store.events_of(b.id.as_str()).await.unwrap(), vec![reported_b.clone()]);
    let (row, bases) = store.issue_with_bases(a.id.as_str()).await.unwrap().unwrap();
    assert_eq!(row.issue, a, "the record kept");
    assert_eq!(bases, BTreeMap::from([("title".to_string(), 5), ("priority".to_string(), 3)]));
    let writers = store.field_writers(Collection::Issues, a.id.as_str()).await.unwrap();
    assert_eq!(writers.get("title"), Some(&("P-LEADER".to_string(), NOW)));
    let household = store.field_writers(Collection::Households, "H1").await.unwrap();
    assert!(household.is_empty(), "no writers there, as before");
    assert_eq!(store.outbox().await.unwrap(), outbox, "outbox kept as it was");
    assert_eq!(store.next_push(100).await.unwrap().unwrap(), push, "the same mutations go out");
    store.close();
    assert_eq!(raw_count(&name, "issue_events").await, 0, "the old event rows are gone");
    assert_eq!(raw_count(&name, "versions").await, 1, "only the household's version row stays");
    assert_eq!(raw_count(&name, "issue_history").await, 2, "one row per issue");

    // Reopening does not move again, and a pull lands on top of the moved rows.
    let store = Store::open_named(&name).await.unwrap();
    assert_eq!(store.events_of(a.id.as_str()).await.unwrap().len(), 3);
    let mut renamed = a.clone();
    renamed.title = IssueTitle::parse("占道经营（早市）").unwrap();
    let Value::Object(map) = serde_json::to_value(&renamed).unwrap() else { unreachable!() };
    let fields = map.into_iter().map(|(k, v)| (k, VersionedValue::new(v, 7))).collect();
    let done = event(&a.id, 8, EventKind::Assigned { assignee: PersonId::parse("P-WORKER").unwrap() });
    let response = PullResponse {
        changes: vec![
            Change::Upsert { collection: Collection::Issues, id: a.id.to_string(), version: 7, fields },
            Change::Event { version: 8, event: done },
        ],
        cursor: 8,
        has_more: false,
        epoch: "E1".into(),
    };
    store.apply_pull(&PullRequest { cursor: 5, limit: 100 }, &response).await.unwrap();
    assert_eq!(store.events_of(a.id.as_str()).await.unwrap().len(), 4, "the pulled event joined the history");
    let (row, bases) = store.issue_with_bases(a.id.as_str()).await.unwrap().unwrap();
    assert_eq!(bases.get("title"), Some(&7), "the pulled versions replaced the moved ones");
    assert_eq!(row.issue.title, a.title, "the queued put of a still shows on top of the pulled title");
    assert_eq!(row.status, "in_progress", "state derived from all four events (assigned after accepted)");
    assert_eq!(store.outbox().await.unwrap(), outbox, "a pull leaves the outbox alone");
}
