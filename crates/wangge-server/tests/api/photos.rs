//! Photos (`PUT|HEAD|GET /api/v1/photos/{hash}`): uploads idempotent by hash and checked
//! for hash, size and type; a photo referenced by an issue step, a visit or an on-site
//! office's agenda item is served to
//! whoever sees that record and to its uploader, and to nobody else; the file outlives a
//! `kill -9`, and `backup` copies it.

use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wangge_core::people::Role;
use wangge_core::sync::{Change, MutationStatus};
use wangge_core::{GridId, PersonId};
use wangge_server::account::NewUser;

use crate::helpers::{expect_error, password_hash, spawn_world, start_binary, world_folder, TestApp};
use crate::world::{self, append, event_json, put, put_fields, t0, GROUP_A, HOUSEHOLD_A, ISSUE_A};

/// A small "JPEG": the SOI marker the server checks, then bytes that differ per `n`.
fn jpeg(n: u8, len: usize) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(n)));
    bytes
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

impl TestApp {
    async fn put_photo(&self, token: &str, hash: &str, content_type: &str, body: Vec<u8>) -> reqwest::Response {
        self.client
            .put(self.url(&format!("/api/v1/photos/{hash}")))
            .bearer_auth(token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap()
    }

    async fn upload(&self, token: &str, bytes: &[u8]) -> String {
        let hash = sha(bytes);
        let res = self.put_photo(token, &hash, "image/jpeg", bytes.to_vec()).await;
        assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
        hash
    }

    async fn get_photo(&self, token: Option<&str>, hash: &str) -> reqwest::Response {
        let req = self.client.get(self.url(&format!("/api/v1/photos/{hash}")));
        let req = match token {
            Some(t) => req.bearer_auth(t),
            None => req,
        };
        req.send().await.unwrap()
    }

    async fn head_photo(&self, token: &str, hash: &str) -> u16 {
        let res = self.client.head(self.url(&format!("/api/v1/photos/{hash}"))).bearer_auth(token).send().await;
        res.unwrap().status().as_u16()
    }
}

fn photo_ref(hash: &str, thumb: &str, stage: &str) -> Value {
    json!({"hash": hash, "thumb": thumb, "stage": stage, "taken_at": t0()})
}

/// A second grid worker of group A (the world has one).
fn add_second_worker_of_a(app: &TestApp) {
    let user = NewUser {
        username: "worker_a2".into(),
        password: world::PASSWORD.into(),
        person_id: PersonId::parse("p-worker-a2").unwrap(),
        name: "测试worker_a2".into(),
        roles: vec![Role::GridWorker],
        home_grid: GridId::parse(GROUP_A).unwrap(),
    };
    assert!(app.db().add_user(&user, password_hash()).unwrap());
}

fn photo_file(data: &Path, hash: &str) -> std::path::PathBuf {
    data.join("photos").join(&hash[..2]).join(hash)
}

#[tokio::test]
async fn an_upload_is_idempotent_by_hash_and_the_file_is_written_once() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let bytes = jpeg(1, 2000);
    let hash = sha(&bytes);
    let res = app.put_photo(&s.token, &hash, "image/jpeg", bytes.clone()).await;
    assert_eq!(res.status(), 201);
    assert_eq!(res.json::<Value>().await.unwrap(), json!({"stored": true}));
    let file = photo_file(app.data.path(), &hash);
    assert_eq!(std::fs::read(&file).unwrap(), bytes);
    let written = std::fs::metadata(&file).unwrap().modified().unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;

    let again = app.put_photo(&s.token, &hash, "image/jpeg", bytes).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap(), json!({"stored": false}));
    assert_eq!(std::fs::metadata(&file).unwrap().modified().unwrap(), written, "not written again");
    let names: Vec<_> = std::fs::read_dir(file.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "no temporary file left: {names:?}");
    assert_eq!(app.head_photo(&s.token, &hash).await, 200, "the uploader may skip sending it");
    assert_eq!(app.head_photo(&s.token, &sha(b"never sent")).await, 404);
}

#[tokio::test]
async fn a_wrong_hash_an_oversize_photo_and_a_wrong_type_are_refused_and_nothing_is_stored() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    let bytes = jpeg(2, 500);
    let other = sha(b"something else");
    let res = app.put_photo(&s.token, &other, "image/jpeg", bytes.clone()).await;
    expect_error(res, 422, "photo_hash_mismatch").await;

    let big = jpeg(3, (1 << 20) + 1);
    let res = app.put_photo(&s.token, &sha(&big), "image/jpeg", big).await;
    let message = expect_error(res, 413, "photo_too_large").await;
    assert!(message.contains("1 MB") && message.contains("MiB"), "zh and en: {message}");

    let html = b"<html><script>alert(1)</script></html>".to_vec();
    let res = app.put_photo(&s.token, &sha(&html), "text/html", html.clone()).await;
    expect_error(res, 415, "photo_type").await;
    let res = app.put_photo(&s.token, &sha(&html), "image/png", html).await;
    expect_error(res, 415, "photo_type").await;
    let res = app.put_photo(&s.token, &sha(&bytes), "image/png", bytes.clone()).await;
    expect_error(res, 415, "photo_type").await;

    let res = app.put_photo(&s.token, "../../etc/passwd", "image/jpeg", bytes.clone()).await;
    assert!(res.status().is_client_error());
    let res = app.put_photo(&s.token, &sha(&bytes).to_uppercase(), "image/jpeg", bytes).await;
    expect_error(res, 400, "photo_hash_malformed").await;
    assert!(!app.data.path().join("photos").exists(), "nothing written");
}

#[tokio::test]
async fn a_photo_on_an_issue_step_is_served_in_the_issue_s_scope_and_to_its_uploader_only() {
    let app = spawn_world().await;
    add_second_worker_of_a(&app);
    let (a, a2, b) = (app.login("worker_a").await, app.login("worker_a2").await, app.login("worker_b").await);
    let bytes = jpeg(4, 3000);
    let (hash, thumb) = (app.upload(&a.token, &bytes).await, app.upload(&a.token, &jpeg(5, 300)).await);

    // Uploaded, the step not yet pushed: only the uploader gets it.
    assert_eq!(app.get_photo(Some(&a.token), &hash).await.status(), 200);
    expect_error(app.get_photo(Some(&a2.token), &hash).await, 404, "unknown_photo").await;
    assert_eq!(app.head_photo(&a2.token, &hash).await, 404);

    let mut comment = event_json(
        "ev-photo",
        ISSUE_A,
        t0() + 1000,
        "p-worker-a",
        "grid_worker",
        json!({"type": "commented", "text": "现场照片"}),
    );
    comment["photos"] = json!([photo_ref(&hash, &thumb, "before")]);
    let res = app.push(&a.token, "phone-a", vec![append(1, comment)]).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied, "{:?}", res.results[0]);

    // A worker of grid A sees the issue, so the photo, bytes and headers as uploaded.
    let res = app.get_photo(Some(&a2.token), &hash).await;
    assert_eq!(res.status(), 200);
    let headers = res.headers().clone();
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(headers["cache-control"], "private, max-age=31536000, immutable");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(res.bytes().await.unwrap().as_ref(), bytes.as_slice());
    assert_eq!(app.get_photo(Some(&a2.token), &thumb).await.status(), 200, "the thumbnail too");
    assert_eq!(app.head_photo(&a2.token, &hash).await, 200);
    let secretary = app.login("secretary").await;
    assert_eq!(app.get_photo(Some(&secretary.token), &hash).await.status(), 200, "the community above");

    // Another grid's worker: the same 404 as a photo that does not exist.
    let res = app.get_photo(Some(&b.token), &hash).await;
    assert_eq!(res.headers()["cache-control"], "no-store");
    expect_error(res, 404, "unknown_photo").await;
    assert_eq!(app.head_photo(&b.token, &hash).await, 404);
    expect_error(app.get_photo(None, &hash).await, 401, "unauthorized").await;

    // The step pulled carries its references.
    let (changes, _) = app.pull_all(&a2.token, 0).await;
    let pulled = changes.iter().find_map(|c| match c {
        Change::Event { event, .. } if event.id.as_str() == "ev-photo" => Some(event.photos.clone()),
        _ => None,
    });
    assert_eq!(pulled.unwrap().len(), 1);
}

#[tokio::test]
async fn a_step_or_a_visit_with_ten_photos_is_refused() {
    let app = spawn_world().await;
    let a = app.login("worker_a").await;
    let h = sha(b"x");
    let ten: Vec<Value> = (0..10).map(|_| photo_ref(&h, &h, "during")).collect();
    let mut comment = event_json(
        "ev-ten",
        ISSUE_A,
        t0() + 1000,
        "p-worker-a",
        "grid_worker",
        json!({"type": "commented", "text": "照片太多"}),
    );
    comment["photos"] = Value::Array(ten.clone());
    let visit = json!({"id": "v-ten", "household": HOUSEHOLD_A, "worker": "p-worker-a", "date": "2026-01-05",
        "notes": "走访", "issues": [], "photos": ten});
    let res = app.push(&a.token, "phone-a", vec![append(1, comment), put(2, "visits", &visit, 0)]).await;
    for r in &res.results {
        assert_eq!((r.status, r.code.as_deref()), (MutationStatus::Rejected, Some("too_many_photos")));
    }
}

#[tokio::test]
async fn a_visit_with_photos_round_trips_and_shows_its_photos_to_the_grid() {
    let app = spawn_world().await;
    add_second_worker_of_a(&app);
    let (a, a2, b) = (app.login("worker_a").await, app.login("worker_a2").await, app.login("worker_b").await);
    let (hash, thumb) = (app.upload(&a.token, &jpeg(6, 800)).await, app.upload(&a.token, &jpeg(7, 80)).await);
    let photos = json!([photo_ref(&hash, &thumb, "scene")]);
    let visit = json!({"id": "v-photo", "household": HOUSEHOLD_A, "worker": "p-worker-a", "date": "2026-01-05",
        "notes": "老人身体好", "issues": [], "photos": photos});
    let res = app.push(&a.token, "phone-a", vec![put(1, "visits", &visit, 0)]).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied, "{:?}", res.results[0]);

    let (changes, _) = app.pull_all(&a2.token, 0).await;
    let fields = changes.iter().find_map(|c| match c {
        Change::Upsert { id, fields, .. } if id == "v-photo" => Some(fields.clone()),
        _ => None,
    });
    assert_eq!(fields.unwrap()["photos"].value, photos);
    assert_eq!(app.get_photo(Some(&a2.token), &thumb).await.status(), 200);
    assert_eq!(app.get_photo(Some(&b.token), &thumb).await.status(), 404);
}

#[tokio::test]
async fn a_photo_of_an_on_site_office_item_is_served_in_the_meeting_s_scope_only() {
    // Beside the world: `secretary2` of another community (mediation.rs).
    let app = crate::mediation::spawn_mediation().await;
    let (sec, a, other) = (app.login("secretary").await, app.login("worker_a").await, app.login("secretary2").await);
    let (hash, thumb) = (app.upload(&sec.token, &jpeg(8, 900)).await, app.upload(&sec.token, &jpeg(9, 90)).await);
    assert_eq!(app.get_photo(Some(&a.token), &hash).await.status(), 404, "not referenced yet");
    // An on-site office at group A's building, the problem taken on the spot.
    let office = json!({"id": "m-site", "kind": "on_site_office", "grid": GROUP_A, "held_at": t0(),
        "place": "一村3栋楼下", "recorder": "p-secretary", "closed": false,
        "item:issue-a": {"position": 1, "source": "by_hand"}});
    let res = app.push(&sec.token, "phone-s", vec![put(1, "meetings", &office, 0)]).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied, "{:?}", res.results[0]);
    // The photos come with a later edit of the item, as the phone writes them.
    let item = json!({"position": 1, "source": "by_hand", "photos": [photo_ref(&hash, &thumb, "scene")]});
    let edit = put_fields(2, "meetings", "m-site", json!({"item:issue-a": {"value": item, "base": 1}}));
    let res = app.push(&sec.token, "phone-s", vec![edit]).await;
    assert_eq!(res.results[0].status, MutationStatus::Applied, "{:?}", res.results[0]);

    assert_eq!(app.get_photo(Some(&a.token), &hash).await.status(), 200, "the building's worker");
    assert_eq!(app.head_photo(&a.token, &thumb).await, 200, "and its thumbnail");
    expect_error(app.get_photo(Some(&other.token), &hash).await, 404, "unknown_photo").await;
    assert_eq!(app.head_photo(&other.token, &thumb).await, 404);
}

#[tokio::test]
async fn a_stored_photo_survives_kill_9_and_a_backup_copies_it() {
    let data = world_folder();
    let (mut child, addr) = start_binary(data.path());
    let app = TestApp { addr, client: reqwest::Client::new(), data };
    let a = app.login("worker_a").await;
    let bytes = jpeg(8, 5000);
    let hash = app.upload(&a.token, &bytes).await;
    child.kill().expect("SIGKILL");
    child.wait().unwrap();

    let (mut child, addr) = start_binary(app.data.path());
    let app = TestApp { addr, ..app };
    let res = app.get_photo(Some(&a.token), &hash).await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), bytes.as_slice());

    if crate::test_db::on_postgres() {
        // `backup` is SQLite's (PostgreSQL's refusal: restore.rs); the photos are files
        // in the data folder either way.
        child.kill().unwrap();
        child.wait().unwrap();
        return;
    }
    let backups = tempfile::tempdir().unwrap();
    let backup = |name: &str| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wangge-server"));
        cmd.arg("backup").arg(backups.path().join(name)).arg("--data").arg(app.data.path()).output().unwrap()
    };
    let out = backup("one.sqlite3");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("copied 1 new photo"));
    assert_eq!(std::fs::read(photo_file(backups.path(), &hash)).unwrap(), bytes);
    let out = backup("two.sqlite3");
    assert!(String::from_utf8_lossy(&out.stdout).contains("copied 0 new photo"), "only what is new");
    child.kill().unwrap();
    child.wait().unwrap();
}
