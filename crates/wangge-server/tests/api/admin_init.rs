//! `wangge-server init`, run as the real binary: the district and its administrator on an
//! empty data folder, refused the second time; the server then starts without the demo and
//! the administrator logs in with the printed password and builds the tree.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::{json, Value};

fn init(data: &std::path::Path, extra: &[&str]) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wangge-server"));
    crate::test_db::database_env(&mut cmd, data);
    cmd.args([
        "init",
        "--admin",
        "qj_admin",
        "--district",
        "重庆市綦江区",
        "--display-name",
        "王主任",
        "--code",
        "500110",
        "--data",
    ])
    .arg(data)
    .args(extra)
    .env_remove("WANGGE_PASSWORD")
    .stdin(Stdio::null())
    .output()
    .expect("run init")
}

#[tokio::test]
async fn init_creates_the_district_and_its_administrator_once_and_the_server_loads_no_demo() {
    let data = tempfile::tempdir().unwrap();
    crate::test_db::fresh_database(data.path());
    let out = init(data.path(), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{stdout} {}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("g500110000000000") && stdout.contains("qj_admin"), "{stdout}");
    let password = stdout
        .lines()
        .find_map(|l| l.split("one-time password").nth(1))
        .and_then(|rest| rest.rsplit(' ').next())
        .expect("the generated password is printed")
        .to_string();
    assert!(password.len() >= 10, "{password}");

    let again = init(data.path(), &[]);
    assert!(!again.status.success(), "a second init is refused");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds data"));

    // Started without --no-demo: an init'ed database is not empty, so no demo is loaded.
    let mut server = Command::new(env!("CARGO_BIN_EXE_wangge-server"));
    crate::test_db::database_env(&mut server, data.path());
    let mut child = server
        .args(["--addr", "127.0.0.1:0", "--data"])
        .arg(data.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    reader.read_line(&mut banner).unwrap();
    assert!(!banner.contains("Demo accounts"), "{banner}");
    let addr = banner.trim().strip_prefix("Wangge is running at ").unwrap().trim_end_matches('/').to_string();
    std::thread::spawn(move || std::io::copy(&mut reader, &mut std::io::sink()));

    let client = reqwest::Client::new();
    let login = json!({"username": "qj_admin", "password": password, "device_name": "office"});
    let res = client.post(format!("{addr}/api/v1/auth/login")).json(&login).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let token = res.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string();
    let demo = json!({"username": "worker", "password": "wangge-demo", "device_name": "x"});
    assert_eq!(
        client.post(format!("{addr}/api/v1/auth/login")).json(&demo).send().await.unwrap().status(),
        401,
        "no demo accounts"
    );
    let grids = get_json(&client, &format!("{addr}/api/v1/admin/grids"), &token).await;
    assert_eq!(grids["grids"].as_array().unwrap().len(), 1, "{grids}");
    assert_eq!(
        (grids["grids"][0]["name"].as_str(), grids["grids"][0]["level"].as_str()),
        (Some("重庆市綦江区"), Some("district"))
    );
    let town = json!({"name": "古南街道", "level": "town", "parent": "g500110000000000", "code": "500110001000000"});
    let res = client.post(format!("{addr}/api/v1/admin/grids")).bearer_auth(&token).json(&town).send().await.unwrap();
    assert_eq!(res.status(), 201, "the administrator builds the tree");
    let users = get_json(&client, &format!("{addr}/api/v1/admin/users"), &token).await;
    assert_eq!(users["users"][0]["roles"], json!(["district_staff"]));
    assert_eq!(users["users"][0]["display_name"], "王主任");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[tokio::test]
async fn init_takes_the_password_from_stdin_and_refuses_a_short_one() {
    let data = tempfile::tempdir().unwrap();
    crate::test_db::fresh_database(data.path());
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wangge-server"));
    crate::test_db::database_env(&mut cmd, data.path());
    let mut child = cmd
        .args(["init", "--admin", "qj_admin", "--district", "重庆市綦江区", "--password-stdin", "--data"])
        .arg(data.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"short\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    let users = |conn: &wangge_server::db::sql::Conn| {
        conn.query_row("SELECT count(*) FROM users", wangge_server::params![], |r| r.get::<i64>(0)).unwrap()
    };
    let nothing_written = match crate::test_db::database_of(data.path()) {
        wangge_server::db::Database::Sqlite(file) => !file.exists() || users(&crate::test_db::sql(data.path())) == 0,
        // The test's schema exists beforehand; the tables only if init got that far.
        wangge_server::db::Database::Postgres(_) => {
            let conn = crate::test_db::sql(data.path());
            let tables: i64 = conn
                .query_row(
                    "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()",
                    wangge_server::params![],
                    |r| r.get(0),
                )
                .unwrap();
            tables == 0 || users(&conn) == 0
        }
    };
    assert!(nothing_written);
}

/// A GET with the token, its JSON body.
async fn get_json(client: &reqwest::Client, url: &str, token: &str) -> Value {
    client.get(url).bearer_auth(token).send().await.unwrap().json().await.unwrap()
}
