//! The joint committee's hand-offs (交办) and meetings, as the server scopes them: a
//! unit's contact sees and acts on exactly the issues handed to their unit — nobody
//! else's — and meetings are recorded by community staff only.
//!
//! Beside the test world (`world.rs`): two district departments at the district's root
//! grid, 城管 (`unit-cg`) and 住建 (`unit-zj`), each with a contact account that is only a
//! unit contact, and a school in the community with no contact yet.

use std::sync::atomic::{AtomicU32, Ordering};

use serde_json::{json, Value};
use wangge_core::people::Role;
use wangge_core::sync::{Change, MutationStatus, PushResponse};
use wangge_core::unit::Unit;
use wangge_core::{GridId, PersonId};
use wangge_server::account::NewUser;
use wangge_server::db::Dataset;

use crate::helpers::{events, password_hash, spawn_world, upserted, TestApp};
use crate::world::{
    append, delete, event_json, household_json, put, put_fields, t0, COMMUNITY, DISTRICT, GROUP_A, ISSUE_A, ISSUE_B,
    PASSWORD,
};

const CG: &str = "unit-cg";
const ZJ: &str = "unit-zj";
const SCHOOL: &str = "unit-school";

fn unit_json(id: &str, grid: &str, kind: &str, contact: Option<&str>) -> Value {
    json!({"id": id, "grid": grid, "name": format!("测试{id}"), "kind": kind, "address": "綦江区文龙街道1号",
           "contact": null, "phone": null, "contact_person": contact})
}

async fn spawn_committee() -> TestApp {
    let app = spawn_world().await;
    let db = app.db();
    let unit = |v: Value| serde_json::from_value::<Unit>(v).unwrap();
    let units = vec![
        unit(unit_json(CG, DISTRICT, "department", Some("p-contact-cg"))),
        unit(unit_json(ZJ, DISTRICT, "department", Some("p-contact-zj"))),
        unit(unit_json(SCHOOL, COMMUNITY, "school", None)),
    ];
    db.load_dataset(&Dataset { units, ..Dataset::default() }).expect("load the units");
    for (username, person, grid) in [
        ("contact_cg", "p-contact-cg", DISTRICT),
        ("contact_zj", "p-contact-zj", DISTRICT),
        ("contact_school", "p-contact-school", COMMUNITY),
    ] {
        let user = NewUser {
            username: username.into(),
            password: PASSWORD.into(),
            person_id: PersonId::parse(person).unwrap(),
            name: format!("测试{username}"),
            roles: vec![Role::UnitContact],
            home_grid: GridId::parse(grid).unwrap(),
        };
        assert!(db.add_user(&user, password_hash()).expect("add user"));
    }
    app
}

/// The person and role each test account acts as.
fn acting(who: &str) -> (&'static str, &'static str) {
    match who {
        "worker_a" => ("p-worker-a", "grid_worker"),
        "worker_b" => ("p-worker-b", "grid_worker"),
        "secretary" => ("p-secretary", "community_secretary"),
        "contact_cg" => ("p-contact-cg", "unit_contact"),
        "contact_zj" => ("p-contact-zj", "unit_contact"),
        "contact_school" => ("p-contact-school", "unit_contact"),
        other => panic!("no test account {other}"),
    }
}

/// One event in `who`'s name, as a push of its own.
async fn step(app: &TestApp, who: &str, issue: &str, id: &str, at: i64, kind: Value) -> PushResponse {
    let (person, role) = acting(who);
    one(app, who, append(0, event_json(id, issue, t0() + at, person, role, kind))).await
}

/// Pushes one mutation as `who`, from a phone of its own (so its seq is 1).
async fn one(app: &TestApp, who: &str, mut mutation: Value) -> PushResponse {
    static PHONES: AtomicU32 = AtomicU32::new(0);
    let s = app.login(who).await;
    let client = format!("phone-{who}-{}", PHONES.fetch_add(1, Ordering::Relaxed));
    mutation["seq"] = json!(1);
    app.push(&s.token, &client, vec![mutation]).await
}

fn status(res: &PushResponse) -> (MutationStatus, Option<&str>) {
    (res.results[0].status, res.results[0].code.as_deref())
}

const APPLIED: (MutationStatus, Option<&str>) = (MutationStatus::Applied, None);

fn rejected(code: &str) -> (MutationStatus, Option<&str>) {
    (MutationStatus::Rejected, Some(code))
}

fn escalate() -> Value {
    json!({"type": "escalated", "to": "community", "reason": "需要区里的部门协调"})
}

fn hand(unit: &str) -> Value {
    json!({"type": "handed_over", "unit": unit, "due": t0() + 10 * 86_400_000})
}

fn reply() -> Value {
    json!({"type": "handoff_replied", "text": "收到,本周安排施工"})
}

fn sorted(mut v: Vec<&str>) -> Vec<&str> {
    v.sort();
    v
}

/// No household, visit, conflict or other grid's record reached the contact.
fn nothing_of_the_grid(changes: &[Change]) {
    assert!(upserted(changes, "households").is_empty());
    assert!(upserted(changes, "visits").is_empty());
    assert!(upserted(changes, "meetings").is_empty());
    assert!(!changes.iter().any(|c| matches!(c, Change::Conflict { .. })));
}

#[tokio::test]
async fn a_units_contact_sees_and_acts_on_exactly_the_issues_handed_to_their_unit() {
    let app = spawn_committee().await;
    let cg = app.login("contact_cg").await;
    let (before, cursor) = app.pull_all(&cg.token, 0).await;
    assert!(upserted(&before, "issues").is_empty() && events(&before).is_empty(), "nothing handed yet");
    assert_eq!(upserted(&before, "grids"), vec![DISTRICT], "its home path, no subtree");
    assert_eq!(sorted(upserted(&before, "units")), vec![CG, ZJ]);
    nothing_of_the_grid(&before);

    assert_eq!(status(&step(&app, "worker_a", ISSUE_A, "ev-a-2", 10, escalate()).await), APPLIED);
    assert_eq!(status(&step(&app, "worker_b", ISSUE_B, "ev-b-2", 10, escalate()).await), APPLIED);
    assert_eq!(status(&step(&app, "secretary", ISSUE_A, "ev-a-3", 20, hand(CG)).await), APPLIED);
    assert_eq!(status(&step(&app, "secretary", ISSUE_B, "ev-b-3", 20, hand(ZJ)).await), APPLIED);

    // The hand-off came after the contact's last pull, and so did nothing else of the
    // issue: its next pull still brings the issue with its whole history.
    let (after, _) = app.pull_all(&cg.token, cursor).await;
    assert_eq!(upserted(&after, "issues"), vec![ISSUE_A]);
    assert_eq!(sorted(events(&after)), vec!["ev-a-1", "ev-a-2", "ev-a-3"]);
    nothing_of_the_grid(&after);

    assert_eq!(status(&step(&app, "contact_cg", ISSUE_A, "ev-a-4", 30, reply()).await), APPLIED);
    let foreign = step(&app, "contact_cg", ISSUE_B, "ev-b-x", 30, reply()).await;
    assert_eq!(status(&foreign), rejected("unknown_issue"), "another unit's issue is not there for them");
    let done = json!({"type": "resolved", "summary": "人行道已修复"});
    assert_eq!(status(&step(&app, "contact_cg", ISSUE_A, "ev-a-5", 40, done).await), APPLIED);

    // 住建 sends its issue back; from then on it is no longer theirs to answer.
    let back = json!({"type": "handoff_refused", "reason": "不属于住建职责,应由街道处理"});
    assert_eq!(status(&step(&app, "contact_zj", ISSUE_B, "ev-b-4", 30, back).await), APPLIED);
    let late = step(&app, "contact_zj", ISSUE_B, "ev-b-5", 40, reply()).await;
    assert_eq!(status(&late), rejected("step_not_allowed"));

    let (all, _) = app.pull_all(&cg.token, 0).await;
    assert_eq!(upserted(&all, "issues"), vec![ISSUE_A]);
    assert_eq!(sorted(events(&all)), vec!["ev-a-1", "ev-a-2", "ev-a-3", "ev-a-4", "ev-a-5"]);
    nothing_of_the_grid(&all);
    let zj = app.login("contact_zj").await;
    let (theirs, _) = app.pull_all(&zj.token, 0).await;
    assert_eq!(upserted(&theirs, "issues"), vec![ISSUE_B], "a refused hand-off stays in the unit's view");
}

#[tokio::test]
async fn a_new_contact_pulls_what_was_handed_to_their_unit_before() {
    let app = spawn_committee().await;
    let school = app.login("contact_school").await;
    let (before, cursor) = app.pull_all(&school.token, 0).await;
    assert_eq!(sorted(upserted(&before, "units")), vec![CG, SCHOOL, ZJ], "the units at its path");
    assert!(upserted(&before, "issues").is_empty());
    nothing_of_the_grid(&before);

    assert_eq!(status(&step(&app, "worker_a", ISSUE_A, "ev-a-2", 10, escalate()).await), APPLIED);
    assert_eq!(status(&step(&app, "secretary", ISSUE_A, "ev-a-3", 20, hand(SCHOOL)).await), APPLIED);
    let (none, cursor) = app.pull_all(&school.token, cursor).await;
    assert!(upserted(&none, "issues").is_empty(), "not yet the school's contact");
    let early = step(&app, "contact_school", ISSUE_A, "ev-a-x", 25, reply()).await;
    assert_eq!(status(&early), rejected("unknown_issue"));

    let named =
        put_fields(0, "units", SCHOOL, json!({"contact_person": {"value": "p-contact-school", "base": 1_000_000}}));
    assert_eq!(status(&one(&app, "secretary", named).await), APPLIED);
    let (now, _) = app.pull_all(&school.token, cursor).await;
    assert_eq!(upserted(&now, "issues"), vec![ISSUE_A]);
    assert_eq!(sorted(events(&now)), vec!["ev-a-1", "ev-a-2", "ev-a-3"]);
    assert_eq!(status(&step(&app, "contact_school", ISSUE_A, "ev-a-4", 30, reply()).await), APPLIED);

    // The school's contact moves on: 城管's contact answers for it too from now on.
    let (_, cursor) = app.pull_all(&school.token, 0).await;
    let cg = app.login("contact_cg").await;
    let (_, cursor_cg) = app.pull_all(&cg.token, 0).await;
    let renamed =
        put_fields(0, "units", SCHOOL, json!({"contact_person": {"value": "p-contact-cg", "base": 1_000_000}}));
    assert_eq!(status(&one(&app, "secretary", renamed).await), APPLIED);
    let (gone, _) = app.pull_all(&school.token, cursor).await;
    let evicted: Vec<&str> = gone
        .iter()
        .filter_map(|c| match c {
            Change::Evict { id, .. } => Some(id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(evicted, vec![ISSUE_A], "the issue leaves; the school, at its own grid, stays");
    let (came, _) = app.pull_all(&cg.token, cursor_cg).await;
    assert_eq!(upserted(&came, "issues"), vec![ISSUE_A]);
    assert_eq!(upserted(&came, "units"), vec![SCHOOL], "its new unit, though below its grid");
    assert_eq!(events(&came).len(), 4);
    let stale = step(&app, "contact_school", ISSUE_A, "ev-a-5", 40, reply()).await;
    assert_eq!(status(&stale), rejected("unknown_issue"));
}

#[tokio::test]
async fn staff_and_workers_pull_the_district_departments_and_may_name_them() {
    let app = spawn_committee().await;
    for user in ["secretary", "worker_a"] {
        let s = app.login(user).await;
        let (changes, _) = app.pull_all(&s.token, 0).await;
        assert_eq!(sorted(upserted(&changes, "units")), vec![CG, SCHOOL, ZJ], "{user}");
    }
    // An issue about a department, a unit whose contact works at the district.
    let about = put_fields(0, "issues", ISSUE_A, json!({"unit": {"value": CG, "base": 1_000_000}}));
    assert_eq!(status(&one(&app, "worker_a", about).await), APPLIED);
    let shop = put(0, "units", &unit_json("unit-shop", COMMUNITY, "shop", Some("p-contact-cg")), 0);
    assert_eq!(status(&one(&app, "secretary", shop).await), APPLIED);
    let ghost = put(0, "units", &unit_json("unit-ghost", COMMUNITY, "shop", Some("p-nobody")), 0);
    assert_eq!(status(&one(&app, "secretary", ghost).await), rejected("unknown_person"));
    // A department the worker cannot name is not one to hand to.
    let nowhere = step(&app, "worker_a", ISSUE_A, "ev-a-2", 10, hand("unit-nowhere")).await;
    assert_eq!(status(&nowhere), rejected("unknown_unit"));
}

#[tokio::test]
async fn a_unit_moving_down_the_tree_is_evicted_from_the_phones_that_no_longer_see_it() {
    let app = spawn_committee().await;
    let (a, b) = (app.login("worker_a").await, app.login("worker_b").await);
    let (_, cursor_a) = app.pull_all(&a.token, 0).await;
    let (_, cursor_b) = app.pull_all(&b.token, 0).await;
    let moved = put_fields(0, "units", SCHOOL, json!({"grid": {"value": GROUP_A, "base": 1_000_000}}));
    assert_eq!(status(&one(&app, "secretary", moved).await), APPLIED);
    let evicted = |changes: &[Change]| changes.iter().any(|c| matches!(c, Change::Evict { id, .. } if id == SCHOOL));
    let (to_a, _) = app.pull_all(&a.token, cursor_a).await;
    assert!(upserted(&to_a, "units") == vec![SCHOOL] && !evicted(&to_a), "still at worker A's grid");
    let (to_b, _) = app.pull_all(&b.token, cursor_b).await;
    assert!(evicted(&to_b), "no longer on worker B's path");
}

#[tokio::test]
async fn a_deleted_unit_leaves_its_contacts_phone_and_comes_back_with_its_issues() {
    let app = spawn_committee().await;
    let named =
        put_fields(0, "units", SCHOOL, json!({"contact_person": {"value": "p-contact-school", "base": 1_000_000}}));
    assert_eq!(status(&one(&app, "secretary", named).await), APPLIED);
    assert_eq!(status(&step(&app, "worker_a", ISSUE_A, "ev-a-2", 10, escalate()).await), APPLIED);
    assert_eq!(status(&step(&app, "secretary", ISSUE_A, "ev-a-3", 20, hand(SCHOOL)).await), APPLIED);
    let school = app.login("contact_school").await;
    let (had, cursor) = app.pull_all(&school.token, 0).await;
    assert_eq!(upserted(&had, "issues"), vec![ISSUE_A]);

    assert_eq!(status(&one(&app, "secretary", delete(0, "units", SCHOOL, 1_000_000)).await), APPLIED);
    let (gone, cursor) = app.pull_all(&school.token, cursor).await;
    assert!(gone.iter().any(|c| matches!(c, Change::Evict { id, .. } if id == ISSUE_A)), "{gone:?}");

    let secretary = app.login("secretary").await;
    let url = app.url(&format!("/api/v1/admin/records/units/{SCHOOL}/undelete"));
    let res = app.client.post(url).bearer_auth(&secretary.token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let (back, _) = app.pull_all(&school.token, cursor).await;
    assert_eq!(upserted(&back, "issues"), vec![ISSUE_A]);
    assert_eq!(sorted(events(&back)), vec!["ev-a-1", "ev-a-2", "ev-a-3"]);
}

fn meeting(id: &str, grid: &str, recorder: &str, host: &str) -> Value {
    json!({"id": id, "kind": "joint_meeting", "grid": grid, "held_at": t0(), "place": "社区二楼会议室",
           "host": host, "recorder": recorder, "closed": false})
}

#[tokio::test]
async fn meetings_are_recorded_by_community_staff_and_a_contact_writes_no_records() {
    let app = spawn_committee().await;
    let held = put(0, "meetings", &meeting("m-1", COMMUNITY, "p-secretary", "p-contact-cg"), 0);
    assert_eq!(status(&one(&app, "secretary", held).await), APPLIED, "the host may sit at the district");
    let unknown_host = put(0, "meetings", &meeting("m-2", COMMUNITY, "p-secretary", "p-nobody"), 0);
    assert_eq!(status(&one(&app, "secretary", unknown_host).await), rejected("unknown_person"));

    let by_worker =
        one(&app, "worker_a", put(0, "meetings", &meeting("m-3", GROUP_A, "p-worker-a", "p-worker-a"), 0)).await;
    assert_eq!(status(&by_worker), rejected("forbidden_role"));
    assert!(by_worker.results[0].message.as_deref().unwrap_or("").contains("联席会议"));
    let contact_meeting = meeting("m-4", COMMUNITY, "p-contact-school", "p-contact-school");
    let by_contact = one(&app, "contact_school", put(0, "meetings", &contact_meeting, 0)).await;
    assert_eq!(status(&by_contact), rejected("forbidden_role"));

    let household = put(0, "households", &household_json("hh-school", COMMUNITY), 0);
    assert_eq!(status(&one(&app, "contact_school", household).await), rejected("forbidden_role"));
    let own_unit = put_fields(0, "units", SCHOOL, json!({"phone": {"value": "13800000000", "base": 1_000_000}}));
    let res = one(&app, "contact_school", own_unit).await;
    assert_eq!(status(&res), rejected("forbidden_role"));
    assert!(res.results[0].message.as_deref().unwrap_or("").contains("单位联络员"));

    let s = app.login("secretary").await;
    let (changes, _) = app.pull_all(&s.token, 0).await;
    assert_eq!(upserted(&changes, "meetings"), vec!["m-1"]);
}

/// Two phones record one meeting offline: one marks who came, the other decides an item —
/// both kept, field by field; the same item decided differently on both is a conflict on
/// that item alone, with the first phone's decision kept.
#[tokio::test]
async fn two_phones_recording_one_meeting_converge_item_by_item() {
    let app = spawn_committee().await;
    let opened = put(0, "meetings", &meeting("m-5", COMMUNITY, "p-secretary", "p-contact-cg"), 0);
    assert_eq!(status(&one(&app, "secretary", opened).await), APPLIED);
    let item = |outcome: &str| json!({"position": 1, "source": "issue_list", "decision": {"outcome": outcome, "by": "p-secretary", "at": t0()}});
    let field =
        |name: String, value: Value| put_fields(0, "meetings", "m-5", json!({ name: {"value": value, "base": 0} }));
    let (item_a, item_b) = (format!("item:{ISSUE_A}"), format!("item:{ISSUE_B}"));
    let came = field("attendee:p-contact-cg".into(), json!("present"));
    assert_eq!(status(&one(&app, "secretary", came).await), APPLIED);
    assert_eq!(status(&one(&app, "secretary", field(item_a.clone(), item("hold"))).await), APPLIED);
    assert_eq!(status(&one(&app, "secretary", field(item_b.clone(), item("community"))).await), APPLIED);
    let clash = one(&app, "secretary", field(item_b.clone(), item("hold"))).await;
    assert_eq!(status(&clash).0, MutationStatus::Conflict);

    let s = app.login("secretary").await;
    let (changes, _) = app.pull_all(&s.token, 0).await;
    let fields = changes
        .iter()
        .rev()
        .find_map(|c| match c {
            Change::Upsert { id, fields, .. } if id == "m-5" => Some(fields),
            _ => None,
        })
        .expect("the meeting is pulled");
    assert_eq!(fields["attendee:p-contact-cg"].value, json!("present"));
    assert_eq!(fields[&item_a].value["decision"]["outcome"], "hold");
    assert_eq!(fields[&item_b].value["decision"]["outcome"], "community", "the first decision stands");
    let clashes: Vec<&str> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Conflict { conflict, .. } if conflict.record_id == "m-5" => Some(conflict.field.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(clashes, vec![item_b.as_str()], "one conflict, on that item");
}
