//! Mediation cases on the phone in real headless Chromium: a case opened from a 矛盾纠纷
//! issue writes the record and its outbox entry in one transaction, and the issue's case
//! lookup (`by_issue`) finds it; a session and a term each write only their own keyed
//! field; a term kept before the agreement is refused with the core's reason and writes
//! nothing; the mediator's reminders are read from the store.

use serde_json::{json, Value};
use wangge::store::{CaseError, Fields, Store};
use wangge_core::mediation::{Case, CaseEntries, MediationError, Term};
use wangge_core::sync::{Collection, Op};
use wangge_core::{DataSet, EntryId, PersonId};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const DAY: i64 = 86_400_000;
const NOW: i64 = 1_795_000_000_000;

async fn seeded() -> Store {
    let name = format!("wangge-mediation-{}", js_sys::Math::random());
    let store = Store::open_named(&name).await.unwrap();
    let grids = serde_json::from_value(json!([
        {"id": "C1", "name": "齐驰社区", "level": "community", "parent": null},
        {"id": "G1", "name": "第一网格", "level": "group", "parent": "C1"}]))
    .unwrap();
    store.load_snapshot(&DataSet { grids, ..DataSet::default() }).await.unwrap();
    store
}

/// A wage case opened from issue `I-1`, with two parties and no sessions yet.
fn case() -> Case {
    serde_json::from_value(json!({"id": "K-1", "grid": "G1", "title": "三名工人讨要拖欠工资", "dispute": "wage",
        "facts": "工程完工后工资未结清", "accepted_at": NOW - 10 * DAY, "recorder": "P-W", "mediators": ["P-W"],
        "issue": "I-1",
        "party:A": {"name": "王师傅", "side": "applicant", "phone": "13800138000", "id_last4": "123X"},
        "party:B": {"name": "某建筑公司", "side": "respondent"}}))
    .unwrap()
}

fn one(field: &str, value: Value) -> Fields {
    Fields::from_iter([(field.to_string(), value)])
}

fn term(due: i64) -> Value {
    json!({"position": 1, "what": "支付拖欠工资", "amount_fen": 3_200_000, "due": due, "from": "B", "to": "A"})
}

#[wasm_bindgen_test]
async fn a_case_from_an_issue_is_written_with_its_outbox_entry_and_found_by_the_issue() {
    let store = seeded().await;
    let before = store.outbox().await.unwrap().len();
    let c = case();
    store.open_case(&c).await.unwrap();
    let (stored, bases) = store.case_with_bases("K-1").await.unwrap().unwrap();
    assert_eq!(stored, c);
    assert!(bases.is_empty(), "never pulled");
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), before + 1);
    let Op::Put { collection, id, fields } = &outbox.last().unwrap().op else { panic!("a put") };
    assert_eq!((*collection, id.as_str()), (Collection::Mediations, "K-1"));
    assert!(fields.values().all(|f| f.base == 0));
    assert!(fields.contains_key("party:A") && fields.contains_key("issue"));
    assert_eq!(store.case_of_issue("I-1").await.unwrap(), Some(c.clone()));
    assert_eq!(store.case_of_issue("I-2").await.unwrap(), None);
    assert_eq!(store.cases().await.unwrap(), vec![c.clone()]);
    assert_eq!(store.open_case(&c).await, Err(CaseError::Store(wangge::store::StoreError::AlreadyExists)));
}

#[wasm_bindgen_test]
async fn a_session_and_a_term_write_only_their_own_fields() {
    let store = seeded().await;
    store.open_case(&case()).await.unwrap();
    let id = case().id;
    let session = json!({"at": NOW - 5 * DAY, "mode": "separate", "stage": "listen", "met": ["A"], "by": "P-W"});
    assert!(store.edit_case(&id, one("session:S1", session.clone()), None).await.unwrap());
    assert!(store.edit_case(&id, one("term:T1", term(NOW + 20 * DAY)), None).await.unwrap());
    let outbox = store.outbox().await.unwrap();
    let puts: Vec<Vec<String>> = outbox[outbox.len() - 2..]
        .iter()
        .map(|m| match &m.op {
            Op::Put { fields, .. } => fields.keys().cloned().collect(),
            other => panic!("a put, not {other:?}"),
        })
        .collect();
    assert_eq!(puts, vec![vec!["session:S1".to_string()], vec!["term:T1".to_string()]]);
    let (stored, _) = store.case_with_bases("K-1").await.unwrap().unwrap();
    assert_eq!(stored.entries.sessions.len(), 1);
    assert_eq!(stored.total_fen(), 3_200_000);
    // The same value again queues nothing.
    assert!(!store.edit_case(&id, one("term:T1", term(NOW + 20 * DAY)), None).await.unwrap());
}

#[wasm_bindgen_test]
async fn a_term_kept_before_the_agreement_is_refused_and_nothing_is_written() {
    let store = seeded().await;
    store.open_case(&case()).await.unwrap();
    let id = case().id;
    store.edit_case(&id, one("term:T1", term(NOW + 20 * DAY)), None).await.unwrap();
    let before = store.outbox().await.unwrap().len();
    let mut kept: Term = serde_json::from_value(term(NOW + 20 * DAY)).unwrap();
    kept.kept = serde_json::from_value(json!({"how": "full", "at": NOW, "by": "P-W"})).unwrap();
    let changes = one(&CaseEntries::term_field(&EntryId::parse("T1").unwrap()), serde_json::to_value(&kept).unwrap());
    let refused = store.edit_case(&id, changes, None).await;
    let want = MediationError::TermKeptBeforeAgreement { term: EntryId::parse("T1").unwrap() };
    assert_eq!(refused, Err(CaseError::Refused(want.clone())));
    assert_eq!(refused.unwrap_err().message(wangge::i18n::Lang::Zh), want.message_zh());
    assert_eq!(store.outbox().await.unwrap().len(), before);
    let (stored, _) = store.case_with_bases("K-1").await.unwrap().unwrap();
    assert!(stored.entries.terms.values().all(|t| t.kept.is_none()));
}

#[wasm_bindgen_test]
async fn the_mediators_reminders_are_read_from_the_store() {
    let store = seeded().await;
    store.open_case(&case()).await.unwrap();
    let id = case().id;
    let me = PersonId::parse("P-W").unwrap();
    store.edit_case(&id, one("term:T1", term(NOW - 3 * DAY)), None).await.unwrap();
    assert!(store.mediation_reminders(&me, NOW).await.unwrap().is_empty(), "no agreement signed yet");
    let signed = json!({"kind": "agreement", "at": NOW - 10 * DAY, "by": "P-W"});
    store.edit_case(&id, one("outcome", signed), None).await.unwrap();
    let found = store.mediation_reminders(&me, NOW).await.unwrap();
    assert_eq!(found.len(), 1);
    let (reminder, c) = &found[0];
    assert_eq!((reminder.term.as_str(), c.id.as_str()), ("T1", "K-1"));
    assert_eq!(reminder.status, wangge_core::mediation::TermStatus::Overdue);
    let other = PersonId::parse("P-X").unwrap();
    assert!(store.mediation_reminders(&other, NOW).await.unwrap().is_empty());
}
