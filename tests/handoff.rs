//! Hand-offs to units (交办) on the phone, in real headless Chromium: a hand-over and its
//! note are written in one transaction with their outbox entries and the derived state;
//! the unit's contact, known from the units on the phone, is offered the unit's answers;
//! a unit added and edited offline is written with its outbox entries; a meeting pulled
//! to the phone names the steps decided at it.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use wangge::pages::issues::detail::actor;
use wangge::pages::roster::unit_draft::unit_changes;
use wangge::pages::today_handed::handed_to;
use wangge::session::{Session, User};
use wangge::store::Store;
use wangge_core::issue::{allowed_actions, Action, Category, EventKind, Issue, IssueEvent, Priority, Source, Status};
use wangge_core::meeting::MeetingKind;
use wangge_core::people::Role;
use wangge_core::sync::{Change, Collection, Op, PullRequest, PullResponse, VersionedValue};
use wangge_core::unit::{Unit, UnitKind};
use wangge_core::{
    Address, CommentText, Description, GridId, IssueId, IssueTitle, PersonId, PersonName, UnitId, UnitName,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_795_000_000_000;
const DAY: i64 = 86_400_000;

fn fresh_name() -> String {
    format!("wangge-handoff-{}", js_sys::Math::random())
}

fn pid(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

fn issue(id: &str) -> Issue {
    Issue {
        id: IssueId::parse(id).unwrap(),
        title: IssueTitle::parse("人行道破损").unwrap(),
        description: Description::parse("").unwrap(),
        category: Category::ALL[0],
        source: Source::Visit,
        grid: GridId::parse("G-1").unwrap(),
        household: None,
        unit: None,
        location: None,
        reporter: pid("P-WORKER"),
        priority: Priority::ALL[0],
        due_at: None,
        created_at: NOW,
    }
}

fn event(issue: &str, n: i64, by: &str, role: Role, kind: EventKind) -> IssueEvent {
    IssueEvent::new(IssueId::parse(issue).unwrap(), NOW + n, pid(by), role, kind, [n as u8; 10])
}

fn department(contact: Option<&str>) -> Unit {
    Unit {
        id: UnitId::parse("U-CHENGGUAN").unwrap(),
        grid: GridId::parse("G-DISTRICT").unwrap(),
        name: UnitName::parse("区城管局").unwrap(),
        kind: UnitKind::Department,
        address: Address::parse("人民路1号").unwrap(),
        contact: Some(PersonName::parse("王强").unwrap()),
        phone: None,
        contact_person: contact.map(pid),
    }
}

fn session(person: &str, roles: Vec<Role>) -> Session {
    Session {
        username: person.into(),
        device_id: "D".into(),
        token: "T".into(),
        user: User { person_id: pid(person), name: person.into(), roles, home_grid: GridId::parse("G-1").unwrap() },
        expired: false,
    }
}

/// The secretary hands the issue over with a note: both steps, and their outbox entries,
/// land together, and the phone's row carries the hand-off.
async fn handed_store() -> Store {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    store.add_unit(department(Some("P-WANG"))).await.unwrap();
    let reported = event("I-1", 0, "P-WORKER", Role::GridWorker, EventKind::Reported);
    store.report_issue(issue("I-1"), reported).await.unwrap();
    let unit = UnitId::parse("U-CHENGGUAN").unwrap();
    let steps = vec![
        event("I-1", 10, "P-SEC", Role::CommunitySecretary, EventKind::HandedOver { unit, due: Some(NOW + 7 * DAY) }),
        event(
            "I-1",
            11,
            "P-SEC",
            Role::CommunitySecretary,
            EventKind::Commented { text: CommentText::parse("请一周内修复").unwrap() },
        ),
    ];
    store.append_events(steps).await.unwrap();
    store
}

#[wasm_bindgen_test]
async fn a_hand_over_and_its_note_are_written_with_their_outbox_entries_and_the_derived_state() {
    let store = handed_store().await;
    let outbox = store.outbox().await.unwrap();
    // The unit's put, the report's put and first event, then the two steps in order.
    let kinds: Vec<String> = outbox
        .iter()
        .filter_map(|m| match &m.op {
            Op::AppendEvent { event } => Some(event.kind.action().code().to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(kinds, ["report", "hand_over", "comment"]);
    let seqs: Vec<u64> = outbox.iter().map(|m| m.seq).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    let open = store.open_issues().await.unwrap();
    let row = open.iter().find(|r| r.id == "I-1").unwrap();
    assert_eq!(row.state.status, Status::InProgress);
    assert_eq!(row.state.handed_to().map(|u| u.as_str()), Some("U-CHENGGUAN"));
    assert_eq!(row.state.handoff.as_ref().and_then(|h| h.due), Some(NOW + 7 * DAY));
    // Steps of two issues in one save are refused, and nothing is written.
    let mixed = vec![
        event("I-1", 20, "P-SEC", Role::CommunitySecretary, EventKind::Accepted),
        event("I-2", 21, "P-SEC", Role::CommunitySecretary, EventKind::Accepted),
    ];
    assert!(store.append_events(mixed).await.is_err());
    assert_eq!(store.outbox().await.unwrap().len(), outbox.len());
}

#[wasm_bindgen_test]
async fn the_units_contact_is_offered_the_units_answers_and_sees_the_issue_on_today() {
    let store = handed_store().await;
    let units = store.my_units(&pid("P-WANG")).await.unwrap();
    assert_eq!(units, [UnitId::parse("U-CHENGGUAN").unwrap()]);
    let open = store.open_issues().await.unwrap();
    let row = open.iter().find(|r| r.id == "I-1").unwrap();

    let wang = session("P-WANG", vec![Role::UnitContact]);
    let me = actor(&wang, &row.state, &units);
    assert_eq!(me.role, Role::UnitContact);
    let offered = allowed_actions(&me, &row.issue, &row.state, NOW);
    for a in [Action::ReplyHandoff, Action::RefuseHandoff, Action::Resolve] {
        assert!(offered.contains(&a), "{a:?} in {offered:?}");
    }
    // Without the unit on the phone, the same account is offered none of the unit's answers.
    let without = allowed_actions(&actor(&wang, &row.state, &[]), &row.issue, &row.state, NOW);
    for a in [Action::ReplyHandoff, Action::RefuseHandoff, Action::Resolve] {
        assert!(!without.contains(&a), "{a:?} in {without:?}");
    }
    // Somebody else's contact is not offered the answers either.
    let other = store.my_units(&pid("P-OTHER")).await.unwrap();
    assert!(other.is_empty());

    // Today: handed to my unit; an overdue one comes first.
    let mut late = row.clone();
    late.id = "I-LATE".into();
    if let Some(h) = late.state.handoff.as_mut() {
        h.due = Some(NOW - DAY);
    }
    let list = handed_to(&[row.clone(), late], &units, NOW);
    let ids: Vec<&str> = list.iter().map(|h| h.row.id.as_str()).collect();
    assert_eq!(ids, ["I-LATE", "I-1"]);
    assert!(handed_to(std::slice::from_ref(row), &other, NOW).is_empty());
}

#[wasm_bindgen_test]
async fn a_unit_added_and_edited_offline_is_written_with_its_outbox_entries() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    let unit = department(Some("P-WANG"));
    store.add_unit(unit.clone()).await.unwrap();
    // The same id again would overwrite with base-0 writes: refused.
    assert!(store.add_unit(unit.clone()).await.is_err());
    let (on_phone, bases) = store.unit_with_bases("U-CHENGGUAN").await.unwrap().unwrap();
    assert_eq!(on_phone, unit);
    assert!(bases.is_empty());

    let mut edited = unit.clone();
    edited.contact_person = None;
    edited.address = Address::parse("人民路2号").unwrap();
    let changes = unit_changes(&unit, &edited);
    assert!(store.edit_seen(Collection::Units, "U-CHENGGUAN", changes, Some(&bases)).await.unwrap());
    let (now_on_phone, _) = store.unit_with_bases("U-CHENGGUAN").await.unwrap().unwrap();
    assert_eq!(now_on_phone, edited);
    assert!(store.my_units(&pid("P-WANG")).await.unwrap().is_empty());

    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 2);
    let Op::Put { collection, fields, .. } = &outbox[0].op else { panic!("a put") };
    assert_eq!(*collection, Collection::Units);
    assert!(fields.values().all(|w| w.base == 0));
    assert_eq!(fields["contact_person"].value, Value::from("P-WANG"));
    let Op::Put { fields, .. } = &outbox[1].op else { panic!("a put") };
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(names, ["address", "contact_person"]);
    assert_eq!(fields["contact_person"].value, Value::Null);
}

#[wasm_bindgen_test]
async fn a_meeting_on_the_phone_names_the_steps_decided_at_it() {
    let store = Store::open_named(&fresh_name()).await.unwrap();
    store.adopt_device("dev-1", "P-SEC").await.unwrap();
    let held_at = NOW - 3 * DAY;
    let meeting = json!({
        "id": "M-1", "kind": "joint_meeting", "grid": "G-1", "held_at": held_at,
        "place": "社区会议室", "recorder": "P-SEC", "closed": false
    });
    let Value::Object(map) = meeting else { unreachable!() };
    let fields: BTreeMap<String, VersionedValue> =
        map.into_iter().map(|(k, v)| (k, VersionedValue::new(v, 3))).collect();
    let pulled = PullResponse {
        changes: vec![Change::Upsert { collection: Collection::Meetings, id: "M-1".into(), version: 3, fields }],
        cursor: 3,
        has_more: false,
        epoch: "E1".into(),
    };
    store.apply_pull(&PullRequest { cursor: 0, limit: 100 }, &pulled).await.unwrap();
    let heads = store.meeting_heads(&["M-1".to_string(), "M-GONE".to_string()]).await.unwrap();
    assert_eq!(heads.len(), 1, "a meeting not on the phone is simply absent");
    assert_eq!(heads["M-1"], (MeetingKind::JointMeeting, held_at));
    let day = wangge_core::Date::of_millis(held_at).to_string();
    assert_eq!(
        wangge::i18n::handoff::decided_at(&day, MeetingKind::JointMeeting, wangge::i18n::Lang::Zh),
        format!("（{day} 联席会议研判）")
    );
}
