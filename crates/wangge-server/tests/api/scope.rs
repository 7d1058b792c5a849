//! Scope: a worker of group A can neither read nor write group B, through any endpoint;
//! the community secretary and the town official see their whole subtree.

use serde_json::{json, Value};
use wangge_core::sync::{Change, MutationStatus};

use crate::helpers::{events, expect_error, spawn_world, upserted};
use crate::world::{
    append, delete, event_json, household_json, issue_json, put, put_fields, t0, COMMUNITY, DISTRICT, GROUP_A, GROUP_B,
    HOUSEHOLD_A, HOUSEHOLD_B, ISSUE_A, ISSUE_B, TOWN,
};

#[tokio::test]
async fn a_worker_pulls_only_their_own_group() {
    let app = spawn_world().await;
    let a = app.login("worker_a").await;
    let (changes, _) = app.pull_all(&a.token, 0).await;
    assert_eq!(upserted(&changes, "households"), vec![HOUSEHOLD_A]);
    assert_eq!(upserted(&changes, "issues"), vec![ISSUE_A]);
    assert_eq!(events(&changes), vec!["ev-a-1"]);
    let mut grids = upserted(&changes, "grids");
    grids.sort();
    assert_eq!(grids, vec![DISTRICT, TOWN, COMMUNITY, GROUP_A], "own grid and its path, not the sibling");
}

#[tokio::test]
async fn the_secretary_and_the_town_see_their_whole_subtree() {
    let app = spawn_world().await;
    for user in ["secretary", "town"] {
        let s = app.login(user).await;
        let (changes, _) = app.pull_all(&s.token, 0).await;
        let mut hh = upserted(&changes, "households");
        hh.sort();
        assert_eq!(hh, vec![HOUSEHOLD_A, HOUSEHOLD_B], "{user}");
        assert_eq!(events(&changes).len(), 2, "{user}");
    }
}

#[tokio::test]
async fn a_worker_cannot_write_another_group_by_any_mutation() {
    let app = spawn_world().await;
    let a = app.login("worker_a").await;
    let foreign_event =
        event_json("ev-foreign", ISSUE_B, t0() + 5, "p-worker-a", "grid_worker", json!({"type": "accepted"}));
    let res = app
        .push(
            &a.token,
            "phone-a",
            vec![
                put(1, "households", &household_json("hh-new-b", GROUP_B), 0),
                put_fields(
                    2,
                    "households",
                    HOUSEHOLD_B,
                    json!({"address": {"value": "别人的地址", "base": 1_000_000}}),
                ),
                delete(3, "households", HOUSEHOLD_B, 1_000_000),
                append(4, foreign_event),
                put_fields(5, "households", HOUSEHOLD_A, json!({"grid": {"value": GROUP_B, "base": 1_000_000}})),
                put(6, "issues", &issue_json("issue-b2", GROUP_B, "p-worker-a"), 0),
                put(7, "households", &household_json("hh-own", GROUP_A), 0),
            ],
        )
        .await;
    for r in &res.results[..6] {
        // A step on an issue the caller cannot see is answered as for one that does not exist.
        let code = if r.seq == 4 { "unknown_issue" } else { "out_of_scope" };
        assert_eq!((r.status, r.code.as_deref()), (MutationStatus::Rejected, Some(code)), "seq {}", r.seq);
        assert!(r.message.as_deref().unwrap_or("").contains("不在您负责的范围"));
    }
    assert_eq!(res.results[6].status, MutationStatus::Applied, "the rest of the batch still applies");
    // Nothing of B changed, as B's worker sees it.
    let b = app.login("worker_b").await;
    let (changes, _) = app.pull_all(&b.token, 0).await;
    assert_eq!(upserted(&changes, "households"), vec![HOUSEHOLD_B]);
    assert_eq!(events(&changes), vec!["ev-b-1"]);
    assert!(!changes.iter().any(|c| matches!(c, Change::Tombstone { .. })));
    let hb = changes
        .iter()
        .find_map(|c| match c {
            Change::Upsert { id, fields, .. } if id == HOUSEHOLD_B => Some(fields),
            _ => None,
        })
        .unwrap();
    assert_eq!(hb["address"].value, json!("二村小区3栋2单元501"));
}

#[tokio::test]
async fn the_secretary_may_add_a_building_inside_the_community_but_not_elsewhere() {
    let app = spawn_world().await;
    let (sec, a) = (app.login("secretary").await, app.login("worker_a").await);
    let grid = |id: &str, level: &str, parent: &str| json!({"id": id, "name": "新网格", "level": level, "parent": parent, "code": &id[1..]});
    // Grids are kept through the admin API only, never by a push (permissions.rs says why).
    let res = app
        .push(&sec.token, "sec-phone", vec![put(1, "grids", &grid("g500110001001101", "building", GROUP_A), 0)])
        .await;
    assert_eq!(
        (res.results[0].status, res.results[0].code.as_deref()),
        (MutationStatus::Rejected, Some("grid_admin_only"))
    );
    let add = |parent: &str, level: &str| {
        let body = json!({"name": "新楼", "level": level, "parent": parent, "code": null});
        app.client.post(app.url("/api/v1/admin/grids")).bearer_auth(&sec.token).json(&body).send()
    };
    let res = add(GROUP_A, "building").await.unwrap();
    assert_eq!(res.status(), 201);
    let building = res.json::<Value>().await.unwrap()["grid"]["id"].as_str().unwrap().to_string();
    expect_error(add(TOWN, "community").await.unwrap(), 404, "unknown_grid").await;
    // The new building is inside group A: its worker may register a household there.
    let res = app
        .push(&a.token, "phone-a", vec![put(1, "households", &household_json("hh-in-building", &building), 0)])
        .await;
    assert_eq!(res.results[0].status, MutationStatus::Applied);
}

#[tokio::test]
async fn a_worker_sees_the_staff_above_by_name_but_not_a_sibling_groups_people() {
    let app = spawn_world().await;
    let person = |id: &str, name: &str, grid: &str, role: &str| json!({"id": id, "name": name, "phone": "13800000000", "grid": grid, "roles": [role], "active": true});
    let sec = app.login("secretary").await;
    let res = app
        .push(
            &sec.token,
            "phone-s",
            vec![
                // Account holders' records exist from their accounts on (base: seen them).
                put(1, "people", &person("p-secretary", "刘倩兰", COMMUNITY, "community_secretary"), 1_000_000),
                put(2, "people", &person("p-worker-b", "王二", GROUP_B, "grid_worker"), 1_000_000),
                put(3, "people", &person("p-steward-a", "李大姐", GROUP_A, "red_steward"), 0),
            ],
        )
        .await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{:?}", res.results);

    let a = app.login("worker_a").await;
    let (changes, _) = app.pull_all(&a.token, 0).await;
    let mut people = upserted(&changes, "people");
    people.sort();
    assert_eq!(
        people,
        vec!["p-secretary", "p-steward-a", "p-town", "p-worker-a"],
        "the staff above, group A's own and the worker himself, not group B's worker"
    );

    // The worker still may not change the people above him.
    let res = app
        .push(
            &a.token,
            "phone-a",
            vec![put_fields(1, "people", "p-secretary", json!({"phone": {"value": "13900000000", "base": 1_000_000}}))],
        )
        .await;
    assert_eq!(res.results[0].code.as_deref(), Some("out_of_scope"));
}
