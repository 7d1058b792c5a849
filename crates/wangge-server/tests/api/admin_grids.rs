//! The grid tree kept through the admin API: the subtree with what lives in each grid;
//! add (code optional, checked for shape and level), rename, move (the subtree follows:
//! evicted from the old scope's phones, pulled by the new one's), retire (refused while
//! anything lives there, with the counts).

use reqwest::Method;
use serde_json::{json, Value};
use wangge_core::sync::{Change, MutationStatus};

use crate::admin_support::code;
use crate::helpers::spawn_world;
use crate::world::{household_json, put, COMMUNITY, GROUP_A, GROUP_B, HOUSEHOLD_B, TOWN};

fn grid<'a>(list: &'a Value, id: &str) -> &'a Value {
    list["grids"].as_array().unwrap().iter().find(|g| g["id"] == id).unwrap_or_else(|| panic!("{id} in {list}"))
}

#[tokio::test]
async fn the_town_lists_its_subtree_with_what_lives_in_each_grid_and_a_worker_is_refused() {
    let app = spawn_world().await;
    let town = app.login("town").await;
    let (status, list) = app.admin(&town.token, Method::GET, "/grids", None).await;
    assert_eq!(status, 200);
    assert_eq!(list["grids"].as_array().unwrap().len(), 4, "town, community, two groups; not the district: {list}");
    let a = grid(&list, GROUP_A);
    assert_eq!(
        (
            a["households"].clone(),
            a["open_issues"].clone(),
            a["people"].clone(),
            a["children"].clone(),
            a["retired"].clone()
        ),
        (json!(1), json!(1), json!(1), json!(0), json!(false))
    );
    assert_eq!(
        (a["parent"].as_str(), a["code"].as_str(), a["level"].as_str()),
        (Some(COMMUNITY), Some("500110001001001"), Some("group"))
    );
    assert_eq!(grid(&list, COMMUNITY)["children"], 2);
    let worker = app.login("worker_a").await;
    let (status, body) = app.admin(&worker.token, Method::GET, "/grids", None).await;
    assert_eq!((status, code(&body)), (403, "forbidden_role"));
    let (status, body) = app
        .admin(
            &worker.token,
            Method::POST,
            "/grids",
            Some(json!({"name": "新楼", "level": "building", "parent": GROUP_A})),
        )
        .await;
    assert_eq!((status, code(&body)), (403, "forbidden_role"));
}

#[tokio::test]
async fn a_grid_is_added_renamed_and_its_code_checked_for_shape_and_level() {
    let app = spawn_world().await;
    let sec = app.login("secretary").await;
    let add = |body: Value| app.admin(&sec.token, Method::POST, "/grids", Some(body));
    let (status, body) =
        add(json!({"name": "第3居民小组", "level": "group", "parent": COMMUNITY, "code": "500110001001003"})).await;
    assert_eq!(status, 201, "{body}");
    let id = body["grid"]["id"].as_str().unwrap().to_string();
    assert_eq!(
        (body["grid"]["code"].as_str(), body["grid"]["parent"].as_str()),
        (Some("500110001001003"), Some(COMMUNITY))
    );
    let (status, body) = add(json!({"name": "无编码小组", "level": "group", "parent": COMMUNITY})).await;
    assert_eq!((status, body["grid"]["code"].clone()), (201, Value::Null), "the code is optional");
    for (bad, expected) in [
        (json!({"name": "坏", "level": "group", "parent": COMMUNITY, "code": "5001100010010"}), "grid_code_malformed"),
        (
            json!({"name": "坏", "level": "group", "parent": COMMUNITY, "code": "500110001000000"}),
            "grid_code_level_mismatch",
        ),
        (
            json!({"name": "坏", "level": "group", "parent": COMMUNITY, "code": "500110002001004"}),
            "grid_code_not_under_parent",
        ),
        (json!({"name": "坏", "level": "town", "parent": COMMUNITY}), "grid_level_not_below_parent"),
        (json!({"name": "坏", "level": "hamlet", "parent": COMMUNITY}), "unknown_level"),
    ] {
        let (status, body) = add(bad.clone()).await;
        assert_eq!((status, code(&body)), (400, expected), "{bad}");
    }
    let (status, body) = add(json!({"name": "外面", "level": "community", "parent": TOWN})).await;
    assert_eq!((status, code(&body)), (404, "unknown_grid"), "above the secretary's community");
    let (status, body) = app
        .admin(&sec.token, Method::PATCH, &format!("/grids/{id}"), Some(json!({"name": "三组", "code": null})))
        .await;
    assert_eq!((status, body["grid"]["name"].as_str(), body["grid"]["code"].clone()), (200, Some("三组"), Value::Null));
    // The workers of the community's groups do not see it; the secretary's phone pulls it.
    let (changes, _) = app.pull_all(&sec.token, 0).await;
    assert!(changes.iter().any(
        |c| matches!(c, Change::Upsert { id: i, fields, .. } if *i == id && fields["name"].value == json!("三组"))
    ));
    assert_eq!(
        app.sql_count(
            "SELECT count(*) FROM admin_log WHERE action IN ('create_grid', 'update_grid') AND actor = 'secretary'"
        ),
        3
    );
}

#[tokio::test]
async fn a_grid_where_people_still_live_is_not_retired_and_an_empty_one_is_kept_as_retired() {
    let app = spawn_world().await;
    let sec = app.login("secretary").await;
    let (status, body) = app.admin(&sec.token, Method::POST, &format!("/grids/{GROUP_A}/retire"), None).await;
    assert_eq!((status, code(&body)), (409, "grid_not_empty"));
    let e = &body["error"];
    assert_eq!(
        (e["households"].clone(), e["open_issues"].clone(), e["children"].clone(), e["staff"].clone()),
        (json!(1), json!(1), json!(0), json!(1))
    );
    assert_eq!(e["message"], "该网格还有 1 户住户、1 个未结案问题、1 名工作人员,不能撤销");
    let (status, body) = app.admin(&sec.token, Method::POST, &format!("/grids/{COMMUNITY}/retire"), None).await;
    assert_eq!((status, code(&body)), (403, "forbidden_retire"), "her own grid");

    let (_, body) = app
        .admin(&sec.token, Method::POST, "/grids", Some(json!({"name": "空组", "level": "group", "parent": COMMUNITY})))
        .await;
    let empty = body["grid"]["id"].as_str().unwrap().to_string();
    let (status, body) = app.admin(&sec.token, Method::POST, &format!("/grids/{empty}/retire"), None).await;
    assert_eq!((status, body["grid"]["retired"].clone()), (200, json!(true)), "{body}");
    assert_eq!(
        app.sql_count(&format!(
            "SELECT count(*) FROM records WHERE collection = 'grids' AND id = '{empty}' AND deleted = 0"
        )),
        1,
        "kept"
    );
    // Nothing new goes into it: no account, no grid, no household by a push.
    let worker = json!({"username": "worker_x", "display_name": "赵六", "roles": ["grid_worker"], "grid": empty});
    let (status, body) = app.admin(&sec.token, Method::POST, "/users", Some(worker)).await;
    assert_eq!((status, code(&body)), (409, "grid_retired"));
    let (status, body) = app
        .admin(&sec.token, Method::POST, "/grids", Some(json!({"name": "楼", "level": "building", "parent": empty})))
        .await;
    assert_eq!((status, code(&body)), (409, "grid_retired"));
    let res = app.push(&sec.token, "sec-phone", vec![put(1, "households", &household_json("hh-new", &empty), 0)]).await;
    assert_eq!(
        (res.results[0].status, res.results[0].code.as_deref()),
        (MutationStatus::Rejected, Some("grid_retired"))
    );
}

#[tokio::test]
async fn a_moved_grid_takes_its_subtree_from_the_old_scope_to_the_new() {
    let app = spawn_world().await;
    let (town, sec, b) = (app.login("town").await, app.login("secretary").await, app.login("worker_b").await);
    let (_, sec_cursor) = app.pull_all(&sec.token, 0).await;
    let (status, body) = app
        .admin(
            &town.token,
            Method::POST,
            "/grids",
            Some(json!({"name": "新社区", "level": "community", "parent": TOWN, "code": "500110001002000"})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let c2 = body["grid"]["id"].as_str().unwrap().to_string();
    // Group B's code names the old community: moving it needs the code cleared (or changed).
    let (status, body) =
        app.admin(&town.token, Method::PATCH, &format!("/grids/{GROUP_B}"), Some(json!({"parent": c2}))).await;
    assert_eq!((status, code(&body)), (400, "grid_code_not_under_parent"));
    let (status, body) =
        app.admin(&town.token, Method::PATCH, &format!("/grids/{COMMUNITY}"), Some(json!({"parent": GROUP_A}))).await;
    assert_eq!((status, code(&body)), (400, "grid_cycle"));
    let (status, body) = app
        .admin(&town.token, Method::PATCH, &format!("/grids/{GROUP_B}"), Some(json!({"parent": c2, "code": null})))
        .await;
    assert_eq!((status, body["grid"]["parent"].as_str()), (200, Some(c2.as_str())), "{body}");
    // The secretary's phone drops group B's household; the worker keeps it and learns the new chain.
    let (changes, _) = app.pull_all(&sec.token, sec_cursor).await;
    assert!(changes.iter().any(|c| matches!(c, Change::Evict { id, .. } if id == HOUSEHOLD_B)), "{changes:?}");
    let (changes, _) = app.pull_all(&b.token, 0).await;
    assert!(changes.iter().any(|c| matches!(c, Change::Upsert { id, .. } if *id == c2)), "the new community above");
    assert!(changes.iter().any(|c| matches!(c, Change::Upsert { id, .. } if id == HOUSEHOLD_B)));
    let (_, list) = app.admin(&sec.token, Method::GET, "/grids", None).await;
    assert!(list["grids"].as_array().unwrap().iter().all(|g| g["id"] != GROUP_B), "out of her subtree");
}
