//! The real server as the differential test drives it: the axum router over a real SQLite
//! file, called in-process (no socket: a request is one `oneshot` through the router, so
//! thousands of seeds stay affordable), with the small test world and two accounts loaded
//! and one device token per phone written straight into `devices` (no argon2 login).
//! A restart drops the router and its `Db` and opens the same file again; an epoch change
//! is a fresh copy of the world's database under a new epoch, as restoring a backup taken
//! before the script began gives one (`wangge-server restore` also gives a backup a new
//! epoch).

use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use wangge_core::grid::{Grid, GridCode, GridLevel};
use wangge_core::household::Household;
use wangge_core::issue::{Issue, IssueEvent};
use wangge_core::people::Role;
use wangge_core::sync::{PullRequest, PullResponse, PushRequest, PushResponse};
use wangge_core::unit::Unit;
use wangge_core::{GridId, GridName, PersonId};
use wangge_server::account::NewUser;
use wangge_server::db::Dataset;
use wangge_server::{router, AppState, Config, Db};

pub(crate) const TOWN: &str = "g500110001000000";
pub(crate) const COMMUNITY: &str = "g500110001001000";
pub(crate) const GROUP_A: &str = "g500110001001001";
pub(crate) const GROUP_B: &str = "g500110001001002";
/// The world's households and issues, which every phone may edit (never delete unless
/// the losing-delete switch is on).
pub(crate) const SHARED_HOUSEHOLDS: [&str; 2] = ["hh-a", "hh-b"];
pub(crate) const ISSUES: [&str; 2] = ["issue-a", "issue-b"];
/// The world's units, which every phone may edit (never deleted).
pub(crate) const SHARED_UNITS: [&str; 2] = ["unit-a", "unit-b"];

/// The two accounts the phones sync as: both keep the roster (may delete households and
/// units) and both see every grid the script writes in.
pub(crate) struct Account {
    pub(crate) username: &'static str,
    pub(crate) person: &'static str,
    pub(crate) role: Role,
    grid: &'static str,
}

pub(crate) const ACCOUNTS: [Account; 2] = [
    Account { username: "secretary", person: "p-secretary", role: Role::CommunitySecretary, grid: COMMUNITY },
    Account { username: "town", person: "p-town", role: Role::TownStaff, grid: TOWN },
];

/// What a push came to, in a shape both servers can be put in.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PushReply {
    Done(PushResponse),
    /// Refused whole: the batch names another epoch (the server's given).
    EpochMismatch(String),
    /// Refused whole: a seq is missing before the batch.
    Gap,
}

pub(crate) struct Real {
    dir: tempfile::TempDir,
    app: Option<Router>,
    pub(crate) epoch: String,
    /// The world's "now": event times are placed around it, and it is real time because the
    /// server judges an event's time by its own clock (core `accepted_time`).
    pub(crate) now: i64,
    /// What a first pull from zero answers before any push (the template's feed under this
    /// database's epoch): the phones' first sync, without asking the server each time.
    pub(crate) initial: PullResponse,
}

thread_local! {
    static RUNTIME: tokio::runtime::Runtime =
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime for the test thread");
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    RUNTIME.with(|rt| rt.block_on(f))
}

/// Where databases go: tmpfs when there is one (an fsync there costs nothing, and the test
/// checks decisions, not durability: `tests/api/crash.rs` does that).
fn scratch_root() -> Option<PathBuf> {
    let shm = PathBuf::from("/dev/shm");
    shm.is_dir().then_some(shm)
}

pub(crate) fn token(phone: usize) -> String {
    format!("diff-token-{phone}")
}

/// The world's database, made once per test process: each seed starts from a copy of it
/// with a fresh epoch (making one takes a migration run and a load, a tenth of a second
/// or more on a busy machine).
struct Template {
    dir: tempfile::TempDir,
    now: i64,
    /// Its whole feed, as the first pull of any phone gets it (every phone sees all of it).
    feed: PullResponse,
}

fn template(accounts: &[usize]) -> &'static Template {
    static TEMPLATE: std::sync::OnceLock<Template> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = scratch_dir();
        let now = wangge_now();
        let db = Db::open(&dir.path().join("wangge.sqlite3")).expect("open a fresh database");
        db.load_dataset(&dataset(now)).expect("load the world");
        for a in &ACCOUNTS {
            // Never checked: nobody logs in, the phones' tokens are written below.
            assert!(db.add_user(&new_user(a), "$argon2id$unused").expect("add an account"));
        }
        let devices: Vec<(String, &'static str, Vec<u8>)> = accounts
            .iter()
            .enumerate()
            .map(|(p, a)| (format!("device-{p}"), ACCOUNTS[*a].username, Sha256::digest(token(p).as_bytes()).to_vec()))
            .collect();
        db.call_blocking(move |c| {
            for (id, user, hash) in &devices {
                c.execute(
                    "INSERT INTO devices (device_id, username, name, token_hash, created_at, last_seen_at)
                     VALUES (?1, ?2, 'diff phone', ?3, ?4, ?4)",
                    wangge_server::params![id, user, hash, now],
                )?;
            }
            // Everything in the main file, so a copy of it alone is the whole database.
            c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")?;
            Ok(())
        })
        .expect("add the devices");
        // Nothing writes to the template from here on: every seed copies its file while
        // others may be running. Its feed is read from a copy.
        drop(db);
        let placeholder = PullResponse { changes: vec![], cursor: 0, has_more: false, epoch: String::new() };
        let real = Real::copy_of(&dir, now, placeholder);
        let feed = real.pull(0, &PullRequest { cursor: 0, limit: 1000 });
        assert!(!feed.has_more, "the world fits one page");
        for p in 1..accounts.len() {
            let other = real.pull(p, &PullRequest { cursor: 0, limit: 1000 });
            assert_eq!(other, feed, "every phone sees the whole world");
        }
        Template { dir, now, feed }
    })
}

fn scratch_dir() -> tempfile::TempDir {
    match scratch_root() {
        Some(root) => tempfile::tempdir_in(root),
        None => tempfile::tempdir(),
    }
    .expect("a temporary folder")
}

impl Real {
    /// A fresh database holding the world, with a device for each phone (`accounts[p]`
    /// is phone p's account; the same on every call of one process), under a new epoch.
    pub(crate) fn new(accounts: &[usize]) -> Real {
        let template = template(accounts);
        Real::copy_of(&template.dir, template.now, template.feed.clone())
    }

    /// A server over a copy of the database in `template`, under a new epoch, whose first
    /// pull is `feed` (under that epoch).
    fn copy_of(template: &tempfile::TempDir, now: i64, feed: PullResponse) -> Real {
        let dir = scratch_dir();
        let path = dir.path().join("wangge.sqlite3");
        std::fs::copy(template.path().join("wangge.sqlite3"), &path).expect("copy the world's database");
        let conn = rusqlite::Connection::open(&path).expect("open the copy");
        let epoch: String = conn
            .query_row(
                "UPDATE server_meta SET value = lower(hex(randomblob(16))) WHERE key = 'epoch' RETURNING value",
                [],
                |r| r.get(0),
            )
            .expect("a new epoch");
        drop(conn);
        let db = Db::open(&path).expect("open the database");
        let initial = PullResponse { epoch: epoch.clone(), ..feed };
        let mut real = Real { dir, app: None, epoch, now, initial };
        real.app = Some(real.open(db));
        real
    }

    fn open(&self, db: Db) -> Router {
        let config = Config { data_dir: self.dir.path().to_path_buf(), load_demo: false, ..Config::default() };
        router(AppState::new(db, config).expect("start the server state"))
    }

    /// Stops the server (its `Db` and writer thread go with the router) and starts it again
    /// on the same file.
    pub(crate) fn restart(&mut self) {
        self.app = None;
        let db = Db::open(&self.dir.path().join("wangge.sqlite3")).expect("reopen the database");
        self.app = Some(self.open(db));
    }

    fn call(&self, request: Request<Body>) -> (StatusCode, Value) {
        let app = self.app.clone().expect("the server is running");
        block_on(async move {
            let res = app.oneshot(request).await.expect("the router answers");
            let status = res.status();
            let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.expect("read the answer");
            (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
        })
    }

    pub(crate) fn push(&self, phone: usize, push: &PushRequest) -> PushReply {
        let body = serde_json::to_vec(push).expect("a push serialises");
        let request = Request::post("/api/v1/sync/push")
            .header("host", "localhost")
            .header("content-type", "application/json")
            .header("authorization", format!("Bearer {}", token(phone)))
            .body(Body::from(body))
            .expect("a request");
        match self.call(request) {
            (StatusCode::OK, body) => PushReply::Done(serde_json::from_value(body).expect("a push response")),
            (StatusCode::CONFLICT, body) if body["error"]["code"] == "epoch_mismatch" => {
                PushReply::EpochMismatch(body["error"]["epoch"].as_str().expect("the server's epoch").to_owned())
            }
            (StatusCode::CONFLICT, body) if body["error"]["code"] == "seq_gap" => PushReply::Gap,
            (status, body) => panic!("push answered {status}: {body}"),
        }
    }

    pub(crate) fn pull(&self, phone: usize, pull: &PullRequest) -> PullResponse {
        let request = Request::get(format!("/api/v1/sync/pull?cursor={}&limit={}", pull.cursor, pull.limit))
            .header("host", "localhost")
            .header("authorization", format!("Bearer {}", token(phone)))
            .body(Body::empty())
            .expect("a request");
        match self.call(request) {
            (StatusCode::OK, body) => serde_json::from_value(body).expect("a pull response"),
            (status, body) => panic!("pull answered {status}: {body}"),
        }
    }
}

fn wangge_now() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).expect("a clock after 1970");
    i64::try_from(since.as_millis()).expect("milliseconds fit")
}

fn new_user(a: &Account) -> NewUser {
    NewUser {
        username: a.username.into(),
        password: String::new(),
        person_id: PersonId::parse(a.person).expect("a person id"),
        name: format!("测试{}", a.username),
        roles: vec![a.role],
        home_grid: GridId::parse(a.grid).expect("a grid id"),
    }
}

fn grid(id: &str, name: &str, level: GridLevel, parent: Option<&str>) -> Grid {
    Grid {
        id: GridId::parse(id).expect("a grid id"),
        name: GridName::parse(name).expect("a grid name"),
        level,
        parent: parent.map(|p| GridId::parse(p).expect("a grid id")),
        code: Some(GridCode::parse(&id[1..]).expect("a grid code")),
        retired: false,
    }
}

/// The world of `tests/api/world.rs`, with the reports a day before `now`.
fn dataset(now: i64) -> Dataset {
    let t0 = now - 24 * 3600 * 1000;
    let household = |id: &str, grid: &str| {
        serde_json::from_value::<Household>(
            json!({"id": id, "grid": grid, "address": "二村小区3栋2单元501", "tags": ["living_alone_elderly"]}),
        )
        .expect("a household")
    };
    let issue = |id: &str, grid: &str| {
        serde_json::from_value::<Issue>(json!({
            "id": id, "title": "人行道被汽修店车辆压坏", "description": "路面破损多年无人修", "category": "infrastructure",
            "source": "visit", "grid": grid, "household": null, "unit": null, "location": null,
            "reporter": "p-worker-a", "priority": "normal", "due_at": null, "created_at": t0
        }))
        .expect("an issue")
    };
    let unit = |id: &str, grid: &str| {
        serde_json::from_value::<Unit>(json!({"id": id, "grid": grid, "name": "綦齿五金店", "kind": "shop",
            "address": "綦齿路88号附2号", "contact": null, "phone": null}))
        .expect("a unit")
    };
    let reported = |id: &str, issue: &str| {
        serde_json::from_value::<IssueEvent>(json!({"id": id, "issue": issue, "at": t0, "actor": "p-worker-a",
            "actor_role": "grid_worker", "kind": {"type": "reported"}}))
        .expect("an event")
    };
    Dataset {
        grids: vec![
            grid("g500110000000000", "綦江区", GridLevel::District, None),
            grid(TOWN, "古南街道", GridLevel::Town, Some("g500110000000000")),
            grid(COMMUNITY, "綦齿社区", GridLevel::Community, Some(TOWN)),
            grid(GROUP_A, "一村", GridLevel::Group, Some(COMMUNITY)),
            grid(GROUP_B, "二村", GridLevel::Group, Some(COMMUNITY)),
        ],
        households: vec![household(SHARED_HOUSEHOLDS[0], GROUP_A), household(SHARED_HOUSEHOLDS[1], GROUP_B)],
        issues: vec![issue(ISSUES[0], GROUP_A), issue(ISSUES[1], GROUP_B)],
        units: vec![unit(SHARED_UNITS[0], GROUP_A), unit(SHARED_UNITS[1], GROUP_B)],
        events: vec![reported("ev-a-1", ISSUES[0]), reported("ev-b-1", ISSUES[1])],
        ..Dataset::default()
    }
}
