//! The server under load, for `cargo xtask bench` (not a test, never run by CI): a native
//! load generator that starts the **real release server binary** on loopback over a copy
//! of a village-scale database and drives it through the JSON API the way phones do.
//!
//! ```text
//! load throughput --server BIN --work DIR [--runs N] [--quick]
//! load sync-set   --work DIR
//! ```
//!
//! `throughput`: seeds `DIR/template` once (the core's demo generator at village scale,
//! 10,000 households / 20,000 issues, plus 500 grid-worker accounts and one district
//! account), then per run copies it, starts the server and measures: a district account's
//! full pull; 50 and 500 concurrent devices, each logged in with its own device token and
//! pushing small realistic batches (new issues with their "reported" event, visits,
//! comments on issues of its own grid) in a closed loop; and one device pushing 10,000
//! queued mutations in batches of 500. `sync-set`: the data set of the first-pull and
//! PouchDB comparison (about 10,000 households and 20,000 issues with their histories in
//! one district account's scope) as a server database and as PouchDB documents.
//!
//! Output: `BENCH {json}` lines on stdout (see `xtask/src/bench/report.rs`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use serde_json::{json, Value};
use std::io::BufRead;
use wangge_core::issue::{EventKind, Issue, IssueEvent};
use wangge_core::people::Role;
use wangge_core::sync::{
    Collection, FieldWrite, Mutation, MutationStatus, Op, PullResponse, PushRequest, PushResponse,
};
use wangge_core::visit::Visit;
use wangge_core::{CommentText, Date, EventId, GridId, IssueId, PersonId, VisitId, SCHEMA_VERSION};
use wangge_demo::{generate, DemoData, DemoSize};
use wangge_server::account::NewUser;
use wangge_server::Db;

/// 2026-11-23T00:00:00Z: the data set is the same on every run.
const NOW: i64 = 1_795_392_000_000;
const SEED: u64 = 2024;
const PASSWORD: &str = "wangge-bench";
/// The district whose account pulls everything (綦江区).
const DISTRICT: &str = "g500110000000000";
const DEVICES_MAX: usize = 500;
/// A small push: what a worker's phone sends after an hour or so of work.
const SMALL_BATCH: usize = 8;
/// Batch sizes of the one-device sweep (fixed cost per push vs cost per mutation).
const SWEEP: [usize; 4] = [1, 8, 64, 500];
const SWEEP_KEYS: [&str; 4] = ["sweep1", "sweep8", "sweep64", "sweep500"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    if let Err(err) = real_main(&args) {
        eprintln!("load: error: {err:#}");
        std::process::exit(1);
    }
}

fn real_main(args: &[String]) -> Result<()> {
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let work = PathBuf::from(flag("--work").context("--work DIR is required")?);
    match args.first().map(String::as_str) {
        Some("throughput") => {
            let server = PathBuf::from(flag("--server").context("--server BIN is required")?);
            let runs: usize = flag("--runs").map_or(Ok(3), |r| r.parse()).context("--runs")?;
            let quick = args.iter().any(|a| a == "--quick");
            throughput(&server, &work, runs.max(1), quick)
        }
        Some("sync-set") => sync_set(&work),
        _ => bail!("usage: load throughput --server BIN --work DIR [--runs N] [--quick] | load sync-set --work DIR"),
    }
}

// ---------------------------------------------------------------- output protocol

fn emit(v: Value) {
    println!("BENCH {v}");
}

fn metric(name: &str, unit: &str, samples: &[f64]) -> Value {
    json!({"name": name, "unit": unit, "samples": samples})
}

fn note(text: impl Into<String>) {
    emit(json!({"note": text.into()}));
}

fn say(msg: &str) {
    eprintln!("load: {msg}");
}

// ---------------------------------------------------------------- seeding

/// A bench account: username, person id and home grid.
#[derive(Clone)]
struct Account {
    username: String,
    person: PersonId,
    grid: GridId,
    role: Role,
}

fn bench_account(username: String, person: &str, grid: &GridId, role: Role) -> Account {
    Account { username, person: PersonId::parse(person).expect("bench person id"), grid: grid.clone(), role }
}

fn add_accounts(db: &Db, accounts: &[Account]) -> Result<()> {
    // One argon2 hash for all: the database stores hashes, so they can share one.
    let hash = wangge_server::auth::hash_password(PASSWORD).map_err(anyhow::Error::msg)?;
    for a in accounts {
        let user = NewUser {
            username: a.username.clone(),
            password: PASSWORD.into(),
            person_id: a.person.clone(),
            name: format!("压测{}", a.username),
            roles: vec![a.role],
            home_grid: a.grid.clone(),
        };
        ensure!(db.add_user(&user, &hash)?, "account {} exists", a.username);
    }
    Ok(())
}

/// The grid workers: one per device, spread round-robin over the grids that hold
/// households and issues, so scope checks and writes land all over the tree.
fn worker_accounts(data: &DemoData) -> Vec<Account> {
    let mut grids: Vec<&GridId> = data.households.iter().map(|h| &h.grid).collect();
    grids.sort();
    grids.dedup();
    let with_issues: std::collections::HashSet<&str> = data.issues.iter().map(|i| i.grid.as_str()).collect();
    grids.retain(|g| with_issues.contains(g.as_str()));
    (0..DEVICES_MAX)
        .map(|i| {
            bench_account(
                format!("bench-w{i:03}"),
                &format!("bench-worker-{i:03}"),
                grids[i % grids.len()],
                Role::GridWorker,
            )
        })
        .collect()
}

fn district_account() -> Account {
    bench_account("bench-district".into(), "bench-district", &GridId::parse(DISTRICT).unwrap(), Role::TownStaff)
}

/// The village-scale database with the bench accounts, made once per work folder.
fn template(work: &Path) -> Result<(PathBuf, DemoData)> {
    let dir = work.join("template");
    let data = generate(DemoSize::VILLAGE_SCALE, SEED, NOW);
    let done = dir.join("done");
    if done.exists() {
        return Ok((dir, data));
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    say("seeding the village-scale template database (once per work folder)");
    let t = Instant::now();
    {
        let db = Db::open(&dir.join("wangge.sqlite3"))?;
        db.load_dataset(&data)?;
        let mut accounts = worker_accounts(&data);
        accounts.push(district_account());
        add_accounts(&db, &accounts)?;
        db.call_blocking(|c| {
            c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            Ok(())
        })?;
    }
    note(format!(
        "template: village scale ({} households, {} issues, {} events, {} visits, {} grids), seeded in {:.1} s",
        data.households.len(),
        data.issues.len(),
        data.events.len(),
        data.visits.len(),
        data.grids.len(),
        t.elapsed().as_secs_f64()
    ));
    std::fs::write(&done, "")?;
    Ok((dir, data))
}

fn fresh_copy(template: &Path, to: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(template)? {
        let path = entry?.path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("wangge.sqlite3") {
            std::fs::copy(&path, to.join(&name))?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------- the server process

struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// Starts `bin` on a free loopback port and waits until it prints its address.
    fn start(bin: &Path, data: &Path) -> Result<Server> {
        let log = std::fs::File::create(data.join("server.log"))?;
        let mut child = Command::new(bin)
            .args(["--addr", "127.0.0.1:0", "--no-demo", "--data"])
            .arg(data)
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .with_context(|| format!("start {}", bin.display()))?;
        let stdout = child.stdout.take().context("server stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        // Keeps reading (and so draining) the server's stdout for as long as it runs.
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find("running at ") {
                    let _ = tx.send(line[at + 11..].trim().trim_end_matches('/').to_string());
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(base) => Ok(Server { child, base }),
            Err(e) => {
                let _ = child.kill();
                bail!("the server did not print its address: {e}")
            }
        }
    }
}

impl Server {
    /// CPU seconds the server process has used so far (user + system, from /proc).
    fn cpu_secs(&self) -> f64 {
        proc_cpu_secs(&format!("/proc/{}/stat", self.child.id()))
    }
}

/// utime + stime of a /proc/<pid>/stat file, in seconds (0 where /proc is missing).
fn proc_cpu_secs(stat: &str) -> f64 {
    let Ok(text) = std::fs::read_to_string(stat) else { return 0.0 };
    // Fields after the command name (which may hold spaces) start at state, field 3.
    let rest = text.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / clock_ticks()
}

fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// Median time of a small write + fsync in `dir`: the floor under every durable commit.
fn fsync_ms(dir: &Path, n: usize) -> Result<f64> {
    use std::io::Write;
    let path = dir.join("fsync-probe");
    let mut f = std::fs::File::create(&path)?;
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        f.write_all(&[i as u8; 4096])?;
        f.sync_all()?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    drop(f);
    let _ = std::fs::remove_file(&path);
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------- devices

struct Device {
    token: String,
    account: Account,
}

async fn login(client: &reqwest::Client, base: &str, account: &Account, device_name: &str) -> Result<Device> {
    let res = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": account.username, "password": PASSWORD, "device_name": device_name}))
        .send()
        .await?;
    ensure!(res.status() == 200, "login {}: {}", account.username, res.status());
    let body: Value = res.json().await?;
    let token = body["token"].as_str().context("login: no token")?.to_string();
    Ok(Device { token, account: account.clone() })
}

/// Logs every account in, at most 8 at a time (argon2 is deliberately slow).
async fn login_all(client: &reqwest::Client, base: &str, accounts: &[Account]) -> Result<Vec<Device>> {
    let sem = Arc::new(tokio::sync::Semaphore::new(8));
    let mut tasks = Vec::new();
    for (i, a) in accounts.iter().enumerate() {
        let (client, base, a, sem) = (client.clone(), base.to_string(), a.clone(), sem.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = sem.acquire().await;
            login(&client, &base, &a, &format!("bench phone {i}")).await
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await??);
    }
    Ok(out)
}

/// What a grid's worker can touch: households and issues of their grid, and templates.
struct GridStuff<'a> {
    households: Vec<&'a str>,
    issues: Vec<&'a Issue>,
}

fn by_grid(data: &DemoData) -> HashMap<&str, GridStuff<'_>> {
    let mut map: HashMap<&str, GridStuff<'_>> = HashMap::new();
    for h in &data.households {
        map.entry(h.grid.as_str())
            .or_insert_with(|| GridStuff { households: Vec::new(), issues: Vec::new() })
            .households
            .push(h.id.as_str());
    }
    for i in &data.issues {
        if let Some(s) = map.get_mut(i.grid.as_str()) {
            s.issues.push(i);
        }
    }
    map
}

/// Makes the mutations a device queues, in a fixed mix: per 8, two new issues each with
/// its "reported" event, two visits, two comments on existing issues of the grid. Ids are
/// fresh ULIDs; contents are taken from the demo data of the same grid.
struct Workload<'a> {
    stuff: &'a HashMap<&'a str, GridStuff<'a>>,
    visit_templates: &'a [Visit],
    counter: u64,
}

impl Workload<'_> {
    fn random(&mut self) -> [u8; 10] {
        self.counter += 1;
        let mut r = [0u8; 10];
        r[..8].copy_from_slice(&self.counter.to_be_bytes());
        r
    }

    fn mutations(&mut self, account: &Account, first_seq: u64, n: usize) -> Vec<Mutation> {
        let stuff = &self.stuff[account.grid.as_str()];
        let mut ops: Vec<Op> = Vec::with_capacity(n);
        let mut k = first_seq as usize;
        while ops.len() < n {
            let at = NOW + (k as i64) * 1000;
            match k % 4 {
                0 => {
                    let template = stuff.issues[k % stuff.issues.len()];
                    let issue = Issue {
                        id: IssueId::generate(at, self.random()),
                        reporter: account.person.clone(),
                        created_at: at,
                        due_at: None,
                        ..template.clone()
                    };
                    let reported = IssueEvent::new(
                        issue.id.clone(),
                        at,
                        account.person.clone(),
                        account.role,
                        EventKind::Reported,
                        self.random(),
                    );
                    ops.push(put(Collection::Issues, issue.id.as_str(), &issue));
                    ops.push(Op::AppendEvent { event: reported });
                }
                1 => {
                    let template = &self.visit_templates[k % self.visit_templates.len()];
                    let visit = Visit {
                        id: VisitId::generate(at, self.random()),
                        household: wangge_core::HouseholdId::parse(stuff.households[k % stuff.households.len()])
                            .unwrap(),
                        worker: account.person.clone(),
                        date: Date::of_millis(at),
                        issues: Vec::new(),
                        ..template.clone()
                    };
                    ops.push(put(Collection::Visits, visit.id.as_str(), &visit));
                }
                _ => {
                    let issue = stuff.issues[(k * 7) % stuff.issues.len()];
                    let event = IssueEvent {
                        id: EventId::generate(at, self.random()),
                        issue: issue.id.clone(),
                        at,
                        actor: account.person.clone(),
                        actor_role: account.role,
                        kind: EventKind::Commented {
                            text: CommentText::parse("已电话联系住户，明天上门查看").unwrap(),
                        },
                        meeting: None,
                        photos: Vec::new(),
                    };
                    ops.push(Op::AppendEvent { event });
                }
            }
            k += 1;
        }
        ops.truncate(n);
        ops.into_iter().enumerate().map(|(i, op)| Mutation { seq: first_seq + i as u64, op }).collect()
    }
}

/// A put of every field of a new record (base 0), exactly as the app's store queues it.
fn put(collection: Collection, id: &str, record: &impl serde::Serialize) -> Op {
    let Ok(Value::Object(map)) = serde_json::to_value(record) else { panic!("a record is an object") };
    let fields = map.into_iter().map(|(k, value)| (k, FieldWrite { value, base: 0 })).collect();
    Op::Put { collection, id: id.to_string(), fields }
}

/// A push body naming the server epoch the device heard on its last sync, as the app does.
fn push_body(client_id: &str, epoch: &str, mutations: Vec<Mutation>) -> Vec<u8> {
    let req = PushRequest {
        client_id: client_id.into(),
        schema_version: SCHEMA_VERSION,
        mutations,
        epoch: Some(epoch.into()),
    };
    serde_json::to_vec(&req).unwrap()
}

/// The server's epoch, as a device hears it on its first pull.
async fn epoch(client: &reqwest::Client, base: &str, token: &str) -> Result<String> {
    let res = client.get(format!("{base}/api/v1/sync/pull?cursor=0&limit=1")).bearer_auth(token).send().await?;
    ensure!(res.status() == 200, "pull: {}", res.status());
    Ok(res.json::<PullResponse>().await?.epoch)
}

#[derive(Default)]
struct PushTally {
    latencies_ms: Vec<f64>,
    mutations: usize,
    rejected: usize,
    conflicts: usize,
    first_rejection: Option<String>,
}

async fn push_once(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    body: Vec<u8>,
    tally: &mut PushTally,
) -> Result<()> {
    let t = Instant::now();
    let res = client
        .post(format!("{base}/api/v1/sync/push"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await?;
    let status = res.status();
    let bytes = res.bytes().await?;
    tally.latencies_ms.push(t.elapsed().as_secs_f64() * 1000.0);
    ensure!(status == 200, "push: {status}: {}", String::from_utf8_lossy(&bytes));
    let reply: PushResponse = serde_json::from_slice(&bytes)?;
    for r in &reply.results {
        tally.mutations += 1;
        match r.status {
            MutationStatus::Rejected => {
                tally.rejected += 1;
                if tally.first_rejection.is_none() {
                    tally.first_rejection = Some(format!("{:?}: {:?}", r.code, r.message));
                }
            }
            MutationStatus::Conflict => tally.conflicts += 1,
            MutationStatus::Applied => {}
        }
    }
    Ok(())
}

/// `devices` phones each push `pushes` batches of `batch` mutations back to back.
/// Returns (mutations/s, tally).
// The bench's knobs, named at each call; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
async fn concurrent_pushes(
    client: &reqwest::Client,
    base: &str,
    devices: &[Device],
    epoch: &str,
    work: &mut Workload<'_>,
    run: usize,
    pushes: usize,
    batch: usize,
) -> Result<(f64, PushTally)> {
    // Bodies are made before the clock starts: the server is measured, not serde here.
    let mut plans = Vec::new();
    for (d, dev) in devices.iter().enumerate() {
        let client_id = format!("bench-r{run}-n{}-d{d}", devices.len());
        let bodies: Vec<Vec<u8>> = (0..pushes)
            .map(|p| push_body(&client_id, epoch, work.mutations(&dev.account, (p * batch + 1) as u64, batch)))
            .collect();
        plans.push((dev.token.clone(), bodies));
    }
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (token, bodies) in plans {
        let (client, base) = (client.clone(), base.to_string());
        tasks.push(tokio::spawn(async move {
            let mut tally = PushTally::default();
            for body in bodies {
                push_once(&client, &base, &token, body, &mut tally).await?;
            }
            Ok::<_, anyhow::Error>(tally)
        }));
    }
    let mut all = PushTally::default();
    for t in tasks {
        let tally = t.await??;
        all.latencies_ms.extend(tally.latencies_ms);
        all.mutations += tally.mutations;
        all.rejected += tally.rejected;
        all.conflicts += tally.conflicts;
        all.first_rejection = all.first_rejection.or(tally.first_rejection);
    }
    let secs = start.elapsed().as_secs_f64();
    Ok((all.mutations as f64 / secs, all))
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

/// Pulls every page from cursor 0; returns (seconds, changes, bytes).
async fn pull_all(client: &reqwest::Client, base: &str, token: &str) -> Result<(f64, usize, usize)> {
    let (mut cursor, mut changes, mut bytes) = (0u64, 0usize, 0usize);
    let start = Instant::now();
    loop {
        let res =
            client.get(format!("{base}/api/v1/sync/pull?cursor={cursor}&limit=1000")).bearer_auth(token).send().await?;
        ensure!(res.status() == 200, "pull: {}", res.status());
        let body = res.bytes().await?;
        bytes += body.len();
        let page: PullResponse = serde_json::from_slice(&body)?;
        changes += page.changes.len();
        cursor = page.cursor;
        if !page.has_more {
            break;
        }
    }
    Ok((start.elapsed().as_secs_f64(), changes, bytes))
}

// ---------------------------------------------------------------- throughput

#[derive(Default)]
struct Series {
    values: HashMap<&'static str, Vec<f64>>,
}

impl Series {
    fn add(&mut self, key: &'static str, v: f64) {
        self.values.entry(key).or_default().push(v);
    }
    fn get(&self, key: &str) -> Vec<f64> {
        self.values.get(key).cloned().unwrap_or_default()
    }
}

fn throughput(server: &Path, work: &Path, runs: usize, quick: bool) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (template_dir, data) = template(work)?;
    let stuff = by_grid(&data);
    let accounts = worker_accounts(&data);
    let mut workload = Workload { stuff: &stuff, visit_templates: &data.visits, counter: 0 };
    // Closed loop: each device sends its next push when the last one is answered.
    let scenarios: [(usize, usize); 2] = if quick { [(50, 4), (500, 1)] } else { [(50, 20), (500, 4)] };
    let mut series = Series::default();
    let mut notes: Vec<String> = Vec::new();
    for run in 0..runs {
        let dir = work.join(format!("run-{run}"));
        fresh_copy(&template_dir, &dir)?;
        rt.block_on(async {
            let srv = Server::start(server, &dir)?;
            let client = reqwest::Client::builder().pool_max_idle_per_host(DEVICES_MAX + 10).build()?;
            say(&format!("run {}/{runs}: logging in {DEVICES_MAX} devices", run + 1));
            let t = Instant::now();
            let devices = login_all(&client, &srv.base, &accounts).await?;
            series.add("login", DEVICES_MAX as f64 / t.elapsed().as_secs_f64());

            say("pull: the district account pulls its whole scope");
            let district = login(&client, &srv.base, &district_account(), "bench district phone").await?;
            let (secs, changes, bytes) = pull_all(&client, &srv.base, &district.token).await?;
            series.add("pull_s", secs);
            series.add("pull_rate", changes as f64 / secs);
            let epoch = epoch(&client, &srv.base, &devices[0].token).await?;
            if run == 0 {
                notes.push(format!(
                    "full pull of the 綦江区 district account: {changes} changes (records and events), {:.1} MB of JSON, pages of 1,000",
                    bytes as f64 / 1e6
                ));
            }

            for (n, pushes) in scenarios {
                say(&format!("{n} devices × {pushes} pushes of {SMALL_BATCH} mutations"));
                let (cpu0, me0, t0) = (srv.cpu_secs(), proc_cpu_secs("/proc/self/stat"), Instant::now());
                // With WANGGE_BENCH_PERF=<file>: `perf record` the server through run 1's 50 devices.
                let perf = match std::env::var_os("WANGGE_BENCH_PERF") {
                    Some(out) if run == 0 && n == 50 => Command::new("perf")
                        .args(["record", "-F", "999", "-g", "-p", &srv.child.id().to_string(), "-o"])
                        .arg(out)
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .spawn()
                        .ok(),
                    _ => None,
                };
                if perf.is_some() {
                    std::thread::sleep(Duration::from_millis(500)); // perf attaches
                }
                let (rate, mut tally) = concurrent_pushes(&client, &srv.base, &devices[..n], &epoch, &mut workload, run, pushes, SMALL_BATCH).await?;
                let wall = t0.elapsed().as_secs_f64();
                if let Some(mut perf) = perf {
                    let _ = Command::new("kill").args(["-INT", &perf.id().to_string()]).status();
                    let _ = perf.wait();
                }
                series.add(if n == 50 { "cpu_50" } else { "cpu_500" }, (srv.cpu_secs() - cpu0) / wall);
                series.add(if n == 50 { "me_50" } else { "me_500" }, (proc_cpu_secs("/proc/self/stat") - me0) / wall);
                tally.latencies_ms.sort_by(f64::total_cmp);
                let (k_rate, k_p50, k_p99) = if n == 50 { ("r50", "p50_50", "p99_50") } else { ("r500", "p50_500", "p99_500") };
                series.add(k_rate, rate);
                series.add(k_p50, percentile(&tally.latencies_ms, 50.0));
                series.add(k_p99, percentile(&tally.latencies_ms, 99.0));
                if run == 0 {
                    notes.push(format!(
                        "{n} devices: {} pushes of {SMALL_BATCH} mutations, {} mutations; rejected {}, conflicts {}{}",
                        tally.latencies_ms.len(),
                        tally.mutations,
                        tally.rejected,
                        tally.conflicts,
                        tally.first_rejection.as_ref().map(|r| format!(" (first: {r})")).unwrap_or_default()
                    ));
                }
                ensure!(tally.rejected == 0, "{n} devices: {} mutations rejected, first {:?}", tally.rejected, tally.first_rejection);
            }

            let total = if quick { 2_000 } else { 10_000 };
            say(&format!("one device pushes {total} queued mutations in batches of 500"));
            let dev = &devices[0];
            let client_id = format!("bench-r{run}-big");
            let bodies: Vec<Vec<u8>> = (0..total / 500).map(|b| push_body(&client_id, &epoch, workload.mutations(&dev.account, (b * 500 + 1) as u64, 500))).collect();
            let mut tally = PushTally::default();
            let t = Instant::now();
            for body in bodies {
                push_once(&client, &srv.base, &dev.token, body, &mut tally).await?;
            }
            let secs = t.elapsed().as_secs_f64();
            ensure!(tally.rejected == 0, "big push: {} rejected, first {:?}", tally.rejected, tally.first_rejection);
            series.add("big_s", secs);
            series.add("big_rate", tally.mutations as f64 / secs);
            tally.latencies_ms.sort_by(f64::total_cmp);
            series.add("big_p50", percentile(&tally.latencies_ms, 50.0));

            // Where a push's time goes: one device, batches of several sizes, one at a time.
            for (i, size) in SWEEP.iter().enumerate() {
                let client_id = format!("bench-r{run}-sweep{size}");
                let count = if quick { 5 } else { 20 };
                let bodies: Vec<Vec<u8>> =
                    (0..count).map(|b| push_body(&client_id, &epoch, workload.mutations(&dev.account, (b * size + 1) as u64, *size))).collect();
                let mut tally = PushTally::default();
                for body in bodies {
                    push_once(&client, &srv.base, &dev.token, body, &mut tally).await?;
                }
                tally.latencies_ms.sort_by(f64::total_cmp);
                series.add(SWEEP_KEYS[i], percentile(&tally.latencies_ms, 50.0));
            }
            drop(srv);
            Ok::<_, anyhow::Error>(())
        })?;
        let _ = std::fs::remove_dir_all(&dir);
    }
    let (p50, p99) = ("p50 latency per push", "p99 latency per push");
    emit(throughput_metric("50 devices: throughput", &series.get("r50")));
    emit(metric(&format!("50 devices: {p50}"), "ms", &series.get("p50_50")));
    emit(metric(&format!("50 devices: {p99}"), "ms", &series.get("p99_50")));
    emit(throughput_metric("500 devices: throughput", &series.get("r500")));
    emit(metric(&format!("500 devices: {p50}"), "ms", &series.get("p50_500")));
    emit(metric(&format!("500 devices: {p99}"), "ms", &series.get("p99_500")));
    let total = if quick { 2_000 } else { 10_000 };
    emit(metric(&format!("push of {total} queued mutations (batches of 500): time"), "s", &series.get("big_s")));
    emit(metric(&format!("push of {total} queued mutations: throughput"), "mutations/s", &series.get("big_rate")));
    emit(metric("push of 500 mutations: p50 latency", "ms", &series.get("big_p50")));
    emit(metric("full pull (district scope): time", "s", &series.get("pull_s")));
    emit(metric("full pull (district scope): throughput", "changes/s", &series.get("pull_rate")));
    emit(metric("login (argon2id), 8 at a time", "logins/s", &series.get("login")));
    emit(metric("50 devices: server CPU use", "cores", &series.get("cpu_50")));
    emit(metric("500 devices: server CPU use", "cores", &series.get("cpu_500")));
    emit(metric("500 devices: load generator CPU use", "cores", &series.get("me_500")));
    let mut points = Vec::new();
    for (i, size) in SWEEP.iter().enumerate() {
        let v = series.get(SWEEP_KEYS[i]);
        emit(metric(&format!("one device, pushes of {size}: p50 latency"), "ms", &v));
        if let Some(m) = median(&v) {
            points.push((*size as f64, m));
        }
    }
    // Small pushes (what phones send) fit a line; the 500 batch is reported on its own.
    let small: Vec<(f64, f64)> = points.iter().copied().filter(|(x, _)| *x <= 64.0).collect();
    if let (Some((fixed, per)), Some((_, big))) = (fit(&small), points.iter().find(|(x, _)| *x == 500.0)) {
        note(format!(
            "one device's pushes of 1–64 mutations fit ≈ {fixed:.2} ms per push + {:.0} µs per mutation (least squares over the medians); a push of 500 costs {:.0} µs per mutation",
            per * 1000.0,
            big / 500.0 * 1000.0
        ));
    }
    let fsync = fsync_ms(work, if quick { 20 } else { 100 })?;
    emit(metric("this disk: 4 KB write + fsync, median", "ms", &[fsync]));
    for n in notes {
        note(n);
    }
    note(format!(
        "closed loop: each device sends its next push when the last is answered; small pushes are {SMALL_BATCH} mutations (2 new issues + their \"reported\" events, 2 visits, 2 comments); one SQLite transaction with synchronous=FULL per push; load generator and server share the machine's cores"
    ));
    Ok(())
}

fn median(v: &[f64]) -> Option<f64> {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    (!s.is_empty()).then(|| if s.len() % 2 == 1 { s[s.len() / 2] } else { (s[s.len() / 2 - 1] + s[s.len() / 2]) / 2.0 })
}

/// Least squares y = a + b·x; None with fewer than two distinct x.
fn fit(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let n = points.len() as f64;
    let (sx, sy) = points.iter().fold((0.0, 0.0), |(a, b), (x, y)| (a + x, b + y));
    let (mx, my) = (sx / n, sy / n);
    let sxx: f64 = points.iter().map(|(x, _)| (x - mx).powi(2)).sum();
    if sxx == 0.0 {
        return None;
    }
    let b = points.iter().map(|(x, y)| (x - mx) * (y - my)).sum::<f64>() / sxx;
    Some((my - b * mx, b))
}

// ---------------------------------------------------------------- the sync comparison set

/// Generated bigger than village scale, so that the one district account's scope (綦江区)
/// holds about 10,000 households and 20,000 issues; visits are left out, so the pull is
/// "the 30,000 records" plus the issues' histories.
const SYNC_SIZE: DemoSize = DemoSize { households: 14_700, issues: 29_400 };

fn sync_set(work: &Path) -> Result<()> {
    let dir = work.join("sync-set");
    let done = dir.join("done");
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        let all = generate(SYNC_SIZE, SEED, NOW);
        let inside = |g: &GridId| g.as_str().starts_with(&DISTRICT[..7]);
        let issues: Vec<Issue> = all.issues.iter().filter(|i| inside(&i.grid)).cloned().collect();
        let ids: std::collections::HashSet<&str> = issues.iter().map(|i| i.id.as_str()).collect();
        let data = DemoData {
            grids: all.grids.iter().filter(|g| inside(&g.id)).cloned().collect(),
            people: all.people.iter().filter(|p| inside(&p.grid)).cloned().collect(),
            households: all.households.iter().filter(|h| inside(&h.grid)).cloned().collect(),
            units: all.units.iter().filter(|u| inside(&u.grid)).cloned().collect(),
            events: all.events.iter().filter(|e| ids.contains(e.issue.as_str())).cloned().collect(),
            issues,
            visits: Vec::new(),
            meetings: Vec::new(),
            mediations: Vec::new(),
            lists: Vec::new(),
            tasks: Vec::new(),
        };
        let db = Db::open(&dir.join("wangge.sqlite3"))?;
        db.load_dataset(&data)?;
        add_accounts(&db, &[district_account()])?;
        db.call_blocking(|c| {
            c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            Ok(())
        })?;
        drop(db);
        write_pouch_docs(&data, &dir.join("pouch-docs.json"))?;
        let summary = json!({
            "username": "bench-district", "password": PASSWORD,
            "grids": data.grids.len(), "people": data.people.len(), "households": data.households.len(),
            "units": data.units.len(), "issues": data.issues.len(), "events": data.events.len(),
        });
        std::fs::write(dir.join("summary.json"), summary.to_string())?;
        std::fs::write(&done, "")?;
    }
    let summary: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json"))?)?;
    println!("SYNCSET {}", json!({"dir": dir, "summary": summary}));
    Ok(())
}

/// The same records as PouchDB documents, the way a CouchDB app would shape them: one
/// document per record, an issue's history embedded in its document (`events`).
fn write_pouch_docs(data: &DemoData, path: &Path) -> Result<()> {
    let mut history: HashMap<&str, Vec<&IssueEvent>> = HashMap::new();
    for e in &data.events {
        history.entry(e.issue.as_str()).or_default().push(e);
    }
    let mut docs: Vec<Value> = Vec::new();
    let mut doc = |kind: &str, id: &str, record: Value| {
        let Value::Object(mut m) = record else { return };
        m.insert("_id".into(), json!(format!("{kind}:{id}")));
        m.insert("type".into(), json!(kind));
        docs.push(Value::Object(m));
    };
    for g in &data.grids {
        doc("grid", g.id.as_str(), serde_json::to_value(g)?);
    }
    for p in &data.people {
        doc("person", p.id.as_str(), serde_json::to_value(p)?);
    }
    for u in &data.units {
        doc("unit", u.id.as_str(), serde_json::to_value(u)?);
    }
    for h in &data.households {
        doc("household", h.id.as_str(), serde_json::to_value(h)?);
    }
    for i in &data.issues {
        let mut v = serde_json::to_value(i)?;
        v["events"] = serde_json::to_value(history.get(i.id.as_str()).cloned().unwrap_or_default())?;
        doc("issue", i.id.as_str(), v);
    }
    std::fs::write(path, serde_json::to_vec(&docs)?)?;
    Ok(())
}

/// A throughput measure with its goal (5,000 mutations/s, higher is better).
fn throughput_metric(name: &str, samples: &[f64]) -> Value {
    let mut m = metric(name, "mutations/s", samples);
    if let Some(fields) = m.as_object_mut() {
        fields.insert("goal".into(), json!(5000));
        fields.insert("better".into(), json!("higher"));
    }
    m
}
