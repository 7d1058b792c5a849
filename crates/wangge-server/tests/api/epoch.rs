//! A push names the epoch it was built for; a server with another epoch (a replaced or
//! restored database) refuses it whole with 409 `epoch_mismatch` and its own epoch, so the
//! device can reset without storing old seqs and bases in the wrong database.

use serde_json::{json, Value};
use wangge_core::sync::{Collection, MutationStatus, PullResponse, PushRequest, Replica};

use crate::helpers::spawn_world;
use crate::world::{household_json, put, GROUP_A};

fn count(app: &crate::helpers::TestApp, sql: &str) -> i64 {
    let conn = app.sql();
    conn.query_row(sql, wangge_server::params![], |r| r.get(0)).unwrap()
}

#[tokio::test]
async fn a_push_naming_another_epoch_is_refused_whole_with_the_servers_epoch() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let epoch = app.pull(&s.token, 0, 1).await.epoch;
    let body = json!({"client_id": "phone-1", "schema_version": 1, "epoch": "an-older-database",
        "mutations": [put(1, "households", &household_json("hh-new", GROUP_A), 0)]});
    let res = app.push_raw(&s.token, &body).await;
    assert_eq!(res.status(), 409);
    let reply: Value = res.json().await.unwrap();
    assert_eq!(reply["error"]["code"], "epoch_mismatch");
    assert_eq!(reply["error"]["epoch"], json!(epoch), "{reply}");
    assert!(reply["error"]["message"].as_str().unwrap().contains(&epoch));
    assert_eq!(count(&app, "SELECT count(*) FROM records WHERE id = 'hh-new'"), 0, "nothing stored");
    assert_eq!(count(&app, "SELECT count(*) FROM clients WHERE client_id = 'phone-1'"), 0, "not even the client");

    // The same batch naming the right epoch, or none, is taken.
    let mut body = body;
    body["epoch"] = json!(epoch);
    let res = app.push_raw(&s.token, &body).await;
    assert_eq!(res.status(), 200);
    body["epoch"] = Value::Null;
    body["mutations"] = json!([put(2, "households", &household_json("hh-new-2", GROUP_A), 0)]);
    assert_eq!(app.push_raw(&s.token, &body).await.status(), 200);
}

#[tokio::test]
async fn a_replica_refused_for_an_old_epoch_resets_and_its_next_push_is_taken() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let mut phone = Replica::new("phone-a");
    // The phone once synced with a database that has since been replaced.
    let old = PullResponse { changes: vec![], cursor: 0, has_more: false, epoch: "old".into() };
    phone.apply_pull(&phone.pull_request(10), &old);
    let record = household_json("hh-new", GROUP_A);
    let fields = record.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
    phone.put(Collection::Households, "hh-new", fields);

    let push: PushRequest = phone.push_batch(10).unwrap();
    assert_eq!(push.epoch.as_deref(), Some("old"));
    let res = app.push_raw(&s.token, &serde_json::to_value(&push).unwrap()).await;
    assert_eq!(res.status(), 409);
    let reply: Value = res.json().await.unwrap();
    phone.on_epoch_mismatch(&push, reply["error"]["epoch"].as_str().unwrap());
    assert_eq!(phone.client_id(), "phone-a-e1", "a fresh client id for the new database");

    let push = phone.push_batch(10).unwrap();
    let res = app.push_raw(&s.token, &serde_json::to_value(&push).unwrap()).await;
    assert_eq!(res.status(), 200);
    let reply = res.json().await.unwrap();
    phone.on_push_response(&push, &reply);
    assert_eq!(reply.results[0].status, MutationStatus::Applied);
    assert!(phone.outbox().is_empty());
}
