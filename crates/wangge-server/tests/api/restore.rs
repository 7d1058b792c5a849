//! Backup and restore through the real binary: a backup taken while the server runs,
//! put back with the server stopped, serves under a new epoch, so phones whose cursors
//! point past the copy's history reset and re-pull instead of silently missing what the
//! restored server writes; their old pushes are refused whole.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::{json, Value};

use crate::helpers::{start_binary as start, upserted, world_folder, TestApp};
use crate::world::{household_json, put, GROUP_A};

fn cli(verb: &str, file: &Path, data: &Path) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wangge-server"));
    crate::test_db::database_env(&mut cmd, data);
    cmd.arg(verb).arg(file).arg("--data").arg(data).output().expect("run the server binary")
}

/// On PostgreSQL both commands refuse, naming the tools that do it there, and write nothing.
#[tokio::test]
async fn on_postgres_backup_and_restore_point_to_pg_dump() {
    if !crate::test_db::on_postgres() {
        return;
    }
    let data = world_folder();
    let file = data.path().join("nightly.sqlite3");
    for verb in ["backup", "restore"] {
        let out = cli(verb, &file, data.path());
        assert!(!out.status.success() && stderr(&out).contains("pg_dump"), "{verb}: {}", stderr(&out));
    }
    assert!(!file.exists());
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn push_household(app: &TestApp, token: &str, seq: u64, id: &str) {
    app.push(token, "phone-1", vec![put(seq, "households", &household_json(id, GROUP_A), 0)]).await;
}

#[tokio::test]
async fn a_restored_backup_serves_under_a_new_epoch_and_refuses_old_pushes() {
    if crate::test_db::on_postgres() {
        return; // SQLite's own backup and restore (PostgreSQL's: the test above)
    }
    let backups = tempfile::tempdir().unwrap();
    let backup = backups.path().join("nightly.sqlite3");
    let data = world_folder();
    let (mut child, addr) = start(data.path());
    let app = TestApp { addr, client: reqwest::Client::new(), data };
    let s = app.login("worker_a").await;
    push_household(&app, &s.token, 1, "hh-before").await;
    let served = app.pull(&s.token, 0, 1000).await;

    // Backed up while serving; never over an existing file.
    let out = cli("backup", &backup, app.data.path());
    assert!(out.status.success(), "{}", stderr(&out));
    let again = cli("backup", &backup, app.data.path());
    assert!(!again.status.success() && stderr(&again).contains("already exists"), "{}", stderr(&again));

    push_household(&app, &s.token, 2, "hh-after").await;

    // Not while the server has the database open: refused, nothing changed.
    let busy = cli("restore", &backup, app.data.path());
    assert!(!busy.status.success() && stderr(&busy).contains("stop the server"), "{}", stderr(&busy));
    let (still, _) = app.pull_all(&s.token, 0).await;
    assert!(upserted(&still, "households").contains(&"hh-after"));

    child.kill().unwrap();
    child.wait().unwrap();
    let out = cli("restore", &backup, app.data.path());
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8_lossy(&out.stdout).contains(&served.epoch), "names the old epoch");

    let (mut child, addr) = start(app.data.path());
    let app = TestApp { addr, ..app };
    let (changes, _) = app.pull_all(&s.token, 0).await;
    let restored = app.pull(&s.token, 0, 1).await;
    assert_ne!(restored.epoch, served.epoch, "a restored copy is a new epoch");
    let households = upserted(&changes, "households");
    assert!(households.contains(&"hh-before") && !households.contains(&"hh-after"), "{households:?}");

    // A phone still on the old epoch has its push refused whole, and learns the new one.
    let body = json!({"client_id": "phone-1", "schema_version": 1, "epoch": served.epoch,
        "mutations": [put(3, "households", &household_json("hh-stale", GROUP_A), 0)]});
    let res = app.push_raw(&s.token, &body).await;
    assert_eq!(res.status(), 409);
    let reply: Value = res.json().await.unwrap();
    assert_eq!(reply["error"]["epoch"], json!(restored.epoch));
    child.kill().unwrap();
    child.wait().unwrap();

    // The database it replaced is kept aside, whole in one file, with what it had committed.
    let aside = std::fs::read_dir(app.data.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.to_string_lossy();
            name.contains("before-restore-") && !name.ends_with("-wal") && !name.ends_with("-shm")
        })
        .expect("the replaced database is kept");
    let log = format!("{}-wal", aside.display());
    assert!(std::fs::metadata(&log).map_or(true, |m| m.len() == 0), "the log was folded into the kept file");
    let old = rusqlite::Connection::open(&aside).unwrap();
    let kept: i64 = old.query_row("SELECT count(*) FROM records WHERE id = 'hh-after'", [], |r| r.get(0)).unwrap();
    assert_eq!(kept, 1);
}

#[test]
fn restoring_something_that_is_not_a_backup_is_refused_and_touches_nothing() {
    let data = tempfile::tempdir().unwrap();
    let junk = data.path().join("notes.txt");
    std::fs::write(&junk, "not a database at all, but long enough to have a header of sorts......").unwrap();
    let out = cli("restore", &junk, data.path());
    assert!(!out.status.success());
    assert!(stderr(&out).contains("not a Wangge database"), "{}", stderr(&out));
    assert!(!data.path().join("wangge.sqlite3").exists());
    let missing = cli("restore", &data.path().join("nope.sqlite3"), data.path());
    assert!(stderr(&missing).contains("no backup file"), "{}", stderr(&missing));
}
