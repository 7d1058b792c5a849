//! Emergency mode (平急转换) over the wire: the town official switches 綦齿社区 into
//! emergency; its workers below pull the record, another community's worker does not; a
//! worker cannot switch; a committee member and a unit's contact (an account that is only
//! that) each report available in their own name and both reports are kept; ending keeps
//! the record and its reports as history; nobody deletes it.
//!
//! Beside the test world (`world.rs`): a second community of the same town, 新街子社区,
//! with a group and its worker (`worker_c`); a committee member of 綦齿社区 (`member`); an
//! account that is only the contact (`contact`) of a property firm in 二村.

use serde_json::{json, Value};
use wangge_core::grid::{Grid, GridCode, GridLevel};
use wangge_core::people::Role;
use wangge_core::sync::{Change, MutationStatus};
use wangge_core::unit::Unit;
use wangge_core::{GridId, GridName, PersonId};
use wangge_server::account::NewUser;
use wangge_server::db::Dataset;

use crate::helpers::{password_hash, spawn_world, upserted, TestApp};
use crate::world::{delete, put, put_fields, t0, COMMUNITY, GROUP_A, GROUP_B, TOWN};

const XJZ: &str = "g500110001002000";
const XJZ_GROUP: &str = "g500110001002001";
const HOUR: i64 = 3_600_000;

async fn spawn_emergency_world() -> TestApp {
    let app = spawn_world().await;
    let db = app.db();
    let grid = |id: &str, name: &str, level, parent: &str| Grid {
        id: GridId::parse(id).unwrap(),
        name: GridName::parse(name).unwrap(),
        level,
        parent: Some(GridId::parse(parent).unwrap()),
        code: Some(GridCode::parse(&id[1..]).unwrap()),
        retired: false,
    };
    let grids =
        vec![grid(XJZ, "新街子社区", GridLevel::Community, TOWN), grid(XJZ_GROUP, "三村", GridLevel::Group, XJZ)];
    let firm: Unit = serde_json::from_value(json!({"id": "u-firm", "grid": GROUP_B, "name": "齿轮物业",
        "kind": "property_firm", "address": "綦齿路1号", "contact": "秦文忠", "phone": "13900139000",
        "contact_person": "p-contact"}))
    .unwrap();
    db.load_dataset(&Dataset { grids, units: vec![firm], ..Dataset::default() }).unwrap();
    for (username, role, grid) in [
        ("worker_c", Role::GridWorker, XJZ_GROUP),
        ("member", Role::CommitteeMember, COMMUNITY),
        ("contact", Role::UnitContact, COMMUNITY),
    ] {
        let user = NewUser {
            username: username.into(),
            password: crate::world::PASSWORD.into(),
            person_id: PersonId::parse(format!("p-{username}")).unwrap(),
            name: format!("测试{username}"),
            roles: vec![role],
            home_grid: GridId::parse(grid).unwrap(),
        };
        assert!(db.add_user(&user, password_hash()).unwrap());
    }
    app
}

/// "暴雨红色预警", switched on at `grid` by `by`.
fn storm(id: &str, grid: &str, by: &str) -> Value {
    json!({"id": id, "grid": grid, "kind": "rainstorm", "reason": "气象台发布暴雨红色预警,綦河水位上涨",
        "started_at": t0(), "started_by": by})
}

/// `who`'s report available, as the field `report:<who>`.
fn report(who: &str, unit: Option<&str>, note: &str) -> Value {
    let mut r = json!({"at": t0() + HOUR, "note": note});
    if let Some(u) = unit {
        r["unit"] = json!(u);
    }
    json!({format!("report:{who}"): {"value": r, "base": 0}})
}

/// The status and code of a one-mutation push.
async fn one(app: &TestApp, who: &str, mutation: Value) -> (MutationStatus, Option<String>) {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let client = format!("{who}-{}", N.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let s = app.login(who).await;
    let res = app.push(&s.token, &client, vec![mutation]).await;
    (res.results[0].status, res.results[0].code.clone())
}

fn applied() -> (MutationStatus, Option<String>) {
    (MutationStatus::Applied, None)
}

fn refused(code: &str) -> (MutationStatus, Option<String>) {
    (MutationStatus::Rejected, Some(code.to_string()))
}

async fn pulled(app: &TestApp, who: &str) -> Vec<Change> {
    let s = app.login(who).await;
    app.pull_all(&s.token, 0).await.0
}

/// The fields of the emergency `id` as `who` last pulled them (empty if not pulled).
async fn fields_seen(app: &TestApp, who: &str, id: &str) -> Vec<String> {
    let changes = pulled(app, who).await;
    let last = changes.iter().rev().find_map(|c| match c {
        Change::Upsert { collection, id: i, fields, .. } if collection.name() == "emergencies" && i == id => {
            Some(fields.keys().cloned().collect())
        }
        _ => None,
    });
    last.unwrap_or_default()
}

#[tokio::test]
async fn the_towns_switch_reaches_the_workers_below_and_no_one_else() {
    let app = spawn_emergency_world().await;
    assert_eq!(one(&app, "town", put(1, "emergencies", &storm("e1", COMMUNITY, "p-town"), 0)).await, applied());
    for below in ["worker_a", "worker_b", "secretary", "member", "contact", "town"] {
        let changes = pulled(&app, below).await;
        assert_eq!(upserted(&changes, "emergencies"), ["e1"], "{below} pulls the emergency");
    }
    let changes = pulled(&app, "worker_c").await;
    assert!(upserted(&changes, "emergencies").is_empty(), "another community's worker does not");
}

#[tokio::test]
async fn only_town_staff_switch_and_only_a_node_they_hold_at_the_community_rung_or_above() {
    let app = spawn_emergency_world().await;
    let by_worker = put(1, "emergencies", &storm("e-w", GROUP_A, "p-worker-a"), 0);
    assert_eq!(one(&app, "worker_a", by_worker).await, refused("forbidden_role"));
    let by_secretary = put(1, "emergencies", &storm("e-s", COMMUNITY, "p-secretary"), 0);
    assert_eq!(one(&app, "secretary", by_secretary).await, refused("forbidden_role"));
    let group = put(1, "emergencies", &storm("e-g", GROUP_A, "p-town"), 0);
    assert_eq!(one(&app, "town", group).await, refused("emergency_node_too_low"));
    let district = put(1, "emergencies", &storm("e-d", crate::world::DISTRICT, "p-town"), 0);
    assert_eq!(one(&app, "town", district).await, refused("out_of_scope"), "the district is above the town");
    let as_other = put(1, "emergencies", &storm("e-o", TOWN, "p-secretary"), 0);
    assert_eq!(one(&app, "town", as_other).await, refused("actor_mismatch"));
    assert_eq!(one(&app, "town", put(1, "emergencies", &storm("e1", TOWN, "p-town"), 0)).await, applied());
    let end = json!({"ended": {"value": {"at": t0() + HOUR, "by": "p-worker-a"}, "base": 0}});
    assert_eq!(one(&app, "worker_a", put_fields(1, "emergencies", "e1", end)).await, refused("forbidden_role"));
    assert_eq!(one(&app, "town", delete(1, "emergencies", "e1", 0)).await, refused("emergency_not_deletable"));
}

#[tokio::test]
async fn reports_from_below_merge_each_in_its_own_name_and_ending_keeps_them() {
    let app = spawn_emergency_world().await;
    assert_eq!(one(&app, "town", put(1, "emergencies", &storm("e1", COMMUNITY, "p-town"), 0)).await, applied());
    // A committee member at the community node and a contact-only account both report.
    let member = put_fields(1, "emergencies", "e1", report("p-member", None, "可出动3人"));
    assert_eq!(one(&app, "member", member).await, applied());
    let contact = put_fields(1, "emergencies", "e1", report("p-contact", Some("u-firm"), "物业出动5人,有抽水泵"));
    assert_eq!(one(&app, "contact", contact).await, applied());
    // A worker reports too; nobody reports for another, or for a unit not theirs.
    assert_eq!(
        one(&app, "worker_a", put_fields(1, "emergencies", "e1", report("p-worker-a", None, "在岗"))).await,
        applied()
    );
    let forged = put_fields(1, "emergencies", "e1", report("p-member", None, "代报"));
    assert_eq!(one(&app, "worker_b", forged).await, refused("actor_mismatch"));
    let not_theirs = put_fields(1, "emergencies", "e1", report("p-worker-b", Some("u-firm"), "物业"));
    assert_eq!(one(&app, "worker_b", not_theirs).await, refused("emergency_unit_not_theirs"));
    let outsider = put_fields(1, "emergencies", "e1", report("p-worker_c", None, "支援"));
    assert_eq!(one(&app, "worker_c", outsider).await, refused("out_of_scope"), "another community's worker");
    // A contact-only account still writes nothing else.
    let edit = json!({"reason": {"value": "改写", "base": 0}});
    assert_eq!(one(&app, "contact", put_fields(1, "emergencies", "e1", edit)).await, refused("forbidden_role"));
    // The town switches back, in its own name: the record stays with every report.
    let as_member = json!({"ended": {"value": {"at": t0() + 5 * HOUR, "by": "p-member"}, "base": 0}});
    assert_eq!(one(&app, "town", put_fields(1, "emergencies", "e1", as_member)).await, refused("actor_mismatch"));
    let end =
        json!({"ended": {"value": {"at": t0() + 5 * HOUR, "by": "p-town", "note": "雨停,道路已清理"}, "base": 0}});
    assert_eq!(one(&app, "town", put_fields(1, "emergencies", "e1", end)).await, applied());
    let fields = fields_seen(&app, "worker_b", "e1").await;
    for f in ["ended", "report:p-member", "report:p-contact", "report:p-worker-a"] {
        assert!(fields.iter().any(|x| x == f), "{f} kept after the switch back: {fields:?}");
    }
}
