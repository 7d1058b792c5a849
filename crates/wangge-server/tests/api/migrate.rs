//! `wangge-server migrate`: a district that ran on SQLite moves to PostgreSQL. A SQLite
//! server (the real binary) holds the test world, the demo data set and what phones
//! pushed — new records, issue steps, a conflict, photos, a ledger import; the command
//! copies it into an empty PostgreSQL schema; the test reads every table of both
//! databases itself and compares them row for row, then starts the server on PostgreSQL
//! and checks that a phone carries on with its old token, cursor and sequence numbers
//! under the same epoch. Refusals: a target that already holds data, a source at another
//! schema version. Run only against PostgreSQL (`WANGGE_TEST_PG`).

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use wangge_core::sync::{MutationStatus, PushResponse};
use wangge_demo::{generate, DemoSize};
use wangge_server::db::sql::Conn;
use wangge_server::db::Database;
use wangge_server::params;

use crate::helpers::{expect_error, load_world, start_binary, TestApp};
use crate::import::{households, xlsx, XLSX};
use crate::test_db::{fresh_database, on_postgres};
use crate::world::{
    append, event_json, household_json, issue_json, put, put_fields, t0, GROUP_A, GROUP_B, HOUSEHOLD_A, ISSUE_A,
};

/// A data folder holding a SQLite database with the test world and the demo data set
/// (with no database URL recorded, the binary started on it runs on SQLite).
fn sqlite_folder() -> tempfile::TempDir {
    let data = tempfile::tempdir().unwrap();
    let db = wangge_server::Db::open(&data.path().join(wangge_server::db::SQLITE_FILE)).unwrap();
    load_world(&db);
    db.load_dataset(&generate(DemoSize::DEMO, 7, t0())).unwrap();
    data
}

fn migrate_cli(data: &Path, to: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wangge-server"))
        .env_remove("WANGGE_DATABASE")
        .args(["migrate", "--from"])
        .arg(format!("sqlite:{}", data.display()))
        .args(["--to", to])
        .output()
        .expect("run the server binary")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every table of `conn`'s database, each as its rows (cells printed) in sorted order:
/// what the test compares, independently of the command's own checksums.
fn contents(conn: &Conn, tables: &[String]) -> Vec<(String, Vec<String>)> {
    tables
        .iter()
        .map(|t| {
            let mut rows: Vec<String> =
                conn.query_map(&format!("SELECT * FROM {t}"), params![], |r| Ok(format!("{:?}", r.cells()))).unwrap();
            rows.sort();
            (t.clone(), rows)
        })
        .collect()
}

fn sqlite_tables(conn: &Conn) -> Vec<String> {
    conn.query_map(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        params![],
        |r| r.get(0),
    )
    .unwrap()
}

/// A small JPEG-looking upload (the server checks the SOI marker); its hash.
async fn upload_photo(app: &TestApp, token: &str, n: u8) -> String {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend((0..500u32).map(|i| (i as u8).wrapping_mul(31).wrapping_add(n)));
    let hash: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    let res = app
        .client
        .put(app.url(&format!("/api/v1/photos/{hash}")))
        .bearer_auth(token)
        .header("content-type", "image/jpeg")
        .body(bytes)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    hash
}

async fn push_body(app: &TestApp, token: &str, body: &Value) -> PushResponse {
    let res = app.push_raw(token, body).await;
    assert_eq!(res.status(), 200);
    res.json().await.unwrap()
}

fn batch(client: &str, mutations: Vec<Value>) -> Value {
    json!({"client_id": client, "schema_version": wangge_core::SCHEMA_VERSION, "mutations": mutations})
}

#[tokio::test]
async fn a_district_moves_to_postgres_and_its_phones_carry_on() {
    if !on_postgres() {
        return;
    }
    let data = sqlite_folder();
    let (mut child, addr) = start_binary(data.path());
    let app = TestApp { addr, client: reqwest::Client::new(), data };
    let (a, b, sec) = (app.login("worker_a").await, app.login("worker_b").await, app.login("secretary").await);

    // What phones did on SQLite: records, steps with a photo, a conflict, an import.
    let photo = upload_photo(&app, &a.token, 1).await;
    let mut step = event_json(
        "ev-m1",
        ISSUE_A,
        t0() + 1000,
        "p-worker-a",
        "grid_worker",
        json!({"type": "commented", "text": "现场"}),
    );
    step["photos"] = json!([{"hash": photo, "thumb": photo, "stage": "before", "taken_at": t0()}]);
    let first = batch(
        "phone-a",
        vec![
            put(1, "households", &household_json("hh-m1", GROUP_A), 0),
            put(2, "issues", &issue_json("issue-m1", GROUP_A, "p-worker-a"), 0),
            append(3, step),
        ],
    );
    let res = push_body(&app, &a.token, &first).await;
    assert!(res.results.iter().all(|r| r.status == MutationStatus::Applied), "{:?}", res.results);
    app.push(&b.token, "phone-b", vec![put(1, "households", &household_json("hh-m2", GROUP_B), 0)]).await;
    let (_, cursor) = app.pull_all(&a.token, 0).await;
    let address =
        |seq, v: &str| put_fields(seq, "households", HOUSEHOLD_A, json!({"address": {"value": v, "base": cursor}}));
    app.push(&sec.token, "phone-s", vec![address(1, "新地址1号")]).await;
    let last = batch("phone-a", vec![address(4, "新地址2号")]);
    let acknowledged = push_body(&app, &a.token, &last).await;
    assert_eq!(acknowledged.results[0].status, MutationStatus::Conflict, "{:?}", acknowledged.results);
    app.import_ok(&sec.token, "?confirm=true", XLSX, xlsx(&households(40))).await;
    // What phone A is owed from its cursor, as SQLite serves it.
    let owed = app.pull_all(&a.token, cursor).await;
    let epoch = app.pull(&a.token, 0, 1).await.epoch;
    child.kill().unwrap();
    child.wait().unwrap();

    // The move: into an empty schema; the folder now names it, so the binary runs on it.
    let Database::Postgres(url) = fresh_database(app.data.path()) else { panic!("a PostgreSQL run") };
    let out = migrate_cli(app.data.path(), &url);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}{}", stdout, text(&out.stderr));
    assert!(stdout.contains("checksums equal") && stdout.contains(&format!("epoch {epoch} kept")), "{stdout}");
    assert!(stdout.contains("photos stay in"), "{stdout}");

    // Every table, row for row, read by the test itself.
    let lite = Conn::sqlite(rusqlite::Connection::open(app.data.path().join("wangge.sqlite3")).unwrap());
    let pg = Conn::open(&Database::Postgres(url.clone())).unwrap();
    let tables = sqlite_tables(&lite);
    let before = contents(&lite, &tables);
    let moved = contents(&pg, &tables);
    for ((table, rows), (_, copied)) in before.iter().zip(&moved) {
        assert_eq!(rows.len(), copied.len(), "{table}: row count");
        assert!(rows == copied, "{table}: rows differ");
    }
    for table in ["records", "record_fields", "issue_events", "conflicts", "users", "devices", "clients"] {
        let n = before.iter().find(|(t, _)| t == table).map_or(0, |(_, rows)| rows.len());
        assert!(n > 0, "{table} should hold rows to copy");
    }
    for table in ["mutation_results", "photos", "photo_refs", "import_log", "member_id_hashes", "server_secrets"] {
        assert!(before.iter().any(|(t, rows)| t == table && !rows.is_empty()), "{table} should hold rows to copy");
    }

    // The same phone on the PostgreSQL server: no login, nothing missing or twice, the
    // same epoch; its next push applies and a replay of its last batch is answered alike.
    let (mut child, addr) = start_binary(app.data.path());
    let app = TestApp { addr, ..app };
    let after = app.pull_all(&a.token, cursor).await;
    assert_eq!(serde_json::to_value(&after.0).unwrap(), serde_json::to_value(&owed.0).unwrap());
    assert_eq!(after.1, owed.1, "the same cursor at the end");
    assert!(!after.0.is_empty(), "the phone was owed changes across the move");
    assert_eq!(app.pull(&a.token, 0, 1).await.epoch, epoch, "the epoch is unchanged");
    let replay = push_body(&app, &a.token, &last).await;
    assert_eq!(serde_json::to_value(&replay).unwrap(), serde_json::to_value(&acknowledged).unwrap());
    let next = app.push(&a.token, "phone-a", vec![put(5, "households", &household_json("hh-m3", GROUP_A), 0)]).await;
    assert_eq!(next.results[0].status, MutationStatus::Applied, "{:?}", next.results);
    let gap = batch("phone-a", vec![put(9, "households", &household_json("hh-m4", GROUP_A), 0)]);
    expect_error(app.push_raw(&a.token, &gap).await, 409, "seq_gap").await;
    // The photo file stayed in the data folder and is served.
    let res = app.client.get(app.url(&format!("/api/v1/photos/{photo}"))).bearer_auth(&a.token).send().await.unwrap();
    assert_eq!(res.status(), 200);
    // The log tables' ids carried on past the copied ones: a second import logs a row.
    app.import_ok(&sec.token, "?confirm=true", XLSX, xlsx(&households(5))).await;
    let imports: i64 = pg.query_value("SELECT count(*) FROM import_log", params![]).unwrap();
    assert_eq!(imports, 2);
    child.kill().unwrap();
    child.wait().unwrap();

    // A second move into the now non-empty database is refused and changes nothing.
    let held = contents(&pg, &tables);
    let again = migrate_cli(app.data.path(), &url);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("not empty"), "{}", text(&again.stderr));
    assert!(contents(&pg, &tables) == held, "the refused move wrote nothing");
}

#[tokio::test]
async fn a_source_at_another_schema_version_is_refused() {
    if !on_postgres() {
        return;
    }
    let data = sqlite_folder();
    let file = data.path().join("wangge.sqlite3");
    rusqlite::Connection::open(&file).unwrap().pragma_update(None, "user_version", 16).unwrap();
    let target = tempfile::tempdir().unwrap();
    let Database::Postgres(url) = fresh_database(target.path()) else { panic!("a PostgreSQL run") };
    let out = migrate_cli(data.path(), &url);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("schema version 16"), "{}", text(&out.stderr));
    let pg = Conn::open(&Database::Postgres(url.clone())).unwrap();
    let records: i64 = pg.query_value("SELECT count(*) FROM records", params![]).unwrap();
    assert_eq!(records, 0, "nothing copied");
    let missing = migrate_cli(target.path(), &url);
    assert!(text(&missing.stderr).contains("no SQLite database"), "{}", text(&missing.stderr));
}

/// An empty target database with its schema, and `sql` (a trigger) run in it.
fn migrated_target_with(sql: &str) -> (tempfile::TempDir, String, Conn) {
    let target = tempfile::tempdir().unwrap();
    let Database::Postgres(url) = fresh_database(target.path()) else { panic!("a PostgreSQL run") };
    drop(crate::test_db::open_db(target.path()));
    let pg = Conn::open(&Database::Postgres(url.clone())).unwrap();
    pg.execute_batch(sql).unwrap();
    (target, url, pg)
}

/// A target that does not hold what was written (here a trigger alters one column of the
/// field rows) fails the read-back: refused, naming the table, and rolled back whole.
#[tokio::test]
async fn a_copy_that_reads_back_differently_is_rolled_back() {
    if !on_postgres() {
        return;
    }
    let data = sqlite_folder();
    let (_target, url, pg) = migrated_target_with(
        "CREATE FUNCTION spoil() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN IF NEW.field = 'address' THEN NEW.value := '\"别处\"'; END IF; RETURN NEW; END $$;
         CREATE TRIGGER spoil BEFORE INSERT ON record_fields FOR EACH ROW EXECUTE FUNCTION spoil();",
    );
    let epoch: String = pg.query_value("SELECT value FROM server_meta WHERE key = 'epoch'", params![]).unwrap();
    let out = migrate_cli(data.path(), &url);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("table record_fields"), "{}", text(&out.stderr));
    for table in ["records", "record_fields", "users"] {
        let n: i64 = pg.query_value(&format!("SELECT count(*) FROM {table}"), params![]).unwrap();
        assert_eq!(n, 0, "{table}: rolled back");
    }
    let kept: String = pg.query_value("SELECT value FROM server_meta WHERE key = 'epoch'", params![]).unwrap();
    assert_eq!(kept, epoch, "the target's own seed rows are back");
}

/// A server still writing to SQLite during the copy: the copy is of the snapshot taken
/// at its start and is committed under a new epoch, so phones reset instead of trusting
/// acknowledgements it does not hold. (The copy is held up by a slow trigger on one table
/// while the test commits to SQLite.)
#[tokio::test]
async fn a_source_written_during_the_copy_moves_under_a_new_epoch() {
    if !on_postgres() {
        return;
    }
    let data = sqlite_folder();
    let (_target, url, pg) = migrated_target_with(
        "CREATE FUNCTION slow() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(2); RETURN NEW; END $$;
         CREATE TRIGGER slow BEFORE INSERT ON issue_events FOR EACH STATEMENT EXECUTE FUNCTION slow();",
    );
    let lite = rusqlite::Connection::open(data.path().join("wangge.sqlite3")).unwrap();
    let (epoch, counter): (String, i64) = lite
        .query_row("SELECT (SELECT value FROM server_meta), (SELECT value FROM version_counter)", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    let (dir, to) = (data.path().to_path_buf(), url.clone());
    let copy = std::thread::spawn(move || migrate_cli(&dir, &to));
    // Written once the copy is held up in a table, its snapshot long taken.
    let held_up =
        "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND query LIKE '%issue_events%')";
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while !pg.query_value::<bool>(held_up, params![]).unwrap() {
        assert!(std::time::Instant::now() < deadline, "the copy never reached the slow table");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    lite.execute("UPDATE version_counter SET value = value + 1", []).unwrap();
    let out = copy.join().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("new epoch"), "{}", text(&out.stdout));
    let moved: (String, i64) = pg
        .query_row("SELECT (SELECT value FROM server_meta), (SELECT value FROM version_counter)", params![], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_ne!(moved.0, epoch, "a new epoch");
    assert_eq!(moved.1, counter, "the snapshot from before the write");
}
