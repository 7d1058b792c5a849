//! Cutting off a lost phone from the server's command line, run as the real binary on the
//! data folder of a running server: `device list|revoke`, `user disable|enable`,
//! `user set-password`. Each takes effect on the server's next request.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::json;

use crate::helpers::{expect_error, spawn_world, TestApp};
use crate::world;

/// Runs `wangge-server ARGS --data DIR`, with `stdin` fed in and `WANGGE_PASSWORD` set if given.
fn cli(data: &Path, args: &[&str], stdin: Option<&str>, env_password: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wangge-server"));
    cmd.args(args).arg("--data").arg(data).env_remove("WANGGE_PASSWORD");
    crate::test_db::database_env(&mut cmd, data);
    if let Some(p) = env_password {
        cmd.env("WANGGE_PASSWORD", p);
    }
    let mut child =
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("run the server binary");
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn ok(out: &Output) -> String {
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn failed(out: &Output) -> String {
    assert!(!out.status.success(), "stdout: {}", String::from_utf8_lossy(&out.stdout));
    String::from_utf8_lossy(&out.stderr).into_owned()
}

async fn login_status(app: &TestApp, username: &str, password: &str) -> reqwest::Response {
    app.login_raw(json!({"username": username, "password": password, "device_name": "p"})).await
}

/// via, actor, action, username, device_id, devices_signed_out.
type LogRow = (String, Option<String>, String, String, Option<String>, i64);

fn admin_log(app: &TestApp) -> Vec<LogRow> {
    let conn = app.sql();
    let mut stmt = conn
        .prepare("SELECT via, actor, action, username, device_id, devices_signed_out FROM admin_log ORDER BY id")
        .unwrap();
    stmt.query_map(wangge_server::params![], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[tokio::test]
async fn a_lost_phone_is_revoked_from_the_command_line_and_the_other_phone_keeps_working() {
    let app = spawn_world().await;
    let lost = app.login("worker_a").await;
    let kept = app.login("worker_a").await;
    let other = app.login("worker_b").await;

    let listed = ok(&cli(app.data.path(), &["device", "list", "--user", "worker_a"], None, None));
    assert!(listed.contains(&lost.device_id) && listed.contains(&kept.device_id), "{listed}");
    assert!(!listed.contains(&other.device_id), "only worker_a's: {listed}");
    assert!(!listed.contains(&lost.token), "never a token");
    assert!(ok(&cli(app.data.path(), &["device", "list"], None, None)).contains(&other.device_id));

    let out = ok(&cli(app.data.path(), &["device", "revoke", &lost.device_id], None, None));
    assert!(out.contains("revoked device") && out.contains("worker_a"), "{out}");
    expect_error(app.pull_raw(&lost.token, "").await, 401, "token_revoked").await;
    assert_eq!(app.pull_raw(&kept.token, "").await.status(), 200);
    let listed = ok(&cli(app.data.path(), &["device", "list", "--user", "worker_a"], None, None));
    let line = listed.lines().find(|l| l.starts_with(&lost.device_id)).unwrap();
    assert!(line.contains("revoked"), "{line}");

    assert!(ok(&cli(app.data.path(), &["device", "revoke", &lost.device_id], None, None)).contains("already revoked"));
    assert!(failed(&cli(app.data.path(), &["device", "revoke", "no-such-device"], None, None)).contains("no device"));
    assert!(failed(&cli(app.data.path(), &["device", "list", "--user", "nobody"], None, None)).contains("no account"));
    let log = admin_log(&app);
    assert_eq!(log.len(), 2, "both accepted revokes are attributed: {log:?}");
    assert_eq!(
        log[0],
        ("cli".into(), None, "revoke_device".into(), "worker_a".into(), Some(lost.device_id.clone()), 1)
    );
}

#[tokio::test]
async fn a_disabled_account_cannot_log_in_nor_sync_until_it_is_enabled() {
    let app = spawn_world().await;
    let s = app.login("worker_a").await;
    assert!(ok(&cli(app.data.path(), &["user", "disable", "worker_a"], None, None)).contains("disabled worker_a"));

    let message = expect_error(login_status(&app, "worker_a", world::PASSWORD).await, 403, "account_disabled").await;
    assert!(message.contains("账号已停用,请联系管理员"), "{message}");
    // A wrong password learns nothing about the account.
    expect_error(login_status(&app, "worker_a", "not the password").await, 401, "invalid_credentials").await;
    expect_error(app.pull_raw(&s.token, "").await, 401, "account_disabled").await;
    let body = json!({"client_id": "phone-1", "schema_version": 1, "mutations": []});
    expect_error(app.push_raw(&s.token, &body).await, 401, "account_disabled").await;
    assert_eq!(app.pull_raw(&app.login("worker_b").await.token, "").await.status(), 200, "others are untouched");

    assert!(ok(&cli(app.data.path(), &["user", "enable", "worker_a"], None, None)).contains("enabled worker_a"));
    assert_eq!(app.pull_raw(&s.token, "").await.status(), 200, "its phones work again");
    assert_eq!(login_status(&app, "worker_a", world::PASSWORD).await.status(), 200);
    assert!(
        failed(&cli(app.data.path(), &["user", "disable", "nobody"], None, None)).contains("no account named nobody")
    );
    let actions: Vec<String> = admin_log(&app).into_iter().map(|l| l.2).collect();
    assert_eq!(actions, ["disable", "enable"]);
}

#[tokio::test]
async fn set_password_signs_out_every_device_and_the_new_password_works() {
    let app = spawn_world().await;
    let (one, two) = (app.login("worker_a").await, app.login("worker_a").await);
    let short =
        failed(&cli(app.data.path(), &["user", "set-password", "worker_a", "--password-stdin"], Some("short\n"), None));
    assert!(short.contains("at least 8"), "{short}");
    assert_eq!(app.pull_raw(&one.token, "").await.status(), 200, "a refused reset changes nothing");

    let out = ok(&cli(
        app.data.path(),
        &["user", "set-password", "worker_a", "--password-stdin"],
        Some("a new password 1\n"),
        None,
    ));
    assert!(out.contains("2 device(s) signed out"), "{out}");
    for s in [&one, &two] {
        expect_error(app.pull_raw(&s.token, "").await, 401, "token_revoked").await;
    }
    expect_error(login_status(&app, "worker_a", world::PASSWORD).await, 401, "invalid_credentials").await;
    assert_eq!(
        login_status(&app, "worker_a", "a new password 1").await.status(),
        200,
        "the line ending is not part of it"
    );

    // From the environment, so it lands in neither the shell history nor `ps`.
    let out = ok(&cli(app.data.path(), &["user", "set-password", "worker_b"], None, Some("from the environment")));
    assert!(out.contains("0 device(s) signed out"), "{out}");
    assert_eq!(login_status(&app, "worker_b", "from the environment").await.status(), 200);
    assert!(
        failed(&cli(app.data.path(), &["user", "set-password", "worker_b"], None, None)).contains("--password-stdin")
    );
    let log = admin_log(&app);
    assert_eq!(log.iter().map(|l| (l.2.as_str(), l.5)).collect::<Vec<_>>(), [("set_password", 2), ("set_password", 0)]);
}
