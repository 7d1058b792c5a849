//! The on-device store in real headless Chromium: records and their outbox entries are
//! written together or not at all, data survives a reopen, and a schema upgrade from the
//! previous version keeps everything.

use wangge::store::{Store, StoreError};
use wangge_core::household::{Household, HouseholdTag};
use wangge_core::issue::{Category, EventKind, Issue, IssueEvent, Priority, Source};
use wangge_core::people::Role;
use wangge_core::sync::Op;
use wangge_core::{Description, GridId, IssueId, IssueTitle, PersonId};
use wasm_bindgen_test::*;

#[path = "support/legacy.rs"]
mod legacy;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_795_000_000_000;

fn fresh_name() -> String {
    format!("wangge-test-{}", js_sys::Math::random())
}

fn random(n: u8) -> [u8; 10] {
    [n; 10]
}

fn issue(n: u8, title: &str) -> (Issue, IssueEvent) {
    let id = IssueId::generate(NOW + i64::from(n), random(n));
    let issue = Issue {
        id: id.clone(),
        title: IssueTitle::parse(title).unwrap(),
        description: Description::parse("人行道被汽修店车辆压坏").unwrap(),
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
    let reported = event(&id, n, EventKind::Reported);
    (issue, reported)
}

fn event(issue: &IssueId, n: u8, kind: EventKind) -> IssueEvent {
    let actor = PersonId::parse("P-WORKER").unwrap();
    IssueEvent::new(issue.clone(), NOW + i64::from(n) * 1000, actor, Role::GridWorker, kind, random(n))
}

#[wasm_bindgen_test]
async fn an_issue_and_its_outbox_entries_are_written_together() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let (a, reported) = issue(1, "人行道破损");
    store.report_issue(a.clone(), reported).await.unwrap();

    let row = store.issue(a.id.as_str()).await.unwrap().expect("issue saved");
    assert_eq!(row.issue, a);
    assert_eq!(row.status, "reported");
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.iter().map(|m| m.seq).collect::<Vec<_>>(), vec![1, 2]);
    assert!(matches!(&outbox[0].op, Op::Put { id, .. } if id == a.id.as_str()));
    assert!(matches!(&outbox[1].op, Op::AppendEvent { .. }));

    let (b, reported_b) = issue(2, "消防水泵漏水");
    store.report_issue(b, reported_b).await.unwrap();
    let seqs: Vec<u64> = store.outbox().await.unwrap().iter().map(|m| m.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3, 4], "seqs keep increasing per device");
}

#[wasm_bindgen_test]
async fn a_failed_action_leaves_neither_record_nor_outbox_entry() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let (a, reported) = issue(1, "垃圾堆放");
    store.report_issue(a, reported.clone()).await.unwrap();

    // A second issue whose first event reuses an existing event id: the event write fails
    // inside the transaction, so the issue row written before it must roll back too.
    let (b, _) = issue(2, "路灯不亮");
    let err = store.report_issue(b.clone(), reported).await.unwrap_err();
    assert_eq!(err, StoreError::AlreadyExists);
    assert!(store.issue(b.id.as_str()).await.unwrap().is_none(), "no half-written issue");
    assert_eq!(store.outbox().await.unwrap().len(), 2, "no orphan outbox entry");
    assert!(!err.message(wangge::i18n::Lang::Zh).is_empty());
}

#[wasm_bindgen_test]
async fn data_survives_closing_and_reopening() {
    let name = fresh_name();
    let store = Store::open_named(&name).await.unwrap();
    let (a, reported) = issue(3, "树枝遮挡采光");
    store.report_issue(a.clone(), reported).await.unwrap();
    store.close();

    let again = Store::open_named(&name).await.unwrap();
    assert_eq!(again.issue(a.id.as_str()).await.unwrap().unwrap().issue, a);
    assert_eq!(again.outbox().await.unwrap().len(), 2);
}

#[wasm_bindgen_test]
async fn an_upgrade_from_version_1_keeps_data_and_adds_search() {
    let name = fresh_name();
    let v1 = Store::open_at_version(&name, 1).await.unwrap();
    assert_eq!(v1.version(), 1);
    let (a, reported) = issue(4, "小区道路积水");
    v1.close();
    legacy::report_issue_before_v9(&name, 1, &a, &reported).await;

    let v2 = Store::open_named(&name).await.unwrap();
    assert_eq!(v2.version(), wangge::store::DB_VERSION);
    assert_eq!(v2.issue(a.id.as_str()).await.unwrap().unwrap().issue, a, "data kept");
    assert_eq!(v2.outbox().await.unwrap().len(), 2, "outbox kept");
    let found = v2.issues_by_title_prefix("小区", 10).await.unwrap();
    assert_eq!(found.len(), 1, "the new index covers records written before the upgrade");
}

#[wasm_bindgen_test]
async fn appending_an_event_rederives_the_state_and_the_index() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let (a, reported) = issue(5, "欠薪纠纷");
    store.report_issue(a.clone(), reported).await.unwrap();
    let row = store.append_event(event(&a.id, 6, EventKind::Accepted)).await.unwrap();
    assert_eq!(row.status, "accepted");
    let accepted = store.issues_by_grid_status("G-JICHI-1", "accepted").await.unwrap();
    assert_eq!(accepted.len(), 1);
    assert!(store.issues_by_grid_status("G-JICHI-1", "reported").await.unwrap().is_empty());
    assert_eq!(store.events_of(a.id.as_str()).await.unwrap().len(), 2);
    assert_eq!(store.outbox().await.unwrap().len(), 3);
}

#[wasm_bindgen_test]
async fn households_are_found_by_tag_and_name_prefix() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let h: Household = serde_json::from_value(serde_json::json!({
        "id": "H-1", "grid": "G-JICHI-1", "address": "齐驰社区3栋2单元501",
        "member:m1": {"name": "王秀英", "gender": "female", "birth_year": 1941,
                      "phone": null, "relation": "head"},
        "tags": ["living_alone_elderly"]
    }))
    .expect("a household in the core's JSON shape");
    store.add_household(h.clone()).await.unwrap();
    let by_tag = store.households_by_tag(HouseholdTag::LivingAloneElderly.code()).await.unwrap();
    assert_eq!(by_tag.len(), 1);
    assert_eq!(by_tag[0].household, h);
    assert_eq!(store.households_by_name_prefix("王", 10).await.unwrap().len(), 1);
    assert!(store.households_by_name_prefix("李", 10).await.unwrap().is_empty());
}
