//! Tasks sent down the grid (任务下发) over the wire: a task sent to a community's grids
//! reaches exactly their workers and the staff above them; forwarding keeps the sending
//! (`batch`) and the sender's scope; two workers' results on one household both land, each
//! in its own name; a contact-only account sees and writes nothing; only staff delete.
//!
//! Beside the test world (`world.rs`): a second community of the same town, 新街子社区,
//! with a group, its worker (`worker_c`) and its secretary (`secretary_x`); a second worker
//! of group A (`worker_a2`); an account that is only a unit's contact (`contact`).

use serde_json::{json, Value};
use wangge_core::grid::{Grid, GridCode, GridLevel};
use wangge_core::people::Role;
use wangge_core::sync::{Change, MutationStatus, PushResponse};
use wangge_core::{GridId, GridName, PersonId};
use wangge_server::account::NewUser;
use wangge_server::db::Dataset;

use crate::helpers::{password_hash, spawn_world, upserted, TestApp};
use crate::world::{delete, put, put_fields, t0, COMMUNITY, GROUP_A, GROUP_B, HOUSEHOLD_A, TOWN};

const XJZ: &str = "g500110001002000";
const XJZ_GROUP: &str = "g500110001002001";
const HOUR: i64 = 3_600_000;

async fn spawn_tasks() -> TestApp {
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
    db.load_dataset(&Dataset { grids, ..Dataset::default() }).unwrap();
    for (username, role, grid) in [
        ("worker_c", Role::GridWorker, XJZ_GROUP),
        ("secretary_x", Role::CommunitySecretary, XJZ),
        ("worker_a2", Role::GridWorker, GROUP_A),
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

/// "暴雨前排查独居老人", sent by `sender` from `from` to `grid` as part of the sending `batch`.
fn task_json(id: &str, batch: &str, grid: &str, from: &str, sender: &str) -> Value {
    json!({
        "id": id, "batch": batch, "grid": grid, "from": from, "sender": sender,
        "title": "暴雨前排查独居老人", "instructions": "18:00前逐户见面,查看屋顶和用电",
        "sent_at": t0(), "due": t0() + 6 * HOUR, "emergency": true,
        "targets": {"kind": "care_tag", "tag": "living_alone_elderly"},
    })
}

/// A worker's tick of household `household`, as the field `result:<entry>`.
fn result(entry: &str, household: &str, outcome: &str, by: &str) -> Value {
    json!({format!("result:{entry}"): {"value": {"target": {"household": household}, "outcome": outcome,
        "note": "已见面", "by": by, "at": t0() + HOUR}, "base": 0}})
}

async fn push(app: &TestApp, who: &str, client: &str, mutations: Vec<Value>) -> PushResponse {
    let s = app.login(who).await;
    app.push(&s.token, client, mutations).await
}

/// The status and code of a one-mutation push.
async fn one(app: &TestApp, who: &str, mutation: Value) -> (MutationStatus, Option<String>) {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let client = format!("{who}-{}", N.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    let res = push(app, who, &client, vec![mutation]).await;
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

async fn tasks_seen(app: &TestApp, who: &str) -> String {
    let changes = pulled(app, who).await;
    let mut ids = upserted(&changes, "tasks");
    ids.sort();
    ids.dedup();
    ids.join(",")
}

/// The town sends the storm check to 綦齿社区's two groups in one push (one transaction),
/// as the sender's phone does.
async fn send_storm_check(app: &TestApp) {
    let res = push(
        app,
        "town",
        "town-1",
        vec![
            put(1, "tasks", &task_json("t-a", "storm", GROUP_A, TOWN, "p-town"), 0),
            put(2, "tasks", &task_json("t-b", "storm", GROUP_B, TOWN, "p-town"), 0),
        ],
    )
    .await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{:?}", res.results);
}

#[tokio::test]
async fn a_task_sent_to_a_communitys_grids_reaches_exactly_their_workers_and_supervisors() {
    let app = spawn_tasks().await;
    send_storm_check(&app).await;
    assert_eq!(tasks_seen(&app, "worker_a").await, "t-a");
    assert_eq!(tasks_seen(&app, "worker_a2").await, "t-a");
    assert_eq!(tasks_seen(&app, "worker_b").await, "t-b");
    assert_eq!(tasks_seen(&app, "secretary").await, "t-a,t-b");
    assert_eq!(tasks_seen(&app, "town").await, "t-a,t-b");
    for outsider in ["worker_c", "secretary_x", "contact"] {
        let changes = pulled(&app, outsider).await;
        assert!(upserted(&changes, "tasks").is_empty(), "{outsider} pulls no task");
        assert!(!serde_json::to_string(&changes).unwrap().contains("暴雨前排查"), "{outsider} sees nothing of it");
    }
    // Nor do they write to it: a tick from another community, or from a contact-only account.
    let tick = |by: &str| put_fields(1, "tasks", "t-a", result("x1", HOUSEHOLD_A, "safe", by));
    assert_eq!(one(&app, "worker_c", tick("p-worker_c")).await, refused("out_of_scope"));
    assert_eq!(one(&app, "worker_b", tick("p-worker-b")).await, refused("out_of_scope"));
    assert_eq!(one(&app, "contact", tick("p-contact")).await, refused("forbidden_role"));
    let theirs = put(1, "tasks", &task_json("t-c", "own", COMMUNITY, COMMUNITY, "p-contact"), 0);
    assert_eq!(one(&app, "contact", theirs).await, refused("forbidden_role"));
}

#[tokio::test]
async fn forwarding_keeps_the_sending_and_the_senders_scope() {
    let app = spawn_tasks().await;
    // The town sends to the community node, for 綦齿's staff to split among its groups.
    let to_community = put(1, "tasks", &task_json("t-qc", "storm", COMMUNITY, TOWN, "p-town"), 0);
    assert_eq!(one(&app, "town", to_community).await, applied());
    assert_eq!(tasks_seen(&app, "worker_a").await, "", "the community node is not a worker's");
    let forward = |id: &str, batch: &str, grid: &str, from: &str, sender: &str| {
        let mut t = task_json(id, batch, grid, from, sender);
        t["parent"] = json!("t-qc");
        t["note:n1"] = json!({"text": "河边三户重点查看", "by": sender, "from": from, "at": t0() + HOUR});
        put(1, "tasks", &t, 0)
    };
    let fwd = forward("t-qc-a", "storm", GROUP_A, COMMUNITY, "p-secretary");
    assert_eq!(one(&app, "secretary", fwd).await, applied());
    assert_eq!(tasks_seen(&app, "worker_a").await, "t-qc-a", "the forward reaches the group's worker");
    // A forward that leaves the sending, or goes to another community's grid.
    let other_batch = forward("t-qc-b", "elsewhere", GROUP_B, COMMUNITY, "p-secretary");
    assert_eq!(one(&app, "secretary", other_batch).await, refused("task_forward_mismatch"));
    let outside = forward("t-qc-x", "storm", XJZ_GROUP, COMMUNITY, "p-secretary");
    assert_eq!(one(&app, "secretary", outside).await, refused("out_of_scope"));
    // Claiming to send from a node outside one's own scope (the town), or from a node
    // that is not above the grid.
    let as_town = put(1, "tasks", &task_json("t-fake", "own", GROUP_B, TOWN, "p-secretary"), 0);
    assert_eq!(one(&app, "secretary", as_town).await, refused("out_of_scope"));
    let sideways = put(1, "tasks", &task_json("t-side", "own", GROUP_B, GROUP_A, "p-secretary"), 0);
    assert_eq!(one(&app, "secretary", sideways).await, refused("task_grid_not_below_sender"));
    // Another community's secretary cannot forward what it cannot see.
    let theirs = forward("t-xjz", "storm", XJZ_GROUP, XJZ, "p-secretary_x");
    assert_eq!(one(&app, "secretary_x", theirs).await, refused("unknown_task"));
    // A grid worker sends nothing, even to their own grid.
    let own = put(1, "tasks", &task_json("t-w", "own", GROUP_A, GROUP_A, "p-worker-a"), 0);
    assert_eq!(one(&app, "worker_a", own).await, refused("forbidden_role"));
}

#[tokio::test]
async fn two_workers_ticking_one_household_both_land_each_in_their_own_name() {
    let app = spawn_tasks().await;
    send_storm_check(&app).await;
    let a = put_fields(1, "tasks", "t-a", result("a1", HOUSEHOLD_A, "unreachable", "p-worker-a"));
    let a2 = put_fields(1, "tasks", "t-a", result("b1", HOUSEHOLD_A, "safe", "p-worker_a2"));
    assert_eq!(one(&app, "worker_a", a).await, applied());
    assert_eq!(one(&app, "worker_a2", a2).await, applied(), "a fresh entry id never clashes");
    let changes = pulled(&app, "town").await;
    let fields = changes
        .iter()
        .rev()
        .find_map(|c| match c {
            Change::Upsert { id, fields, .. } if id == "t-a" => Some(fields),
            _ => None,
        })
        .expect("the town pulls the task");
    assert_eq!(fields["result:a1"].value["by"], json!("p-worker-a"));
    assert_eq!(fields["result:b1"].value["by"], json!("p-worker_a2"));
    // A tick in a colleague's name, a change of the task itself, a target the task lacks.
    let forged = put_fields(1, "tasks", "t-a", result("a2", HOUSEHOLD_A, "safe", "p-worker_a2"));
    assert_eq!(one(&app, "worker_a", forged).await, refused("actor_mismatch"));
    let later = put_fields(1, "tasks", "t-a", json!({"due": {"value": t0() + 48 * HOUR, "base": 0}}));
    assert_eq!(one(&app, "worker_a", later.clone()).await.0, MutationStatus::Rejected);
    assert_eq!(one(&app, "worker_a", later).await, refused("forbidden_role"));
    let unit = json!({"result:u1": {"value": {"target": {"unit": "u-x"}, "outcome": "done", "by": "p-worker-a",
        "at": t0() + HOUR}, "base": 0}});
    assert_eq!(one(&app, "worker_a", put_fields(1, "tasks", "t-a", unit)).await, refused("task_target_not_in_task"));
    // The secretary closes it (staff may), in her own name only.
    let as_town = json!({"closed": {"value": {"at": t0() + 5 * HOUR, "by": "p-town"}, "base": 0}});
    assert_eq!(one(&app, "secretary", put_fields(1, "tasks", "t-a", as_town)).await, refused("actor_mismatch"));
    let close = json!({"closed": {"value": {"at": t0() + 5 * HOUR, "by": "p-secretary"}, "base": 0}});
    assert_eq!(one(&app, "secretary", put_fields(1, "tasks", "t-a", close)).await, applied());
}

#[tokio::test]
async fn a_task_is_deleted_only_by_staff() {
    let app = spawn_tasks().await;
    send_storm_check(&app).await;
    assert_eq!(one(&app, "worker_a", delete(1, "tasks", "t-a", 0)).await, refused("delete_not_allowed"));
    assert_eq!(one(&app, "contact", delete(1, "tasks", "t-a", 0)).await, refused("forbidden_role"));
    // The secretary's phone deletes the task as it pulled it.
    let version = pulled(&app, "secretary").await.iter().rev().find_map(|c| match c {
        Change::Upsert { id, version, .. } if id == "t-a" => Some(*version),
        _ => None,
    });
    let version = version.expect("the secretary pulls the task");
    assert_eq!(one(&app, "secretary", delete(1, "tasks", "t-a", version)).await, applied());
    let gone = pulled(&app, "worker_a")
        .await
        .into_iter()
        .any(|c| matches!(c, Change::Tombstone { collection, id, .. } if collection.name() == "tasks" && id == "t-a"));
    assert!(gone, "the worker's phone hears of the delete");
}

#[tokio::test]
async fn the_demo_worker_pulls_her_grids_tasks_and_the_secretary_also_the_communitys() {
    use wangge_demo::{DEMO_COMMUNITY_SECRETARY, DEMO_GRID_WORKER};
    use wangge_server::demo::DEMO_PASSWORD;
    let app = crate::helpers::spawn_demo().await;
    let mut seen = Vec::new();
    for account in [DEMO_GRID_WORKER, DEMO_COMMUNITY_SECRETARY] {
        let body = json!({"username": account.username, "password": DEMO_PASSWORD, "device_name": "demo"});
        let login: Value = app.login_raw(body).await.json().await.unwrap();
        let (changes, _) = app.pull_all(login["token"].as_str().unwrap(), 0).await;
        seen.push(upserted(&changes, "tasks").into_iter().map(str::to_string).collect::<Vec<_>>());
    }
    let (worker, secretary) = (&seen[0], &seen[1]);
    assert!(worker.iter().any(|t| t.starts_with("demo-task-storm-")), "{worker:?}");
    assert!(worker.iter().any(|t| t.starts_with("demo-task-rental-")), "{worker:?}");
    assert!(!worker.contains(&"demo-task-storm".to_string()), "the community node's record is not hers");
    assert!(secretary.contains(&"demo-task-storm".to_string()) && secretary.len() > worker.len());
}
