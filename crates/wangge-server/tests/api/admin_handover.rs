//! Handover: the departing worker's grid and open issues go to a successor in one step,
//! and a dead phone's export file is pushed under its author's name, attributed as handed
//! over by the administrator, and changes nothing the second time.

use reqwest::Method;
use serde_json::{json, Value};
use wangge_core::sync::Change;

use crate::admin_support::code;
use crate::helpers::spawn_world;
use crate::world::{append, event_json, household_json, put, t0, GROUP_A, GROUP_B, ISSUE_A};

/// worker_a accepts issue A and assigns it to herself.
async fn worker_a_holds_issue_a(app: &crate::helpers::TestApp) {
    let a = app.login("worker_a").await;
    let ev = |id: &str, at, kind| event_json(id, ISSUE_A, t0() + at, "p-worker-a", "grid_worker", kind);
    let res = app
        .push(
            &a.token,
            "phone-a",
            vec![
                append(1, ev("e-acc", 1, json!({"type": "accepted"}))),
                append(2, ev("e-asg", 2, json!({"type": "assigned", "assignee": "p-worker-a"}))),
            ],
        )
        .await;
    assert!(res.results.iter().all(|r| r.code.is_none()), "{:?}", res.results);
}

#[tokio::test]
async fn the_successor_takes_the_grid_and_the_open_issues_in_one_step() {
    let app = spawn_world().await;
    worker_a_holds_issue_a(&app).await;
    let sec = app.login("secretary").await;
    let body = Some(json!({"from": "worker_a", "to": "worker_b"}));
    let (status, done) = app.admin(&sec.token, Method::POST, "/handover", body).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(
        (
            done["issues_reassigned"].clone(),
            done["households"].clone(),
            done["grid"].as_str(),
            done["grid_moved"].clone()
        ),
        (json!(1), json!(1), Some(GROUP_A), json!(true))
    );
    // worker_b now holds group A, and issue A's history says the secretary assigned it to her.
    let b = app.login("worker_b").await;
    let (changes, _) = app.pull_all(&b.token, 0).await;
    let reassigned = changes.iter().find_map(|c| match c {
        Change::Event { event, .. } if event.issue.as_str() == ISSUE_A && event.actor.as_str() == "p-secretary" => {
            Some(event)
        }
        _ => None,
    });
    let event = reassigned.expect("the reassignment reaches the successor's phone");
    assert_eq!(serde_json::to_value(&event.kind).unwrap(), json!({"type": "assigned", "assignee": "p-worker-b"}));
    assert!(
        changes.iter().any(|c| matches!(c, Change::Upsert { id, .. } if id == "hh-a")),
        "group A's households to visit"
    );
    assert_eq!(app.sql_count("SELECT count(*) FROM admin_log WHERE action = 'handover' AND username = 'worker_a' AND target = 'worker_b'"), 1);
    // Again: nothing left to reassign.
    let (_, again) =
        app.admin(&sec.token, Method::POST, "/handover", Some(json!({"from": "worker_a", "to": "worker_b"}))).await;
    assert_eq!(again["issues_reassigned"], 0);
}

#[tokio::test]
async fn a_handover_is_refused_to_a_worker_and_for_accounts_out_of_reach() {
    let app = spawn_world().await;
    worker_a_holds_issue_a(&app).await;
    let (worker, sec) = (app.login("worker_b").await, app.login("secretary").await);
    let versions = app.sql_count("SELECT value FROM version_counter");
    let (status, body) =
        app.admin(&worker.token, Method::POST, "/handover", Some(json!({"from": "worker_a", "to": "worker_b"}))).await;
    assert_eq!((status, code(&body)), (403, "forbidden_role"));
    let (status, body) =
        app.admin(&sec.token, Method::POST, "/handover", Some(json!({"from": "worker_a", "to": "town"}))).await;
    assert_eq!((status, code(&body)), (404, "unknown_user"));
    let (status, body) =
        app.admin(&sec.token, Method::POST, "/handover", Some(json!({"from": "worker_a", "to": "worker_a"}))).await;
    assert_eq!((status, code(&body)), (400, "same_user"));
    assert_eq!(app.sql_count("SELECT value FROM version_counter"), versions, "nothing changed");
}

/// A phone's export file as `src/store/export.rs` writes it, with this outbox.
fn export_file(user: &str, client: &str, epoch: &str, outbox: Vec<Value>) -> Value {
    json!({
        "format": "wangge-export", "version": 1, "schema": 3, "exported_at": 1.0, "exported_by": user,
        "stores": {}, "outbox": outbox, "meta": {"client_id": client, "epoch": epoch, "next_seq": outbox.len() + 1}
    })
}

#[tokio::test]
async fn a_dead_phones_file_is_pushed_under_its_author_and_a_second_import_changes_nothing() {
    let app = spawn_world().await;
    let sec = app.login("secretary").await;
    let epoch = app.pull(&sec.token, 0, 1).await.epoch;
    let outbox = vec![
        put(1, "households", &household_json("hh-dead-phone", GROUP_A), 0),
        put(2, "households", &household_json("hh-elsewhere", "g-nowhere"), 0),
    ];
    let file = export_file("worker_a", "dead-phone", &epoch, outbox);
    let (status, body) = app.admin(&sec.token, Method::POST, "/handover/import", Some(file.clone())).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!((body["applied"].clone(), body["conflicts"].clone()), (json!(1), json!(0)));
    assert_eq!((body["refused"][0]["seq"].clone(), body["refused"].as_array().unwrap().len()), (json!(2), 1));
    // Pushed as worker_a's, attributed as handed over by the secretary.
    assert_eq!(
        app.sql_count("SELECT count(*) FROM clients WHERE client_id = 'dead-phone' AND username = 'worker_a'"),
        1
    );
    assert_eq!(
        app.sql_count("SELECT count(*) FROM record_fields WHERE id = 'hh-dead-phone' AND writer = 'dead-phone'"),
        4,
        "id, grid, address, tags"
    );
    assert_eq!(
        app.sql_count("SELECT count(*) FROM handed_over WHERE client_id = 'dead-phone' AND handed_by = 'secretary'"),
        2
    );
    let versions = app.sql_count("SELECT value FROM version_counter");
    let (status, again) = app.admin(&sec.token, Method::POST, "/handover/import", Some(file.clone())).await;
    assert_eq!((status, again), (200, body), "the same answer");
    assert_eq!(app.sql_count("SELECT value FROM version_counter"), versions, "and nothing changed");
    assert_eq!(app.sql_count("SELECT count(*) FROM admin_log WHERE action = 'handover_import'"), 1);
    let a = app.login("worker_a").await;
    let (changes, _) = app.pull_all(&a.token, 0).await;
    assert!(changes.iter().any(|c| matches!(c, Change::Upsert { id, .. } if id == "hh-dead-phone")));
}

#[tokio::test]
async fn only_an_administrator_over_the_author_may_import_a_file() {
    let app = spawn_world().await;
    app.add_other_town();
    let epoch = app.pull(&app.login("town").await.token, 0, 1).await.epoch;
    let file =
        export_file("worker_a", "dead-phone", &epoch, vec![put(1, "households", &household_json("hh-x", GROUP_B), 0)]);
    let worker = app.login("worker_b").await;
    let (status, body) = app.admin(&worker.token, Method::POST, "/handover/import", Some(file.clone())).await;
    assert_eq!((status, code(&body)), (403, "forbidden_role"));
    let t2 = app.login("town2").await;
    let (status, body) = app.admin(&t2.token, Method::POST, "/handover/import", Some(file)).await;
    assert_eq!((status, code(&body)), (404, "unknown_user"));
    let sec = app.login("secretary").await;
    let (status, body) =
        app.admin(&sec.token, Method::POST, "/handover/import", Some(json!({"format": "something else"}))).await;
    assert_eq!((status, code(&body)), (400, "not_an_export"));
    assert_eq!(app.sql_count("SELECT count(*) FROM clients WHERE client_id = 'dead-phone'"), 0, "nothing stored");
}
