//! The small world the sync tests run in, and builders for the JSON a device pushes.
//!
//! 綦江区 → 古南街道 (town) → 綦齿社区 (community) → groups A and B; one household and
//! one reported issue in each group. Accounts: `worker_a` (group A), `worker_b` (group B),
//! `secretary` (the community), `town` (the town).

use serde_json::{json, Value};
use wangge_core::grid::{Grid, GridCode, GridLevel};
use wangge_core::household::Household;
use wangge_core::issue::{Issue, IssueEvent};
use wangge_core::people::Role;
use wangge_core::{GridId, GridName, PersonId};
use wangge_server::account::NewUser;
use wangge_server::db::Dataset;

pub(crate) const PASSWORD: &str = "correct horse";
pub(crate) const DISTRICT: &str = "g500110000000000";
pub(crate) const TOWN: &str = "g500110001000000";
pub(crate) const COMMUNITY: &str = "g500110001001000";
pub(crate) const GROUP_A: &str = "g500110001001001";
pub(crate) const GROUP_B: &str = "g500110001001002";
pub(crate) const HOUSEHOLD_A: &str = "hh-a";
pub(crate) const HOUSEHOLD_B: &str = "hh-b";
pub(crate) const ISSUE_A: &str = "issue-a";
pub(crate) const ISSUE_B: &str = "issue-b";
/// The world's "now-ish": a day before the test run started, fixed for the whole run.
/// Relative to the real clock because the server places events by its own clock: a step
/// claimed to be older than the offline window counts as received (core `accepted_time`).
pub(crate) fn t0() -> i64 {
    static START: std::sync::OnceLock<i64> = std::sync::OnceLock::new();
    *START.get_or_init(|| {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
        now - 24 * 3600 * 1000
    })
}

fn grid(id: &str, name: &str, level: GridLevel, parent: Option<&str>) -> Grid {
    Grid {
        id: GridId::parse(id).unwrap(),
        name: GridName::parse(name).unwrap(),
        level,
        parent: parent.map(|p| GridId::parse(p).unwrap()),
        code: Some(GridCode::parse(&id[1..]).unwrap()),
        retired: false,
    }
}

pub(crate) fn grids() -> Vec<Grid> {
    vec![
        grid(DISTRICT, "綦江区", GridLevel::District, None),
        grid(TOWN, "古南街道", GridLevel::Town, Some(DISTRICT)),
        grid(COMMUNITY, "綦齿社区", GridLevel::Community, Some(TOWN)),
        grid(GROUP_A, "一村", GridLevel::Group, Some(COMMUNITY)),
        grid(GROUP_B, "二村", GridLevel::Group, Some(COMMUNITY)),
    ]
}

pub(crate) fn household_json(id: &str, grid: &str) -> Value {
    json!({"id": id, "grid": grid, "address": "二村小区3栋2单元501", "tags": ["living_alone_elderly"]})
}

pub(crate) fn issue_json(id: &str, grid: &str, reporter: &str) -> Value {
    json!({
        "id": id, "title": "人行道被汽修店车辆压坏", "description": "路面破损多年无人修", "category": "infrastructure",
        "source": "visit", "grid": grid, "household": null, "unit": null, "location": null,
        "reporter": reporter, "priority": "normal", "due_at": null, "created_at": t0()
    })
}

pub(crate) fn event_json(id: &str, issue: &str, at: i64, actor: &str, role: &str, kind: Value) -> Value {
    json!({"id": id, "issue": issue, "at": at, "actor": actor, "actor_role": role, "kind": kind})
}

pub(crate) fn dataset() -> Dataset {
    let household = |id, grid| serde_json::from_value::<Household>(household_json(id, grid)).unwrap();
    let issue = |id, grid| serde_json::from_value::<Issue>(issue_json(id, grid, "p-worker-a")).unwrap();
    let reported = |id, issue| {
        serde_json::from_value::<IssueEvent>(event_json(
            id,
            issue,
            t0(),
            "p-worker-a",
            "grid_worker",
            json!({"type": "reported"}),
        ))
        .unwrap()
    };
    Dataset {
        grids: grids(),
        households: vec![household(HOUSEHOLD_A, GROUP_A), household(HOUSEHOLD_B, GROUP_B)],
        issues: vec![issue(ISSUE_A, GROUP_A), issue(ISSUE_B, GROUP_B)],
        events: vec![reported("ev-a-1", ISSUE_A), reported("ev-b-1", ISSUE_B)],
        ..Dataset::default()
    }
}

pub(crate) fn users() -> Vec<NewUser> {
    let user = |username: &str, person: &str, role, grid: &str| NewUser {
        username: username.into(),
        password: PASSWORD.into(),
        person_id: PersonId::parse(person).unwrap(),
        name: format!("测试{username}"),
        roles: vec![role],
        home_grid: GridId::parse(grid).unwrap(),
    };
    vec![
        user("worker_a", "p-worker-a", Role::GridWorker, GROUP_A),
        user("worker_b", "p-worker-b", Role::GridWorker, GROUP_B),
        user("secretary", "p-secretary", Role::CommunitySecretary, COMMUNITY),
        user("town", "p-town", Role::TownStaff, TOWN),
    ]
}

/// A put of every field of `record` (an object), each based on `base`.
pub(crate) fn put(seq: u64, collection: &str, record: &Value, base: u64) -> Value {
    let fields: serde_json::Map<String, Value> =
        record.as_object().unwrap().iter().map(|(k, v)| (k.clone(), json!({"value": v, "base": base}))).collect();
    json!({"seq": seq, "op": "put", "collection": collection, "id": record["id"], "fields": fields})
}

/// A put of some fields only.
pub(crate) fn put_fields(seq: u64, collection: &str, id: &str, fields: Value) -> Value {
    json!({"seq": seq, "op": "put", "collection": collection, "id": id, "fields": fields})
}

pub(crate) fn delete(seq: u64, collection: &str, id: &str, base: u64) -> Value {
    json!({"seq": seq, "op": "delete", "collection": collection, "id": id, "base": base})
}

pub(crate) fn append(seq: u64, event: Value) -> Value {
    json!({"seq": seq, "op": "append_event", "event": event})
}
