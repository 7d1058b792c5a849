//! `spawn_app`: a real server on port 0 over a fresh database, torn down with the test.
//! `spawn_world` also loads a small grid tree with four accounts, and `TestApp` speaks the
//! sync API the way a device does.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;

use serde_json::{json, Value};
use wangge_core::sync::{Change, PullResponse, PushResponse};
use wangge_server::db::sql::Conn;
use wangge_server::{serve, Config, Db};

use crate::{test_db, world};

pub(crate) struct TestApp {
    pub(crate) addr: SocketAddr,
    pub(crate) client: reqwest::Client,
    /// Kept so the database folder lives as long as the test.
    pub(crate) data: tempfile::TempDir,
}

/// A logged-in device.
pub(crate) struct Session {
    pub(crate) token: String,
    pub(crate) device_id: String,
    pub(crate) body: Value,
}

impl TestApp {
    pub(crate) fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub(crate) async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("request reaches the server")
    }

    /// A second handle on the server's database (on SQLite, WAL lets both work).
    pub(crate) fn db(&self) -> Db {
        test_db::open_db(self.data.path())
    }

    /// A plain connection to the server's database, to look at what it stored.
    pub(crate) fn sql(&self) -> Conn {
        test_db::sql(self.data.path())
    }

    pub(crate) async fn login_raw(&self, body: Value) -> reqwest::Response {
        self.client.post(self.url("/api/v1/auth/login")).json(&body).send().await.expect("login reaches the server")
    }

    pub(crate) async fn login(&self, username: &str) -> Session {
        let res = self
            .login_raw(json!({"username": username, "password": world::PASSWORD, "device_name": "test phone"}))
            .await;
        assert_eq!(res.status(), 200, "login {username}");
        let body: Value = res.json().await.unwrap();
        Session {
            token: body["token"].as_str().unwrap().to_string(),
            device_id: body["device_id"].as_str().unwrap().to_string(),
            body,
        }
    }

    pub(crate) async fn push_raw(&self, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .post(self.url("/api/v1/sync/push"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("push reaches the server")
    }

    /// Pushes `mutations` as `client` and expects a 200.
    pub(crate) async fn push(&self, token: &str, client: &str, mutations: Vec<Value>) -> PushResponse {
        let body = json!({"client_id": client, "schema_version": wangge_core::SCHEMA_VERSION, "mutations": mutations});
        let res = self.push_raw(token, &body).await;
        let status = res.status();
        let text = res.text().await.unwrap();
        assert_eq!(status, 200, "push: {text}");
        serde_json::from_str(&text).unwrap()
    }

    pub(crate) async fn pull_raw(&self, token: &str, query: &str) -> reqwest::Response {
        let url = self.url(&format!("/api/v1/sync/pull{query}"));
        self.client.get(url).bearer_auth(token).send().await.expect("pull reaches the server")
    }

    pub(crate) async fn pull(&self, token: &str, cursor: u64, limit: u32) -> PullResponse {
        let res = self.pull_raw(token, &format!("?cursor={cursor}&limit={limit}")).await;
        assert_eq!(res.status(), 200);
        res.json().await.unwrap()
    }

    /// Pulls every page from `cursor`; returns the changes and the final cursor.
    pub(crate) async fn pull_all(&self, token: &str, mut cursor: u64) -> (Vec<Change>, u64) {
        let mut all = Vec::new();
        loop {
            let page = self.pull(token, cursor, 1000).await;
            all.extend(page.changes);
            cursor = page.cursor;
            if !page.has_more {
                return (all, cursor);
            }
        }
    }
}

pub(crate) async fn spawn_app() -> TestApp {
    spawn_app_with_static(None).await
}

pub(crate) async fn spawn_app_with_static(static_dir: Option<PathBuf>) -> TestApp {
    spawn(static_dir, false).await
}

/// A server that loads the demo data set into its empty database, as on a first start.
pub(crate) async fn spawn_demo() -> TestApp {
    spawn(None, true).await
}

async fn spawn(static_dir: Option<PathBuf>, load_demo: bool) -> TestApp {
    spawn_with(Config { static_dir, load_demo, ..Config::default() }).await
}

/// A server with this configuration (its address and data folder replaced by a free port
/// and a fresh folder).
pub(crate) async fn spawn_with(config: Config) -> TestApp {
    if std::env::var_os("WANGGE_TEST_LOG").is_some() {
        // Once per test binary; later calls find a subscriber in place.
        let _ = tracing_subscriber::fmt().with_env_filter("warn").with_test_writer().try_init();
    }
    let data = tempfile::tempdir().expect("temp dir");
    let database = Some(test_db::fresh_database(data.path()));
    let config =
        Config { addr: "127.0.0.1:0".parse().unwrap(), data_dir: data.path().to_path_buf(), database, ..config };
    let (tx, rx) = tokio::sync::oneshot::channel();
    tokio::spawn(async move {
        serve(config, move |addr| {
            let _ = tx.send(addr);
        })
        .await
        .expect("server runs");
    });
    let addr = rx.await.expect("server bound a port");
    TestApp { addr, client: reqwest::Client::new(), data }
}

/// A server holding the small test world (see `world.rs`) and its four accounts.
pub(crate) async fn spawn_world() -> TestApp {
    spawn_world_with(Config { load_demo: false, ..Config::default() }).await
}

/// The same, with this configuration.
pub(crate) async fn spawn_world_with(config: Config) -> TestApp {
    let app = spawn_with(config).await;
    load_world(&app.db());
    app
}

/// A fresh data folder holding the test world, for tests that start the server binary.
pub(crate) fn world_folder() -> tempfile::TempDir {
    let data = tempfile::tempdir().expect("temp dir");
    test_db::fresh_database(data.path());
    load_world(&test_db::open_db(data.path()));
    data
}

/// The test world and its four accounts, loaded into `db`.
pub(crate) fn load_world(db: &Db) {
    db.load_dataset(&world::dataset()).expect("load the test world");
    for user in world::users() {
        assert!(db.add_user(&user, password_hash()).expect("add user"));
    }
}

/// Argon2 is slow in a debug build: hash the shared test password once per test run.
pub(crate) fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| wangge_server::auth::hash_password(world::PASSWORD).expect("hash"))
}

/// A server binary a test started: killed when the test ends, passing or failing (a
/// failed assertion before the test's own `kill` would leave it running otherwise).
pub(crate) struct ServerChild(Child);

impl std::ops::Deref for ServerChild {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for ServerChild {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for ServerChild {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the server binary on a free port over `data` and reads the address it prints.
/// A thread keeps reading the rest of its stdout (the log), so the pipe stays open and
/// never fills up and stalls the server.
pub(crate) fn start_binary(data: &Path) -> (ServerChild, SocketAddr) {
    start_binary_at(Path::new(env!("CARGO_BIN_EXE_wangge-server")), data, &[])
}

/// The same with another build of the server (the load test compares two) and more flags.
pub(crate) fn start_binary_at(bin: &Path, data: &Path, flags: &[&str]) -> (ServerChild, SocketAddr) {
    let mut cmd = Command::new(bin);
    test_db::database_env(&mut cmd, data);
    let mut child = cmd
        .args(["--addr", "127.0.0.1:0", "--no-demo", "--data"])
        .arg(data)
        .args(flags)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary");
    let stdout = child.stdout.take().expect("piped stdout");
    let mut reader = BufReader::new(stdout);
    let mut line = String::new();
    reader.read_line(&mut line).expect("read the banner");
    let addr = line
        .trim()
        .strip_prefix("Wangge is running at http://")
        .and_then(|s| s.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected banner {line:?}"))
        .parse()
        .expect("an address");
    // `WANGGE_SERVER_LOG=<file>` keeps the log (with `RUST_LOG` to choose what it holds).
    let mut log: Box<dyn std::io::Write + Send> = match std::env::var_os("WANGGE_SERVER_LOG") {
        Some(path) => Box::new(std::fs::File::create(path).expect("create the server log")),
        None => Box::new(std::io::sink()),
    };
    std::thread::spawn(move || std::io::copy(&mut reader, &mut log));
    (ServerChild(child), addr)
}

/// Asserts a JSON error reply with this status and `error.code`; returns the message.
pub(crate) async fn expect_error(res: reqwest::Response, status: u16, code: &str) -> String {
    assert_eq!(res.status(), status, "expected {status} {code}");
    let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap_or("").to_string()).unwrap_or_default();
    assert!(ct.starts_with("application/json"), "{code}: content-type {ct}");
    let body: Value = res.json().await.expect("a JSON error body");
    assert_eq!(body["error"]["code"], code, "{body}");
    let message = body["error"]["message"].as_str().expect("a message").to_string();
    assert!(!message.is_empty());
    message
}

/// The ids of upserted records of `collection` among `changes`.
pub(crate) fn upserted<'a>(changes: &'a [Change], collection: &str) -> Vec<&'a str> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Upsert { collection: k, id, .. } if k.name() == collection => Some(id.as_str()),
            _ => None,
        })
        .collect()
}

/// The ids of the events among `changes`.
pub(crate) fn events(changes: &[Change]) -> Vec<&str> {
    changes
        .iter()
        .filter_map(|c| match c {
            Change::Event { event, .. } => Some(event.id.as_str()),
            _ => None,
        })
        .collect()
}
