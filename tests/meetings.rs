//! Meetings on the phone in real headless Chromium: opening one writes the record with its
//! outbox entry; a decision writes the meeting's `item:<issue>` field and the issue's
//! events (each naming the meeting) in one transaction — both there after a reopen — and a
//! refused decision writes neither; the agenda drawn is the core's order; an on-site
//! office item's photos are saved with the item and wait for upload.

use serde_json::json;
use wangge::store::{DecideError, PhotoBytes, Store};
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{Actor, EventKind, Issue, IssueEvent};
use wangge_core::meeting::{AgendaItem, Decision, DecisionError, Entries, ItemSource, Meeting, Outcome};
use wangge_core::people::Role;
use wangge_core::sync::{Collection, Op};
use wangge_core::DataSet;
use wangge_core::{CommentText, GridId, IssueId, MeetingId, PersonId, Reason, UnitId};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const DAY: i64 = 86_400_000;
const NOW: i64 = 1_795_000_000_000;

fn pid(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

fn iid(s: &str) -> IssueId {
    IssueId::parse(s).unwrap()
}

fn issue(id: &str, grid: &str, title: &str) -> Issue {
    serde_json::from_value(json!({"id": id, "title": title, "description": "", "category": "environment",
        "source": "visit", "grid": grid, "household": null, "unit": null, "location": null,
        "reporter": "P-W", "priority": "normal", "due_at": null, "created_at": NOW - 30 * DAY}))
    .unwrap()
}

fn event(issue: &str, at: i64, role: Role, kind: EventKind) -> IssueEvent {
    IssueEvent::new(iid(issue), at, pid("P-W"), role, kind, random())
}

/// A community with one grid under it, and four issues: `I-A` came to the community a day
/// ago, `I-B` ten days ago (overdue), `I-C` two days ago and is supervised (督办), `I-D`
/// still sits at the grid.
async fn seeded() -> Store {
    seeded_named(&fresh_name()).await
}

fn fresh_name() -> String {
    format!("wangge-meetings-{}", js_sys::Math::random())
}

async fn seeded_named(name: &str) -> Store {
    let store = Store::open_named(name).await.unwrap();
    let grids = serde_json::from_value(json!([
        {"id": "C1", "name": "齐驰社区", "level": "community", "parent": null},
        {"id": "G1", "name": "第一网格", "level": "group", "parent": "C1"}]))
    .unwrap();
    store.load_snapshot(&DataSet { grids, ..DataSet::default() }).await.unwrap();
    let to = EscalationLevel::Community;
    for (id, title, came) in
        [("I-A", "路灯不亮", 1), ("I-B", "楼道堆物", 10), ("I-C", "化粪池外溢", 2), ("I-D", "树枝遮挡", 0)]
    {
        let at = NOW - 20 * DAY;
        store.report_issue(issue(id, "G1", title), event(id, at, Role::GridWorker, EventKind::Reported)).await.unwrap();
        if id != "I-D" {
            let reason = Reason::parse("需要社区协调").unwrap();
            let up = EventKind::Escalated { to, reason };
            store.append_event(event(id, NOW - came * DAY, Role::GridWorker, up)).await.unwrap();
        }
    }
    let note = CommentText::parse("请尽快办理").unwrap();
    store.append_event(event("I-C", NOW - DAY, Role::TownStaff, EventKind::Supervised { note })).await.unwrap();
    store
}

fn meeting(items: &[IssueId]) -> Meeting {
    let mut m: Meeting = serde_json::from_value(json!({"id": "M-1", "kind": "joint_meeting", "grid": "C1",
        "held_at": NOW, "place": "齐驰社区党群服务中心", "host": "P-FS", "recorder": "P-SEC",
        "attendee:P-FS": "present", "attendee:P-POL": "excused"}))
    .unwrap();
    for (n, id) in items.iter().enumerate() {
        let item = AgendaItem {
            position: n as u32 + 1,
            source: ItemSource::IssueList,
            decision: None,
            removed: false,
            photos: Vec::new(),
        };
        m.entries.items.insert(id.clone(), item);
    }
    m
}

fn secretary() -> Actor {
    Actor::new(pid("P-SEC"), &[Role::CommunitySecretary], Role::CommunitySecretary)
}

fn decision(outcome: Outcome) -> Decision {
    Decision { outcome, person: None, unit: None, due: None, note: None, by: pid("P-SEC"), at: NOW + 5 }
}

fn random() -> [u8; 10] {
    std::array::from_fn(|_| (js_sys::Math::random() * 256.0) as u8)
}

#[wasm_bindgen_test]
async fn the_agenda_is_the_cores_order_supervised_then_overdue_then_oldest() {
    let store = seeded().await;
    let drawn = store.draw_agenda(&GridId::parse("C1").unwrap(), NOW).await.unwrap();
    assert_eq!(drawn, vec![iid("I-C"), iid("I-B"), iid("I-A")], "I-D is still at the grid");
}

#[wasm_bindgen_test]
async fn opening_a_meeting_writes_the_record_and_its_outbox_entry() {
    let store = seeded().await;
    let before = store.outbox().await.unwrap().len();
    let m = meeting(&[iid("I-C"), iid("I-B")]);
    store.open_meeting(&m).await.unwrap();
    let (stored, bases) = store.meeting_with_bases("M-1").await.unwrap().unwrap();
    assert_eq!(stored, m);
    assert!(bases.is_empty(), "never pulled");
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), before + 1);
    let Op::Put { collection, id, fields } = &outbox.last().unwrap().op else { panic!("a put") };
    assert_eq!((*collection, id.as_str()), (Collection::Meetings, "M-1"));
    assert!(fields.values().all(|f| f.base == 0));
    assert_eq!(fields["attendee:P-FS"].value, json!("present"));
    assert!(fields.contains_key("item:I-C"));
    assert_eq!(store.meetings().await.unwrap(), vec![m.clone()]);
    assert_eq!(store.open_meeting(&m).await, Err(wangge::store::StoreError::AlreadyExists));
}

#[wasm_bindgen_test]
async fn a_decision_writes_the_item_and_the_issues_events_together_or_nothing() {
    let name = fresh_name();
    let store = seeded_named(&name).await;
    let m = meeting(&[iid("I-A"), iid("I-B")]);
    store.open_meeting(&m).await.unwrap();
    let mid = MeetingId::parse("M-1").unwrap();
    let outbox_before = store.outbox().await.unwrap().len();
    let events_before = store.events_of("I-B").await.unwrap().len();

    // Escalating without a reason: refused by the core, nothing written.
    let refused = store.decide_item(&mid, &iid("I-B"), decision(Outcome::Escalate), &secretary(), None, random).await;
    assert_eq!(refused, Err(DecideError::Refused(DecisionError::NoReason(Outcome::Escalate))));
    assert_eq!(store.outbox().await.unwrap().len(), outbox_before);
    assert_eq!(store.events_of("I-B").await.unwrap().len(), events_before);
    let (after, _) = store.meeting_with_bases("M-1").await.unwrap().unwrap();
    assert_eq!(after.decided(), 0);

    // Handed to a unit: the item and the HandedOver step, both naming the meeting.
    let mut hand = decision(Outcome::HandToUnit);
    hand.unit = Some(UnitId::parse("U-1").unwrap());
    hand.due = Some(NOW + 7 * DAY);
    let written = store.decide_item(&mid, &iid("I-B"), hand.clone(), &secretary(), None, random).await.unwrap();
    assert_eq!(written.len(), 1);
    assert!(matches!(written[0].kind, EventKind::HandedOver { .. }));
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), outbox_before + 2, "the event and the item field");
    let Op::AppendEvent { event } = &outbox[outbox_before].op else { panic!("the event first") };
    assert_eq!(event.meeting.as_ref(), Some(&mid));
    let Op::Put { fields, .. } = &outbox[outbox_before + 1].op else { panic!("then the item") };
    assert_eq!(fields.keys().collect::<Vec<_>>(), vec![&Entries::item_field(&iid("I-B"))]);

    // A second decision on the same item is refused: decisions are made once.
    let again = store.decide_item(&mid, &iid("I-B"), decision(Outcome::Hold), &secretary(), None, random).await;
    assert_eq!(again, Err(DecideError::AlreadyDecided));

    // Both are there after the phone reopens its database.
    let reopened = {
        store.close();
        Store::open_named(&name)
    }
    .await
    .unwrap();
    let (m2, _) = reopened.meeting_with_bases("M-1").await.unwrap().unwrap();
    assert_eq!(m2.entries.items[&iid("I-B")].decision, Some(hand));
    let history = reopened.events_of("I-B").await.unwrap();
    assert_eq!(history.len(), events_before + 1);
    assert_eq!(history.last().unwrap().meeting.as_ref(), Some(&mid));
    let row = reopened.issue("I-B").await.unwrap().unwrap();
    assert_eq!(row.state.handed_to().map(|u| u.as_str()), Some("U-1"), "the derived state moved too");
}

#[wasm_bindgen_test]
async fn closed_minutes_take_no_decision() {
    let store = seeded().await;
    store.open_meeting(&meeting(&[iid("I-A")])).await.unwrap();
    let mid = MeetingId::parse("M-1").unwrap();
    let close = serde_json::Map::from_iter([("closed".to_string(), json!(true))]);
    assert!(store.edit_meeting(&mid, close, None).await.unwrap());
    let out = store.decide_item(&mid, &iid("I-A"), decision(Outcome::Community), &secretary(), None, random).await;
    assert_eq!(out, Err(DecideError::Closed));
}

#[wasm_bindgen_test]
async fn an_item_taken_off_the_agenda_leaves_it_and_takes_no_decision() {
    let store = seeded().await;
    store.open_meeting(&meeting(&[iid("I-A"), iid("I-B")])).await.unwrap();
    let mid = MeetingId::parse("M-1").unwrap();
    let off = json!({"position": 2, "source": "issue_list", "removed": true});
    let change = serde_json::Map::from_iter([("item:I-B".to_string(), off)]);
    assert!(store.edit_meeting(&mid, change, None).await.unwrap());
    let m = store.meetings().await.unwrap().into_iter().find(|m| m.id == mid).unwrap();
    let agenda: Vec<&str> = m.items_in_order().iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(agenda, ["I-A"]);
    let out = store.decide_item(&mid, &iid("I-B"), decision(Outcome::Community), &secretary(), None, random).await;
    assert!(matches!(out, Err(DecideError::Store(_))), "not on the agenda: {out:?}");
    assert!(store.issue("I-B").await.unwrap().unwrap().state.handoff.is_none());
}

#[wasm_bindgen_test]
async fn an_on_site_office_item_saved_with_a_photo_keeps_it_after_reopening_and_it_waits_for_upload() {
    use wangge_core::meeting::MeetingKind;
    use wangge_core::photo::{PhotoHash, PhotoRef, PhotoStage};
    let name = fresh_name();
    let store = seeded_named(&name).await;
    let mut m = meeting(&[iid("I-A"), iid("I-B")]);
    m.kind = MeetingKind::OnSiteOffice;
    store.open_meeting(&m).await.unwrap();
    let blob = |s: &str| {
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(s));
        web_sys::Blob::new_with_str_sequence(&parts).unwrap()
    };
    let (full, thumb) = (blob("楼道堆物"), blob("楼道堆物-thumb"));
    let hash_of = wangge::photos::js::hash_of;
    let (h, t) = (hash_of(&full).await.unwrap(), hash_of(&thumb).await.unwrap());
    let r = PhotoRef {
        hash: PhotoHash::parse(&h).unwrap(),
        thumb: PhotoHash::parse(&t).unwrap(),
        stage: PhotoStage::Scene,
        taken_at: NOW,
    };
    let bytes = [PhotoBytes { hash: h, blob: full, thumb: false }, PhotoBytes { hash: t, blob: thumb, thumb: true }];
    let mid = MeetingId::parse("M-1").unwrap();
    let outbox_before = store.outbox().await.unwrap().len();
    assert!(store.add_item_photos(&mid, &iid("I-B"), vec![r.clone()], &bytes).await.unwrap());
    store.close();

    let again = Store::open_named(&name).await.unwrap();
    let (stored, _) = again.meeting_with_bases("M-1").await.unwrap().unwrap();
    assert_eq!(stored.entries.items[&iid("I-B")].photos, vec![r.clone()], "the item keeps its photo");
    assert!(stored.entries.items[&iid("I-A")].photos.is_empty());
    let outbox = again.outbox().await.unwrap();
    assert_eq!(outbox.len(), outbox_before + 1);
    let Op::Put { fields, .. } = &outbox.last().unwrap().op else { panic!("a put") };
    assert_eq!(fields.keys().collect::<Vec<_>>(), ["item:I-B"], "only the item travels");
    let pending: Vec<String> = again.pending_photos().await.unwrap().into_iter().map(|(h, _)| h).collect();
    assert!(pending.contains(&r.hash.to_string()) && pending.contains(&r.thumb.to_string()), "waits for upload");

    // A tenth photo on the item is refused, and nothing more is written.
    let nine = vec![r.clone(); 9];
    assert!(again.add_item_photos(&mid, &iid("I-B"), nine, &[]).await.is_err());
    assert_eq!(again.outbox().await.unwrap().len(), outbox_before + 1);
}
