//! Mediation cases and the three lists over the wire: scoped by their grid like a
//! household (a mediator of one town, a worker of one group, a secretary of one community
//! see their own and nobody else's; a contact-only unit account sees none), the core's
//! rules refused with their codes, two phones' offline entries both kept, and deletes left
//! to community staff.
//!
//! Beside the test world (`world.rs`): a second town with a community of its own and its
//! secretary (`secretary2`), a town mediator (`mediator`), and an account that is only a
//! unit's contact (`contact`).

use serde_json::{json, Value};
use wangge_core::grid::{Grid, GridCode, GridLevel};
use wangge_core::people::Role;
use wangge_core::sync::{Change, MutationStatus, PushResponse};
use wangge_core::{GridId, GridName, PersonId};
use wangge_server::account::NewUser;
use wangge_server::db::Dataset;

use crate::admin_support::OTHER_TOWN;
use crate::helpers::{password_hash, spawn_world, upserted, TestApp};
use crate::world::{delete, put, put_fields, t0, COMMUNITY, GROUP_A, HOUSEHOLD_A, TOWN};

const OTHER_COMMUNITY: &str = "g500110002001000";
const DAY: i64 = 86_400_000;
pub(crate) const PHONE: &str = "13912345678";

pub(crate) async fn spawn_mediation() -> TestApp {
    let app = spawn_world().await;
    app.add_other_town();
    let db = app.db();
    let community = Grid {
        id: GridId::parse(OTHER_COMMUNITY).unwrap(),
        name: GridName::parse("新街子社区").unwrap(),
        level: GridLevel::Community,
        parent: Some(GridId::parse(OTHER_TOWN).unwrap()),
        code: Some(GridCode::parse(&OTHER_COMMUNITY[1..]).unwrap()),
        retired: false,
    };
    db.load_dataset(&Dataset { grids: vec![community], ..Dataset::default() }).unwrap();
    for (username, person, role, grid) in [
        ("mediator", "p-mediator", Role::Mediator, TOWN),
        ("secretary2", "p-secretary2", Role::CommunitySecretary, OTHER_COMMUNITY),
        ("contact", "p-contact", Role::UnitContact, COMMUNITY),
    ] {
        let user = NewUser {
            username: username.into(),
            password: crate::world::PASSWORD.into(),
            person_id: PersonId::parse(person).unwrap(),
            name: format!("测试{username}"),
            roles: vec![role],
            home_grid: GridId::parse(grid).unwrap(),
        };
        assert!(db.add_user(&user, password_hash()).unwrap());
    }
    app
}

/// A case with two parties (phones, ID tails) and one session.
pub(crate) fn case_json(id: &str, grid: &str, recorder: &str) -> Value {
    json!({
        "id": id, "grid": grid, "title": "三名工人讨要拖欠工资", "dispute": "wage", "accepted_at": t0(),
        "recorder": recorder, "mediators": [recorder],
        "party:w1": {"name": "汪某某", "side": "applicant", "phone": PHONE, "id_last4": "123X"},
        "party:firm": {"name": "某酒业有限公司", "side": "respondent"},
        "session:s1": {"at": t0() + 3_600_000, "mode": "separate", "stage": "listen", "met": ["w1"], "by": recorder},
    })
}

pub(crate) fn entry_json(id: &str, kind: &str, grid: &str, recorder: &str) -> Value {
    json!({"id": id, "kind": kind, "grid": grid, "title": "独居老人助餐", "recorder": recorder, "recorded_at": t0()})
}

/// Pushes `mutations` as `who` from the phone `client`.
pub(crate) async fn push(app: &TestApp, who: &str, client: &str, mutations: Vec<Value>) -> PushResponse {
    let s = app.login(who).await;
    app.push(&s.token, client, mutations).await
}

fn outcome(res: &PushResponse, n: usize) -> (MutationStatus, Option<&str>) {
    (res.results[n].status, res.results[n].code.as_deref())
}

const APPLIED: (MutationStatus, Option<&str>) = (MutationStatus::Applied, None);

async fn pulled(app: &TestApp, who: &str) -> Vec<Change> {
    let s = app.login(who).await;
    app.pull_all(&s.token, 0).await.0
}

fn sorted(mut v: Vec<&str>) -> Vec<&str> {
    v.sort();
    v
}

/// The test's records: a case at the town by its mediator, one in group A by its worker
/// with a need there, a resource at the community by its secretary.
pub(crate) async fn seed(app: &TestApp) {
    let town = push(app, "mediator", "m-1", vec![put(1, "mediations", &case_json("case-town", TOWN, "p-mediator"), 0)]);
    assert_eq!(outcome(&town.await, 0), APPLIED);
    let a = push(
        app,
        "worker_a",
        "a-1",
        vec![
            put(1, "mediations", &case_json("case-a", GROUP_A, "p-worker-a"), 0),
            put(2, "list_entries", &entry_json("need-a", "need", GROUP_A, "p-worker-a"), 0),
        ],
    )
    .await;
    assert!(a.results.iter().all(|r| r.status == MutationStatus::Applied), "{:?}", a.results);
    let mut room = entry_json("res-c", "resource", COMMUNITY, "p-secretary");
    room["title"] = json!("党群服务中心会议室");
    let s = push(app, "secretary", "s-1", vec![put(1, "list_entries", &room, 0)]).await;
    assert_eq!(outcome(&s, 0), APPLIED);
}

#[tokio::test]
async fn cases_and_list_entries_reach_only_those_whose_grid_holds_them() {
    let app = spawn_mediation().await;
    seed(&app).await;
    let seen = |changes: &[Change]| {
        (sorted(upserted(changes, "mediations")).join(","), sorted(upserted(changes, "list_entries")).join(","))
    };
    let town = pulled(&app, "town").await;
    assert_eq!(seen(&town), ("case-a,case-town".into(), "need-a,res-c".into()));
    assert_eq!(seen(&pulled(&app, "mediator").await), ("case-a,case-town".into(), "need-a,res-c".into()));
    assert_eq!(seen(&pulled(&app, "secretary").await), ("case-a".into(), "need-a,res-c".into()));
    assert_eq!(seen(&pulled(&app, "worker_a").await), ("case-a".into(), "need-a".into()));
    for outsider in ["worker_b", "town2", "secretary2", "contact"] {
        let changes = pulled(&app, outsider).await;
        assert_eq!(seen(&changes), (String::new(), String::new()), "{outsider} sees none");
        let body = serde_json::to_string(&changes).unwrap();
        assert!(!body.contains(PHONE) && !body.contains("123X"), "no party's data reaches {outsider}");
    }

    // Nor can they write to them: an edit of a case or entry out of their scope is refused
    // whether or not it exists, and so is a new one placed there.
    let title =
        |id: &str, coll: &str| put_fields(0, coll, id, json!({"title": {"value": "改个标题", "base": 1_000_000}}));
    // (A contact-only account is turned away before scope: it writes nothing but steps.)
    for (who, id, coll, code) in [
        ("worker_b", "case-a", "mediations", "out_of_scope"),
        ("town2", "case-town", "mediations", "out_of_scope"),
        ("secretary2", "need-a", "list_entries", "out_of_scope"),
        ("worker_a", "case-town", "mediations", "out_of_scope"),
        ("contact", "res-c", "list_entries", "forbidden_role"),
    ] {
        let mut m = title(id, coll);
        m["seq"] = json!(1);
        let res = push(&app, who, &format!("{who}-x"), vec![m]).await;
        assert_eq!(outcome(&res, 0), (MutationStatus::Rejected, Some(code)), "{who} edits {id}");
    }
    let foreign = put(1, "mediations", &case_json("case-x", GROUP_A, "p-town2"), 0);
    let res = push(&app, "town2", "town2-y", vec![foreign]).await;
    assert_eq!(outcome(&res, 0), (MutationStatus::Rejected, Some("out_of_scope")));
    let unchanged = pulled(&app, "town").await;
    assert!(!serde_json::to_string(&unchanged).unwrap().contains("改个标题"));
}

#[tokio::test]
async fn the_core_rules_are_refused_with_their_codes() {
    let app = spawn_mediation().await;
    seed(&app).await;
    // A term kept while no agreement is signed.
    let kept = json!({"term:t1": {"value": {"position": 0, "what": "支付拖欠工资", "amount_fen": 9_600_000,
        "from": "firm", "to": "w1", "kept": {"how": "full", "at": t0() + DAY, "by": "p-worker-a"}}, "base": 0}});
    let res = push(&app, "worker_a", "a-2", vec![put_fields(1, "mediations", "case-a", kept)]).await;
    assert_eq!(outcome(&res, 0), (MutationStatus::Rejected, Some("term_kept_before_agreement")));
    // A term owed by someone who is not a party, and a need met that nobody took.
    let stranger = json!({"term:t2": {"value": {"position": 1, "what": "赔礼道歉", "from": "nobody"}, "base": 0}});
    let res = push(&app, "worker_a", "a-3", vec![put_fields(1, "mediations", "case-a", stranger)]).await;
    assert_eq!(outcome(&res, 0), (MutationStatus::Rejected, Some("unknown_party")));
    let met = json!({"fulfilled_at": {"value": t0() + DAY, "base": 0}});
    let res = push(&app, "worker_a", "a-4", vec![put_fields(1, "list_entries", "need-a", met)]).await;
    assert_eq!(outcome(&res, 0), (MutationStatus::Rejected, Some("need_fulfilled_unmatched")));
    // A resource of another community is not there for this one's secretary to match.
    let mut theirs = entry_json("res-other", "resource", OTHER_COMMUNITY, "p-secretary2");
    theirs["title"] = json!("物业公司小货车");
    assert_eq!(outcome(&push(&app, "secretary2", "s2-1", vec![put(1, "list_entries", &theirs, 0)]).await, 0), APPLIED);
    let matched = |to: &str| json!({"matched_to": {"value": to, "base": 0}});
    let res = push(&app, "secretary", "s-2", vec![put_fields(1, "list_entries", "need-a", matched("res-other"))]).await;
    assert_eq!(outcome(&res, 0), (MutationStatus::Rejected, Some("unknown_list_entry")));
    let res = push(&app, "secretary", "s-3", vec![put_fields(1, "list_entries", "need-a", matched("res-c"))]).await;
    assert_eq!(outcome(&res, 0), APPLIED, "its own community's resource");
    // A party's household must be one the caller sees too; their own group's is.
    let home =
        json!({"party:w2": {"value": {"name": "王某", "side": "applicant", "household": HOUSEHOLD_A}, "base": 0}});
    let res = push(&app, "worker_a", "a-5", vec![put_fields(1, "mediations", "case-a", home)]).await;
    assert_eq!(outcome(&res, 0), APPLIED);
    let after = pulled(&app, "worker_a").await;
    let need = after.iter().rev().find_map(|c| match c {
        Change::Upsert { id, fields, .. } if id == "need-a" => Some(fields),
        _ => None,
    });
    assert_eq!(need.and_then(|f| f.get("matched_to")).map(|v| v.value.clone()), Some(json!("res-c")));
}

/// The version of `field` of record `id` as `who` last pulled it.
async fn base_of(app: &TestApp, who: &str, id: &str, field: &str) -> u64 {
    let changes = pulled(app, who).await;
    changes
        .iter()
        .rev()
        .find_map(|c| match c {
            Change::Upsert { id: i, fields, .. } if i == id => fields.get(field).map(|v| v.version),
            _ => None,
        })
        .expect("pulled")
}

#[tokio::test]
async fn two_phones_adding_sessions_and_terms_offline_both_land_and_one_title_becomes_a_conflict() {
    let app = spawn_mediation().await;
    seed(&app).await;
    let base = base_of(&app, "worker_a", "case-a", "title").await;
    assert_eq!(base, base_of(&app, "secretary", "case-a", "title").await);
    let entries = |session: &str, term: &str, position: u32, title: &str| {
        json!({
            format!("session:{session}"): {"value": {"at": t0() + DAY, "mode": "joint", "stage": "reason", "met": ["w1", "firm"], "by": "p-worker-a"}, "base": base},
            format!("term:{term}"): {"value": {"position": position, "what": "支付拖欠工资", "amount_fen": 5_000_000, "from": "firm", "to": "w1"}, "base": base},
            "title": {"value": title, "base": base},
        })
    };
    let first = push(
        &app,
        "worker_a",
        "a-phone",
        vec![put_fields(1, "mediations", "case-a", entries("s2", "t1", 0, "讨薪纠纷(一)"))],
    )
    .await;
    assert_eq!(outcome(&first, 0), APPLIED);
    let second = push(
        &app,
        "secretary",
        "s-phone",
        vec![put_fields(1, "mediations", "case-a", entries("s3", "t2", 1, "讨薪纠纷(二)"))],
    )
    .await;
    assert_eq!(outcome(&second, 0), (MutationStatus::Conflict, Some("field_conflict")), "{:?}", second.results);

    let changes = pulled(&app, "secretary").await;
    let fields = changes
        .iter()
        .rev()
        .find_map(|c| match c {
            Change::Upsert { id, fields, .. } if id == "case-a" => Some(fields),
            _ => None,
        })
        .unwrap();
    for keyed in ["session:s1", "session:s2", "session:s3", "term:t1", "term:t2"] {
        assert!(fields.contains_key(keyed), "{keyed} kept");
    }
    assert_eq!(fields["title"].value, json!("讨薪纠纷(一)"), "the first to arrive stands");
    let conflict = changes.iter().find_map(|c| match c {
        Change::Conflict { conflict, .. } if conflict.record_id == "case-a" => Some(conflict),
        _ => None,
    });
    let conflict = conflict.expect("the second title is kept aside, not lost");
    assert_eq!((conflict.field.as_str(), &conflict.device_value), ("title", &json!("讨薪纠纷(二)")));
}

#[tokio::test]
async fn only_community_staff_and_above_delete_a_case_or_a_list_entry() {
    let app = spawn_mediation().await;
    seed(&app).await;
    let case = base_of(&app, "worker_a", "case-a", "title").await;
    let need = base_of(&app, "worker_a", "need-a", "title").await;
    let deletes = || vec![delete(1, "mediations", "case-a", case), delete(2, "list_entries", "need-a", need)];
    let res = push(&app, "worker_a", "a-d", deletes()).await;
    assert_eq!(outcome(&res, 0), (MutationStatus::Rejected, Some("delete_not_allowed")));
    assert_eq!(outcome(&res, 1), (MutationStatus::Rejected, Some("delete_not_allowed")));
    let res = push(&app, "secretary", "s-d", deletes()).await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{:?}", res.results);
    let changes = pulled(&app, "worker_a").await;
    assert!(upserted(&changes, "mediations").is_empty() && upserted(&changes, "list_entries").is_empty());
}
