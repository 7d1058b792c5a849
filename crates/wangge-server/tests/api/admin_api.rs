//! The administration API (`/api/v1/admin/...`): only administering roles may call it, each
//! only for the accounts in their part of the grid tree; a lost phone is cut off by
//! revoking its device or resetting the password, and every action is attributed.

use serde_json::{json, Value};
use wangge_core::sync::Change;

use crate::helpers::{expect_error, spawn_world, Session, TestApp};
use crate::world::{self, COMMUNITY, GROUP_A};

impl TestApp {
    async fn admin_get(&self, token: &str, path: &str) -> reqwest::Response {
        self.client.get(self.url(&format!("/api/v1/admin{path}"))).bearer_auth(token).send().await.unwrap()
    }

    async fn admin_post(&self, token: &str, path: &str, body: Option<Value>) -> reqwest::Response {
        let req = self.client.post(self.url(&format!("/api/v1/admin{path}"))).bearer_auth(token);
        let req = match body {
            Some(b) => req.json(&b),
            None => req,
        };
        req.send().await.unwrap()
    }

    async fn ok_json(&self, res: reqwest::Response) -> Value {
        let status = res.status();
        let body: Value = res.json().await.unwrap();
        assert_eq!(status, 200, "{body}");
        body
    }
}

fn usernames(body: &Value) -> Vec<&str> {
    body["users"].as_array().unwrap().iter().map(|u| u["username"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn a_grid_worker_gets_403_from_every_admin_call() {
    let app = spawn_world().await;
    let (worker, other) = (app.login("worker_a").await, app.login("worker_b").await);
    let t = &worker.token;
    expect_error(app.admin_get(t, "/users").await, 403, "forbidden_role").await;
    expect_error(app.admin_get(t, "/users/worker_b/devices").await, 403, "forbidden_role").await;
    expect_error(app.admin_post(t, "/users/worker_b/disable", None).await, 403, "forbidden_role").await;
    expect_error(app.admin_post(t, "/users/worker_a/disable", None).await, 403, "forbidden_role").await;
    expect_error(app.admin_post(t, "/users/worker_b/enable", None).await, 403, "forbidden_role").await;
    let body = Some(json!({"password": "a long enough password"}));
    expect_error(app.admin_post(t, "/users/worker_b/password", body).await, 403, "forbidden_role").await;
    expect_error(app.admin_post(t, &format!("/devices/{}/revoke", other.device_id), None).await, 403, "forbidden_role")
        .await;
    assert_eq!(app.pull_raw(&other.token, "").await.status(), 200, "nothing happened to worker_b");
    let conn = app.sql();
    let logged: i64 = conn.query_row("SELECT count(*) FROM admin_log", wangge_server::params![], |r| r.get(0)).unwrap();
    assert_eq!(logged, 0);
}

#[tokio::test]
async fn the_town_lists_its_users_and_revokes_a_lost_phone() {
    let app = spawn_world().await;
    let town = app.login("town").await;
    let (lost, kept) = (app.login("worker_a").await, app.login("worker_a").await);

    let body = app.ok_json(app.admin_get(&town.token, "/users").await).await;
    assert_eq!(usernames(&body), ["secretary", "town", "worker_a", "worker_b"]);
    let worker_a = &body["users"][2];
    assert_eq!((worker_a["grid"].as_str(), worker_a["grid_name"].as_str()), (Some(GROUP_A), Some("一村")));
    assert_eq!(worker_a["roles"], json!(["grid_worker"]));
    assert_eq!((worker_a["disabled"].clone(), worker_a["devices"].clone()), (json!(false), json!(2)));
    assert_eq!((worker_a["display_name"].as_str(), worker_a["phone"].clone()), (Some("测试worker_a"), Value::Null));
    assert_eq!(worker_a["person_id"], "p-worker-a");
    assert!(worker_a["last_seen_at"].as_i64().is_some());
    assert!(worker_a.get("password_hash").is_none());

    let body = app.ok_json(app.admin_get(&town.token, "/users/worker_a/devices").await).await;
    let devices = body["devices"].as_array().unwrap();
    assert_eq!(devices.len(), 2);
    assert!(devices
        .iter()
        .all(|d| d["revoked_at"].is_null() && d["expired"] == json!(false) && d.get("token").is_none()));
    assert!(!body.to_string().contains(&lost.token));

    let path = format!("/devices/{}/revoke", lost.device_id);
    let body = app.ok_json(app.admin_post(&town.token, &path, None).await).await;
    assert_eq!(body, json!({"device_id": lost.device_id, "username": "worker_a", "revoked": true, "changed": true}));
    expect_error(app.pull_raw(&lost.token, "").await, 401, "token_revoked").await;
    assert_eq!(app.pull_raw(&kept.token, "").await.status(), 200);
    let body = app.ok_json(app.admin_get(&town.token, "/users/worker_a/devices").await).await;
    assert_eq!(body["devices"].as_array().unwrap().iter().filter(|d| d["revoked_at"].is_number()).count(), 1);

    let conn = app.sql();
    let row: (String, String, String, String, String, String) = conn
        .query_row(
            "SELECT via, actor, actor_device, action, username, device_id FROM admin_log",
            wangge_server::params![],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
        )
        .unwrap();
    let expected = ("api", "town", town.device_id.as_str(), "revoke_device", "worker_a", lost.device_id.as_str());
    assert_eq!(
        (row.0.as_str(), row.1.as_str(), row.2.as_str(), row.3.as_str(), row.4.as_str(), row.5.as_str()),
        expected
    );
}

#[tokio::test]
async fn an_administrator_disables_enables_and_resets_a_password() {
    let app = spawn_world().await;
    let secretary = app.login("secretary").await;
    let t = &secretary.token;
    let phone: Session = app.login("worker_b").await;

    let body = app.ok_json(app.admin_post(t, "/users/worker_b/disable", None).await).await;
    assert_eq!(body, json!({"username": "worker_b", "active": false, "changed": true}));
    expect_error(app.pull_raw(&phone.token, "").await, 401, "account_disabled").await;
    let login = json!({"username": "worker_b", "password": world::PASSWORD, "device_name": "p"});
    expect_error(app.login_raw(login.clone()).await, 403, "account_disabled").await;
    let users = app.ok_json(app.admin_get(t, "/users").await).await;
    let person = users["users"].as_array().unwrap().iter().find(|u| u["username"] == "worker_b").unwrap().clone();
    assert_eq!(person["disabled"], true);
    // Every phone in scope learns that the person has left their post (the record stays).
    let active = |changes: Vec<Change>| {
        changes.iter().rev().find_map(|c| match c {
            Change::Upsert { id, fields, .. } if id == person["person_id"].as_str().unwrap() => {
                Some(fields["active"].value.clone())
            }
            _ => None,
        })
    };
    assert_eq!(active(app.pull_all(t, 0).await.0), Some(json!(false)));
    let body = app.ok_json(app.admin_post(t, "/users/worker_b/enable", None).await).await;
    assert_eq!(active(app.pull_all(t, 0).await.0), Some(json!(true)));
    assert_eq!(body, json!({"username": "worker_b", "active": true, "changed": true}));
    assert_eq!(app.pull_raw(&phone.token, "").await.status(), 200);
    expect_error(app.admin_post(t, "/users/secretary/disable", None).await, 400, "cannot_disable_self").await;

    let short = Some(json!({"password": "1234567"}));
    expect_error(app.admin_post(t, "/users/worker_b/password", short).await, 400, "password_too_short").await;
    assert_eq!(app.pull_raw(&phone.token, "").await.status(), 200, "a refused reset changes nothing");
    let body = Some(json!({"password": "新的密码 long enough"}));
    let body = app.ok_json(app.admin_post(t, "/users/worker_b/password", body).await).await;
    assert_eq!(body, json!({"username": "worker_b", "devices_signed_out": 1}));
    expect_error(app.pull_raw(&phone.token, "").await, 401, "token_revoked").await;
    expect_error(app.login_raw(login).await, 401, "invalid_credentials").await;
    let new = json!({"username": "worker_b", "password": "新的密码 long enough", "device_name": "p"});
    assert_eq!(app.login_raw(new).await.status(), 200);

    let conn = app.sql();
    let mut stmt = conn.prepare("SELECT actor || ':' || action || ':' || username FROM admin_log ORDER BY id").unwrap();
    let log: Vec<String> =
        stmt.query_map(wangge_server::params![], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
    assert_eq!(log, ["secretary:disable:worker_b", "secretary:enable:worker_b", "secretary:set_password:worker_b"]);
}

#[tokio::test]
async fn the_secretary_cannot_manage_the_town_user_and_learns_no_more_than_for_a_stranger() {
    let app = spawn_world().await;
    let secretary = app.login("secretary").await;
    let town = app.login("town").await;
    let t = &secretary.token;
    assert_eq!(secretary.body["user"]["home_grid"], COMMUNITY);

    let body = app.ok_json(app.admin_get(t, "/users").await).await;
    assert_eq!(usernames(&body), ["secretary", "worker_a", "worker_b"], "her community only");
    for path in ["/users/town/disable", "/users/town/enable"] {
        let outside = expect_error(app.admin_post(t, path, None).await, 404, "unknown_user").await;
        let stranger =
            expect_error(app.admin_post(t, &path.replace("town", "nobody"), None).await, 404, "unknown_user").await;
        assert_eq!(outside, stranger);
    }
    let body = Some(json!({"password": "a long enough password"}));
    expect_error(app.admin_post(t, "/users/town/password", body).await, 404, "unknown_user").await;
    expect_error(app.admin_get(t, "/users/town/devices").await, 404, "unknown_user").await;
    let revoke = format!("/devices/{}/revoke", town.device_id);
    let outside = expect_error(app.admin_post(t, &revoke, None).await, 404, "unknown_device").await;
    assert_eq!(
        outside,
        expect_error(app.admin_post(t, "/devices/nope/revoke", None).await, 404, "unknown_device").await
    );

    expect_error(app.admin_post(t, "/users/%FF/disable", None).await, 400, "bad_path").await;

    assert_eq!(app.pull_raw(&town.token, "").await.status(), 200, "the town official is untouched");
    assert_eq!(
        app.login_raw(json!({"username": "town", "password": world::PASSWORD, "device_name": "p"})).await.status(),
        200
    );
}
