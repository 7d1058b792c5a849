//! Accounts kept through the admin API: an account is created with its person record
//! (pulled by the phones in scope), changed through it, reset to a one-time password;
//! a grid worker or an administrator of another town is refused and nothing changes.

use reqwest::Method;
use serde_json::{json, Value};
use wangge_core::sync::Change;

use crate::admin_support::code;
use crate::helpers::{expect_error, spawn_world, upserted};
use crate::world::{COMMUNITY, GROUP_A, GROUP_B, TOWN};

fn new_worker(username: &str, grid: &str) -> Value {
    json!({"username": username, "display_name": "张三", "phone": "13800000001", "roles": ["grid_worker"], "grid": grid})
}

fn person_fields<'a>(
    changes: &'a [Change],
    id: &str,
) -> Option<&'a std::collections::BTreeMap<String, wangge_core::sync::VersionedValue>> {
    changes.iter().rev().find_map(|c| match c {
        Change::Upsert { id: i, fields, .. } if i == id => Some(fields),
        _ => None,
    })
}

#[tokio::test]
async fn the_secretary_creates_a_worker_who_logs_in_and_whom_the_grid_sees() {
    let app = spawn_world().await;
    let sec = app.login("secretary").await;
    let (status, body) = app.admin(&sec.token, Method::POST, "/users", Some(new_worker("worker_c", GROUP_A))).await;
    assert_eq!(status, 201, "{body}");
    let password = body["one_time_password"].as_str().unwrap();
    assert!(password.len() >= 10 && !password.contains(['0', 'O', '1', 'l', 'I']), "{password}");
    let user = &body["user"];
    assert_eq!(
        (user["username"].as_str(), user["display_name"].as_str(), user["phone"].as_str()),
        (Some("worker_c"), Some("张三"), Some("13800000001"))
    );
    assert_eq!(
        (user["grid"].as_str(), user["grid_name"].as_str(), user["roles"].clone()),
        (Some(GROUP_A), Some("一村"), json!(["grid_worker"]))
    );
    assert_eq!(
        (user["disabled"].clone(), user["devices"].clone(), user["last_seen_at"].clone()),
        (json!(false), json!(0), Value::Null)
    );
    let person = user["person_id"].as_str().unwrap().to_string();

    let login = json!({"username": "worker_c", "password": password, "device_name": "p"});
    assert_eq!(app.login_raw(login).await.status(), 200, "the one-time password logs in");
    // The phones of group A (and above) pull the new colleague, with the account's roles.
    let a = app.login("worker_a").await;
    let (changes, _) = app.pull_all(&a.token, 0).await;
    let fields = person_fields(&changes, &person).expect("worker_a pulls the new person record");
    assert_eq!(fields["roles"].value, json!(["grid_worker"]));
    let b = app.login("worker_b").await;
    assert!(!upserted(&app.pull_all(&b.token, 0).await.0, "people").contains(&person.as_str()), "not group B");
    // Attributed, with ids only: no name or phone in the log.
    assert_eq!(app.sql_count("SELECT count(*) FROM admin_log WHERE action = 'create_user' AND actor = 'secretary' AND username = 'worker_c'"), 1);
    assert_eq!(
        app.sql_count("SELECT count(*) FROM admin_log WHERE detail LIKE '%张三%' OR detail LIKE '%1380000%'"),
        0
    );
}

#[tokio::test]
async fn a_new_account_is_refused_with_a_reason_and_nothing_is_stored() {
    let app = spawn_world().await;
    let sec = app.login("secretary").await;
    let with = |f: &dyn Fn(&mut Value)| {
        let mut body = new_worker("worker_c", GROUP_A);
        f(&mut body);
        body
    };
    let cases: Vec<(Value, u16, &str)> = vec![
        (with(&|b| b["username"] = json!("worker_a")), 409, "username_taken"),
        (with(&|b| b["username"] = json!("王五")), 400, "bad_username"),
        (with(&|b| b["grid"] = json!(TOWN)), 404, "unknown_grid"),
        (with(&|b| b["grid"] = json!("g-nowhere")), 404, "unknown_grid"),
        (with(&|b| b["roles"] = json!(["town_staff"])), 403, "forbidden_role"),
        (with(&|b| b["roles"] = json!([])), 400, "roles_empty"),
        (with(&|b| b["roles"] = json!(["king"])), 400, "unknown_role"),
        (with(&|b| b["roles"] = json!(["community_staff"])), 400, "role_grid_level"),
        (with(&|b| b["phone"] = json!("abc")), 400, "phone_invalid_chars"),
    ];
    for (body, status, expected) in cases {
        let (got, answer) = app.admin(&sec.token, Method::POST, "/users", Some(body.clone())).await;
        assert_eq!((got, code(&answer)), (status, expected), "{body} → {answer}");
        assert!(answer["error"]["message"].as_str().is_some_and(|m| !m.is_ascii()), "a Chinese message: {answer}");
    }
    assert_eq!(app.sql_count("SELECT count(*) FROM users"), 4);
    assert_eq!(app.sql_count("SELECT count(*) FROM admin_log"), 0);
    let worker = app.login("worker_a").await;
    let (status, body) = app.admin(&worker.token, Method::POST, "/users", Some(new_worker("worker_c", GROUP_A))).await;
    assert_eq!((status, code(&body)), (403, "forbidden_role"));
    assert_eq!(app.sql_count("SELECT count(*) FROM users"), 4);
}

#[tokio::test]
async fn an_account_is_changed_through_its_person_record_within_the_administrators_reach() {
    let app = spawn_world().await;
    let sec = app.login("secretary").await;
    let a = app.login("worker_a").await;
    let (_, cursor) = app.pull_all(&a.token, 0).await;
    let patch = json!({"display_name": "王小芳", "phone": "13900000002", "grid": GROUP_B});
    let (status, body) = app.admin(&sec.token, Method::PATCH, "/users/worker_a", Some(patch)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["user"]["grid"].as_str(), body["user"]["display_name"].as_str()), (Some(GROUP_B), Some("王小芳")));
    // The worker's own scope moved with her person record: she now holds group B.
    let (changes, _) = app.pull_all(&a.token, 0).await;
    assert!(upserted(&changes, "households").contains(&"hh-b"), "group B's household");
    assert!(!upserted(&changes, "households").contains(&"hh-a"));
    let (changes, _) = app.pull_all(&a.token, cursor).await;
    assert_eq!(person_fields(&changes, "p-worker-a").unwrap()["name"].value, json!("王小芳"));
    // The same values again change nothing: no version, no log row.
    let (versions, logged) =
        (app.sql_count("SELECT value FROM version_counter"), app.sql_count("SELECT count(*) FROM admin_log"));
    let same = json!({"display_name": "王小芳", "grid": GROUP_B, "roles": ["grid_worker"]});
    assert_eq!(app.admin(&sec.token, Method::PATCH, "/users/worker_a", Some(same)).await.0, 200);
    assert_eq!(
        (app.sql_count("SELECT value FROM version_counter"), app.sql_count("SELECT count(*) FROM admin_log")),
        (versions, logged)
    );
    // Clearing the phone; a role above the secretary's is refused and changes nothing.
    let (status, body) = app.admin(&sec.token, Method::PATCH, "/users/worker_a", Some(json!({"phone": null}))).await;
    assert_eq!((status, body["user"]["phone"].clone()), (200, Value::Null));
    let (status, body) =
        app.admin(&sec.token, Method::PATCH, "/users/worker_a", Some(json!({"roles": ["town_staff"]}))).await;
    assert_eq!((status, code(&body)), (403, "forbidden_role"));
    let (status, body) =
        app.admin(&sec.token, Method::PATCH, "/users/town", Some(json!({"display_name": "某人"}))).await;
    assert_eq!((status, code(&body)), (404, "unknown_user"), "above her: as if it did not exist");
    let (status, body) =
        app.admin(&a.token, Method::PATCH, "/users/worker_b", Some(json!({"display_name": "某人"}))).await;
    assert_eq!((status, code(&body)), (403, "forbidden_role"));
    let (_, list) = app.admin(&sec.token, Method::GET, "/users", None).await;
    let worker_a = list["users"].as_array().unwrap().iter().find(|u| u["username"] == "worker_a").unwrap().clone();
    assert_eq!(
        (worker_a["roles"].clone(), worker_a["display_name"].clone()),
        (json!(["grid_worker"]), json!("王小芳"))
    );
    // A push may not change an account holder's roles or grid: administration does.
    let res = app
        .push(
            &sec.token,
            "sec-phone",
            vec![crate::world::put_fields(
                1,
                "people",
                "p-worker-a",
                json!({"grid": {"value": COMMUNITY, "base": 1_000_000}}),
            )],
        )
        .await;
    assert_eq!(res.results[0].code.as_deref(), Some("roles_from_account"));
}

#[tokio::test]
async fn a_reset_password_is_shown_once_and_signs_out_every_device() {
    let app = spawn_world().await;
    let sec = app.login("secretary").await;
    let phone = app.login("worker_b").await;
    let (status, body) = app.admin(&sec.token, Method::POST, "/users/worker_b/reset-password", None).await;
    assert_eq!(status, 200, "{body}");
    let password = body["one_time_password"].as_str().unwrap();
    assert!(password.len() >= 10);
    expect_error(app.pull_raw(&phone.token, "").await, 401, "token_revoked").await;
    let login = json!({"username": "worker_b", "password": password, "device_name": "p"});
    assert_eq!(app.login_raw(login).await.status(), 200);
    let (status, body) = app.admin(&sec.token, Method::POST, "/users/town/reset-password", None).await;
    assert_eq!((status, code(&body)), (404, "unknown_user"));
}

#[tokio::test]
async fn a_disabled_account_stops_syncing_on_every_device_at_once() {
    let app = spawn_world().await;
    let sec = app.login("secretary").await;
    let (one, two) = (app.login("worker_b").await, app.login("worker_b").await);
    let (status, _) = app.admin(&sec.token, Method::POST, "/users/worker_b/disable", None).await;
    assert_eq!(status, 200);
    for s in [&one, &two] {
        expect_error(app.pull_raw(&s.token, "").await, 401, "account_disabled").await;
        let body = json!({"client_id": "c", "schema_version": wangge_core::SCHEMA_VERSION, "mutations": []});
        expect_error(app.push_raw(&s.token, &body).await, 401, "account_disabled").await;
    }
    let (_, list) = app.admin(&sec.token, Method::GET, "/users", None).await;
    assert!(list["users"].as_array().unwrap().iter().any(|u| u["username"] == "worker_b" && u["disabled"] == true));
}

#[tokio::test]
async fn a_town_administrator_reaches_nothing_in_another_town() {
    let app = spawn_world().await;
    app.add_other_town();
    let t2 = app.login("town2").await;
    let (status, list) = app.admin(&t2.token, Method::GET, "/users", None).await;
    assert_eq!((status, list["users"].as_array().unwrap().len()), (200, 1), "only town2 itself: {list}");
    let calls: Vec<(Method, &str, Option<Value>, u16, &str)> = vec![
        (Method::POST, "/users", Some(new_worker("worker_c", GROUP_A)), 404, "unknown_grid"),
        (Method::PATCH, "/users/worker_a", Some(json!({"display_name": "某人"})), 404, "unknown_user"),
        (Method::POST, "/users/worker_a/reset-password", None, 404, "unknown_user"),
        (Method::POST, "/users/worker_a/disable", None, 404, "unknown_user"),
        (Method::PATCH, "/grids/g500110001001001", Some(json!({"name": "改名"})), 404, "unknown_grid"),
        (Method::POST, "/grids/g500110001001002/retire", None, 404, "unknown_grid"),
        (
            Method::POST,
            "/grids",
            Some(json!({"name": "新组", "level": "group", "parent": COMMUNITY})),
            404,
            "unknown_grid",
        ),
        (Method::POST, "/handover", Some(json!({"from": "worker_a", "to": "worker_b"})), 404, "unknown_user"),
    ];
    let versions = app.sql_count("SELECT value FROM version_counter");
    for (method, path, body, status, expected) in calls {
        let (got, answer) = app.admin(&t2.token, method.clone(), path, body).await;
        assert_eq!((got, code(&answer)), (status, expected), "{method} {path} → {answer}");
    }
    assert_eq!(app.sql_count("SELECT value FROM version_counter"), versions, "nothing entered the feed");
    assert_eq!(app.sql_count("SELECT count(*) FROM admin_log"), 0);
    let a = app.login("worker_a").await;
    assert_eq!(app.pull_raw(&a.token, "").await.status(), 200, "worker_a untouched");
}
