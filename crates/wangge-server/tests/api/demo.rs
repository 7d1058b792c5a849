//! First start: an empty database receives the core's demo data and the three demo
//! accounts, each of whom sees only their own part of the tree.

use serde_json::json;
use wangge_core::sync::Change;
use wangge_demo::DEMO_ACCOUNTS;
use wangge_server::demo::{seed_if_empty, DEMO_PASSWORD};

use crate::helpers::{spawn_demo, upserted};

#[tokio::test]
async fn an_empty_database_gets_the_demo_and_its_accounts() {
    let app = spawn_demo().await;
    let mut seen = Vec::new();
    for account in DEMO_ACCOUNTS {
        let body = json!({"username": account.username, "password": DEMO_PASSWORD, "device_name": "demo"});
        let res = app.login_raw(body).await;
        assert_eq!(res.status(), 200, "{}", account.username);
        let login: serde_json::Value = res.json().await.unwrap();
        assert_eq!(login["user"]["person_id"], account.person_id);
        let token = login["token"].as_str().unwrap().to_string();
        let (changes, _) = app.pull_all(&token, 0).await;
        assert!(changes.iter().any(|c| matches!(c, Change::Event { .. })), "{} sees issue history", account.username);
        seen.push(upserted(&changes, "households").len());
    }
    // Worker ⊂ secretary ⊆ town official (the demo town's households all sit in the
    // secretary's community).
    assert!(0 < seen[0] && seen[0] < seen[1] && seen[1] <= seen[2], "{seen:?}");
    // A second start does not load it again.
    assert!(seed_if_empty(&app.db()).unwrap().is_empty());
}
