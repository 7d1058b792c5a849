//! `GET /api/v1/openapi.json`: served to anyone, and real answers of every shape (each kind
//! of pulled change, push results carrying `current`, errors with `epoch` and
//! `retry_after`) validate against the schema it documents for their status. Schemathesis
//! checks the same end to end with generated requests (`cargo xtask api-fuzz`); these pin
//! the shapes its random requests rarely reach.

use reqwest::Response;
use serde_json::{json, Value};

use crate::helpers::{spawn_demo, spawn_world, TestApp};
use crate::world::{append, delete, event_json, put_fields, t0, GROUP_B, HOUSEHOLD_A, ISSUE_A};

/// The served document, and the checks against it.
struct Doc(Value);

impl Doc {
    async fn fetch(app: &TestApp) -> Doc {
        let res = app.get("/api/v1/openapi.json").await;
        assert_eq!(res.status(), 200, "served without a token");
        let ct = res.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ct.starts_with("application/json"), "{ct}");
        Doc(res.json().await.expect("the document is JSON"))
    }

    /// Reads `res` (an answer to `method path`) and checks its body against the schema
    /// the document gives for its status. Returns the status and the body.
    async fn check(&self, method: &str, path: &str, res: Response) -> (u16, Value) {
        let status = res.status().as_u16();
        let body: Value = res.json().await.expect("every API answer is JSON");
        let errors = self.errors(method, path, status, &body);
        assert!(errors.is_empty(), "{method} {path} {status} does not match the document: {errors:#?}\n{body}");
        (status, body)
    }

    /// How `body` fails the schema documented for `status` of `method path`, which must
    /// be documented.
    fn errors(&self, method: &str, path: &str, status: u16, body: &Value) -> Vec<String> {
        let documented = &self.0["paths"][path][method]["responses"][status.to_string()];
        let schema = &documented["content"]["application/json"]["schema"];
        assert!(!schema.is_null(), "{method} {path}: status {status} is not documented: {body}");
        // The operation's schema refers to the document's components: validate from a root
        // that carries them.
        let root = json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "components": self.0["components"],
            "allOf": [schema],
        });
        let validator = jsonschema::validator_for(&root).expect("the schema compiles");
        validator.iter_errors(body).map(|e| format!("{e} at {}", e.instance_path())).collect()
    }

    async fn login(&self, app: &TestApp, username: &str, password: &str) -> (u16, Value) {
        let body = json!({"username": username, "password": password, "device_name": "schema test"});
        self.check("post", "/api/v1/auth/login", app.login_raw(body).await).await
    }

    async fn push(&self, app: &TestApp, token: &str, client: &str, mutations: Vec<Value>) -> (u16, Value) {
        let body = json!({"client_id": client, "schema_version": wangge_core::SCHEMA_VERSION, "mutations": mutations});
        self.check("post", "/api/v1/sync/push", app.push_raw(token, &body).await).await
    }

    /// Every page from the start, each checked; returns the changes.
    async fn pull_all(&self, app: &TestApp, token: &str) -> Vec<Value> {
        let (mut cursor, mut changes) = (0, Vec::new());
        loop {
            let res = app.pull_raw(token, &format!("?cursor={cursor}&limit=1000")).await;
            let (status, page) = self.check("get", "/api/v1/sync/pull", res).await;
            assert_eq!(status, 200, "{page}");
            changes.extend(page["changes"].as_array().unwrap().iter().cloned());
            cursor = page["cursor"].as_u64().unwrap();
            if page["has_more"] == false {
                return changes;
            }
        }
    }
}

fn kinds(changes: &[Value]) -> Vec<&str> {
    let mut kinds: Vec<&str> = changes.iter().map(|c| c["kind"].as_str().unwrap()).collect();
    kinds.sort();
    kinds.dedup();
    kinds
}

#[tokio::test]
async fn the_document_is_open_api_3_1_with_the_bearer_token_declared() {
    let app = spawn_world().await;
    let doc = Doc::fetch(&app).await;
    assert_eq!(doc.0["openapi"], "3.1.0");
    assert_eq!(doc.0["components"]["securitySchemes"]["device_token"]["scheme"], "bearer");
    let pull = &doc.0["paths"]["/api/v1/sync/pull"]["get"];
    assert_eq!(pull["security"], json!([{"device_token": []}]));
    let (status, _) = doc.check("get", "/api/v1/health", app.get("/api/v1/health").await).await;
    assert_eq!(status, 200);
    // The check has teeth: a role under its Rust name, or an event without its type, fails.
    let login = |role: &str| {
        let user = json!({"person_id": "p1", "name": "张三", "roles": [role], "home_grid": "g1"});
        doc.errors("post", "/api/v1/auth/login", 200, &json!({"device_id": "d1", "token": "t", "user": user}))
    };
    assert!(login("grid_worker").is_empty() && !login("GridWorker").is_empty());
    let pull = |kind: Value| {
        let event =
            json!({"id": "e1", "issue": "i1", "at": 0, "actor": "p1", "actor_role": "grid_worker", "kind": kind});
        let change = json!({"kind": "event", "version": 1, "event": event});
        doc.errors(
            "get",
            "/api/v1/sync/pull",
            200,
            &json!({"changes": [change], "cursor": 1, "has_more": false, "epoch": "e"}),
        )
    };
    assert!(pull(json!({"type": "verified", "note": null})).is_empty() && !pull(json!({"note": null})).is_empty());
}

#[tokio::test]
async fn a_demo_workers_login_and_whole_first_pull_match_the_document() {
    let app = spawn_demo().await;
    let doc = Doc::fetch(&app).await;
    let (status, session) = doc.login(&app, "gridworker", "wangge-demo").await;
    assert_eq!(status, 200);
    let changes = doc.pull_all(&app, session["token"].as_str().unwrap()).await;
    assert_eq!(kinds(&changes), ["event", "upsert"]);
    let mut events: Vec<&str> = changes.iter().filter_map(|c| c["event"]["kind"]["type"].as_str()).collect();
    events.sort();
    events.dedup();
    assert!(events.len() >= 8, "the demo holds most kinds of event: {events:?}");
}

#[tokio::test]
async fn conflicts_tombstones_evictions_and_refusals_with_the_current_record_match_the_document() {
    let app = spawn_world().await;
    let doc = Doc::fetch(&app).await;
    let token = |s: &Value| s["token"].as_str().unwrap().to_string();
    let worker = token(&doc.login(&app, "worker_a", "correct horse").await.1);
    let secretary = token(&doc.login(&app, "secretary", "correct horse").await.1);
    doc.pull_all(&app, &worker).await;

    // Two writes from one old base: the second is kept as a conflict and answered with the
    // server's record (`current`).
    let write = |seq, v: &str| put_fields(seq, "households", HOUSEHOLD_A, json!({"address": {"value": v, "base": 1}}));
    doc.push(&app, &secretary, "sec-phone", vec![write(1, "新地址1号")]).await;
    let (_, res) = doc.push(&app, &worker, "phone-a", vec![write(1, "新地址2号")]).await;
    assert_eq!(res["results"][0]["status"], "conflict");
    assert_eq!(res["results"][0]["current"]["kind"], "upsert");
    // A refused delete, a comment and a verification without a note.
    let comment = event_json(
        "ev-c",
        ISSUE_A,
        t0() + 10,
        "p-worker-a",
        "grid_worker",
        json!({"type": "commented", "text": "已告知居民"}),
    );
    let (_, res) = doc
        .push(&app, &worker, "phone-a", vec![delete(2, "households", HOUSEHOLD_A, 1_000_000), append(3, comment)])
        .await;
    assert_eq!(res["results"][0]["code"], "delete_not_allowed");
    assert_eq!(res["results"][1]["status"], "applied");

    // The conflict is settled; the worker's household moves away (an eviction for them).
    let settled: Vec<Value> = doc.pull_all(&app, &secretary).await;
    let conflict = settled.iter().find(|c| c["kind"] == "conflict").expect("a conflict is pulled");
    let settle = json!({"seq": 2, "op": "settle_conflict", "conflict": conflict["conflict"]["id"]});
    let move_it = put_fields(3, "households", HOUSEHOLD_A, json!({"grid": {"value": GROUP_B, "base": 1_000_000}}));
    let (_, res) = doc.push(&app, &secretary, "sec-phone", vec![settle, move_it]).await;
    assert!(res["results"].as_array().unwrap().iter().all(|r| r["status"] == "applied"), "{res}");
    // A delete the secretary may make: a tombstone.
    let (_, res) = doc.push(&app, &secretary, "sec-phone", vec![delete(4, "households", "hh-b", 1_000_000)]).await;
    assert_eq!(res["results"][0]["status"], "applied");

    // The conflict went with the household, out of the worker's scope.
    assert_eq!(kinds(&doc.pull_all(&app, &worker).await), ["event", "evict", "upsert"]);
    assert_eq!(kinds(&doc.pull_all(&app, &secretary).await), ["conflict", "event", "tombstone", "upsert"]);
}

#[tokio::test]
async fn error_answers_match_the_document_with_their_epoch_and_retry_after() {
    let app = spawn_world().await;
    let doc = Doc::fetch(&app).await;
    let (_, session) = doc.login(&app, "worker_a", "correct horse").await;
    let token = session["token"].as_str().unwrap();
    let (status, _) = doc.check("get", "/api/v1/sync/pull", app.pull_raw(token, "?cursor=-1").await).await;
    assert_eq!(status, 400);
    let (status, _) = doc.check("get", "/api/v1/sync/pull", app.pull_raw("not-a-token", "").await).await;
    assert_eq!(status, 401);

    let gap = put_fields(5, "households", HOUSEHOLD_A, json!({"address": {"value": "三号", "base": 1}}));
    assert_eq!(doc.push(&app, token, "phone-a", vec![gap]).await.1["error"]["code"], "seq_gap");
    let stale = json!({"client_id": "phone-a", "schema_version": 1, "mutations": [], "epoch": "another-database"});
    let (status, body) = doc.check("post", "/api/v1/sync/push", app.push_raw(token, &stale).await).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("epoch_mismatch")));
    assert!(body["error"]["epoch"].is_string());

    // Wrong passwords until the username is throttled: 401s, then a 429 with retry_after.
    let mut last = (0, Value::Null);
    for _ in 0..6 {
        last = doc.login(&app, "worker_b", "wrong").await;
    }
    assert_eq!((last.0, last.1["error"]["code"].as_str()), (429, Some("too_many_attempts")));
    assert!(last.1["error"]["retry_after"].as_u64().unwrap() >= 1);
    let huge = json!({"username": "x".repeat(20_000), "password": "p", "device_name": "d"});
    assert_eq!(doc.check("post", "/api/v1/auth/login", app.login_raw(huge).await).await.0, 413);

    for expected in [json!("logged_out"), json!("token_revoked")] {
        let res = app.client.post(app.url("/api/v1/auth/logout")).bearer_auth(token).send().await.unwrap();
        let (_, body) = doc.check("post", "/api/v1/auth/logout", res).await;
        assert_eq!(body.get("status").unwrap_or(&body["error"]["code"]), &expected);
    }
}

#[tokio::test]
async fn administration_answers_match_the_document() {
    let app = spawn_world().await;
    let doc = Doc::fetch(&app).await;
    let sec = app.login("secretary").await;
    let call = |method: reqwest::Method, path: &str, body: Option<Value>| {
        let req = app.client.request(method, app.url(&format!("/api/v1{path}"))).bearer_auth(&sec.token);
        match body {
            Some(b) => req.json(&b).send(),
            None => req.send(),
        }
    };
    use reqwest::Method as M;
    let worker = json!({"username": "worker_c", "display_name": "张三", "phone": null, "roles": ["grid_worker"], "grid": GROUP_B});
    let (status, _) = doc
        .check("post", "/api/v1/admin/users", call(M::POST, "/admin/users", Some(worker.clone())).await.unwrap())
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        doc.check("post", "/api/v1/admin/users", call(M::POST, "/admin/users", Some(worker)).await.unwrap()).await.0,
        409
    );
    assert_eq!(doc.check("get", "/api/v1/admin/users", call(M::GET, "/admin/users", None).await.unwrap()).await.0, 200);
    let patch = call(M::PATCH, "/admin/users/worker_c", Some(json!({"phone": "13800000003"}))).await.unwrap();
    assert_eq!(doc.check("patch", "/api/v1/admin/users/{username}", patch).await.0, 200);
    let reset = call(M::POST, "/admin/users/worker_c/reset-password", None).await.unwrap();
    assert_eq!(doc.check("post", "/api/v1/admin/users/{username}/reset-password", reset).await.0, 200);
    assert_eq!(doc.check("get", "/api/v1/admin/grids", call(M::GET, "/admin/grids", None).await.unwrap()).await.0, 200);
    let grid = json!({"name": "新楼", "level": "building", "parent": GROUP_B, "code": null});
    assert_eq!(
        doc.check("post", "/api/v1/admin/grids", call(M::POST, "/admin/grids", Some(grid)).await.unwrap()).await.0,
        201
    );
    let rename = call(M::PATCH, &format!("/admin/grids/{GROUP_B}"), Some(json!({"name": "二组"}))).await.unwrap();
    assert_eq!(doc.check("patch", "/api/v1/admin/grids/{id}", rename).await.0, 200);
    let retire = call(M::POST, &format!("/admin/grids/{GROUP_B}/retire"), None).await.unwrap();
    let (status, body) = doc.check("post", "/api/v1/admin/grids/{id}/retire", retire).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("grid_not_empty")));
    let handover = call(M::POST, "/admin/handover", Some(json!({"from": "worker_b", "to": "worker_c"}))).await.unwrap();
    assert_eq!(doc.check("post", "/api/v1/admin/handover", handover).await.0, 200);
    let file =
        json!({"format": "wangge-export", "exported_by": "worker_b", "meta": {"client_id": "dead"}, "outbox": []});
    let import = call(M::POST, "/admin/handover/import", Some(file)).await.unwrap();
    assert_eq!(doc.check("post", "/api/v1/admin/handover/import", import).await.0, 200);
}

#[tokio::test]
async fn import_answers_match_the_document() {
    let app = spawn_world().await;
    let doc = Doc::fetch(&app).await;
    let (secretary, worker) = (app.login("secretary").await, app.login("worker_a").await);
    let path = "/api/v1/admin/import/households";
    let send = |token: &str, body: Vec<u8>| {
        app.client.post(app.url(path)).bearer_auth(token).header("content-type", crate::import::XLSX).body(body).send()
    };
    let mut rows = crate::import::households(3);
    rows[1][6] = "12345".into();
    let (status, body) =
        doc.check("post", path, send(&secretary.token, crate::import::xlsx(&rows)).await.unwrap()).await;
    assert_eq!((status, body["refused"][0]["row"].as_u64()), (200, Some(3)));
    let (status, _) = doc.check("post", path, send(&secretary.token, b"not a zip".to_vec()).await.unwrap()).await;
    assert_eq!(status, 400);
    let (status, _) = doc.check("post", path, send(&worker.token, Vec::new()).await.unwrap()).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn export_answers_match_the_document() {
    let app = spawn_world().await;
    let doc = Doc::fetch(&app).await;
    let (secretary, worker) = (app.login("secretary").await, app.login("worker_a").await);
    let get = |token: &str, path: &str| app.client.get(app.url(&format!("/api/v1{path}"))).bearer_auth(token).send();
    let ok = &doc.0["paths"]["/api/v1/export/{kind}"]["get"]["responses"]["200"]["content"];
    for format in ["xlsx", "csv"] {
        let res = get(&secretary.token, &format!("/export/visits?format={format}")).await.unwrap();
        assert_eq!(res.status(), 200);
        let ct = res.headers()["content-type"].to_str().unwrap().to_string();
        assert!(ok.get(&ct).is_some(), "{ct} is documented: {ok}");
    }
    let bad = get(&secretary.token, "/export/issues?status=lost").await.unwrap();
    assert_eq!(doc.check("get", "/api/v1/export/{kind}", bad).await.0, 400);
    let outside = get(&worker.token, &format!("/export/issues?grid={GROUP_B}")).await.unwrap();
    assert_eq!(doc.check("get", "/api/v1/export/{kind}", outside).await.0, 403);
    let (status, body) =
        doc.check("get", "/api/v1/admin/exports", get(&secretary.token, "/admin/exports").await.unwrap()).await;
    assert_eq!((status, body["exports"].as_array().map(Vec::len)), (200, Some(2)));
    assert_eq!(
        doc.check("get", "/api/v1/admin/exports", get(&worker.token, "/admin/exports").await.unwrap()).await.0,
        403
    );
}
