//! Many devices pushing at once: the real server binary over a village-scale database
//! (10,000 households, 20,000 issues, 500 grid-worker accounts), driven through the JSON
//! API by 50 and then 500 logged-in devices, each pushing 8-mutation batches (two new
//! issues with their "reported" events, two visits, two comments) in a closed loop — the
//! workload of `cargo xtask bench`'s server section. A measurement, not a check:
//!
//! `cargo test -p wangge-server --release -- --ignored concurrent_devices --nocapture`
//!
//! The seeded database is kept in `$TMPDIR/wangge-load-template` between runs (delete it
//! to reseed). `WANGGE_LOAD_PUSHES=50x20,500x4` overrides devices × pushes per device;
//! `WANGGE_LOAD_SERVER=/path/to/wangge-server` measures another build of the server.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{json, Value};
use wangge_core::issue::{EventKind, Issue, IssueEvent};
use wangge_core::people::Role;
use wangge_core::sync::{
    Collection, FieldWrite, Mutation, MutationStatus, Op, PullResponse, PushRequest, PushResponse,
};
use wangge_core::visit::Visit;
use wangge_core::{CommentText, Date, EventId, GridId, HouseholdId, IssueId, PersonId, VisitId, SCHEMA_VERSION};
use wangge_demo::{generate, DemoData, DemoSize};
use wangge_server::account::NewUser;
use wangge_server::Db;

use crate::helpers::{start_binary, start_binary_at};

const NOW: i64 = 1_795_392_000_000;
const PASSWORD: &str = "wangge-load";
const DEVICES_MAX: usize = 500;
const BATCH: usize = 8;

struct Account {
    username: String,
    person: PersonId,
    grid: GridId,
}

/// One grid worker per device, spread over the grids holding households and issues.
fn accounts(data: &DemoData) -> Vec<Account> {
    let with_issues: std::collections::HashSet<&str> = data.issues.iter().map(|i| i.grid.as_str()).collect();
    let mut grids: Vec<&GridId> =
        data.households.iter().map(|h| &h.grid).filter(|g| with_issues.contains(g.as_str())).collect();
    grids.sort();
    grids.dedup();
    (0..DEVICES_MAX)
        .map(|i| Account {
            username: format!("load-w{i:03}"),
            person: PersonId::parse(format!("load-worker-{i:03}")).unwrap(),
            grid: grids[i % grids.len()].clone(),
        })
        .collect()
}

/// The seeded database, made once and kept (seeding takes longer than a run).
fn template(data: &DemoData, accounts: &[Account]) -> PathBuf {
    let dir = std::env::temp_dir().join("wangge-load-template");
    if dir.join("done").exists() {
        return dir;
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = Db::open(&dir.join("wangge.sqlite3")).unwrap();
    db.load_dataset(data).unwrap();
    let hash = wangge_server::auth::hash_password(PASSWORD).unwrap();
    for a in accounts {
        let user = NewUser {
            username: a.username.clone(),
            password: PASSWORD.into(),
            person_id: a.person.clone(),
            name: format!("压测{}", a.username),
            roles: vec![Role::GridWorker],
            home_grid: a.grid.clone(),
        };
        assert!(db.add_user(&user, &hash).unwrap());
    }
    db.call_blocking(|c| c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")).unwrap();
    drop(db);
    std::fs::write(dir.join("done"), "").unwrap();
    dir
}

fn fresh_copy(template: &Path) -> tempfile::TempDir {
    let to = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(template).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with("wangge.sqlite3") {
            std::fs::copy(&path, to.path().join(&name)).unwrap();
        }
    }
    to
}

/// A put of every field of a new record (base 0), as the app queues it.
fn put(collection: Collection, id: &str, record: &impl serde::Serialize) -> Op {
    let Ok(Value::Object(map)) = serde_json::to_value(record) else { panic!("a record is an object") };
    let fields = map.into_iter().map(|(k, value)| (k, FieldWrite { value, base: 0 })).collect();
    Op::Put { collection, id: id.to_string(), fields }
}

/// The bench's mix, per 8 mutations: 2 new issues + "reported" events, 2 visits, 2 comments.
struct Workload<'a> {
    households: HashMap<&'a str, Vec<&'a str>>,
    issues: HashMap<&'a str, Vec<&'a Issue>>,
    visits: &'a [Visit],
    counter: u64,
}

impl<'a> Workload<'a> {
    fn new(data: &'a DemoData) -> Self {
        let (mut households, mut issues) = (HashMap::<_, Vec<_>>::new(), HashMap::<_, Vec<_>>::new());
        for h in &data.households {
            households.entry(h.grid.as_str()).or_default().push(h.id.as_str());
        }
        for i in &data.issues {
            issues.entry(i.grid.as_str()).or_default().push(i);
        }
        Workload { households, issues, visits: &data.visits, counter: 0 }
    }

    fn random(&mut self) -> [u8; 10] {
        self.counter += 1;
        let mut r = [0u8; 10];
        r[..8].copy_from_slice(&self.counter.to_be_bytes());
        r
    }

    fn body(&mut self, a: &Account, client_id: &str, epoch: &str, first_seq: u64) -> Vec<u8> {
        let (households, issues) = (&self.households[a.grid.as_str()], &self.issues[a.grid.as_str()]);
        let (households, issues) = (households.clone(), issues.clone());
        let mut ops = Vec::with_capacity(BATCH);
        let mut k = first_seq as usize;
        while ops.len() < BATCH {
            let at = NOW + k as i64 * 1000;
            match k % 4 {
                0 => {
                    let issue = Issue {
                        id: IssueId::generate(at, self.random()),
                        reporter: a.person.clone(),
                        created_at: at,
                        due_at: None,
                        ..issues[k % issues.len()].clone()
                    };
                    let reported = IssueEvent::new(
                        issue.id.clone(),
                        at,
                        a.person.clone(),
                        Role::GridWorker,
                        EventKind::Reported,
                        self.random(),
                    );
                    ops.push(put(Collection::Issues, issue.id.as_str(), &issue));
                    ops.push(Op::AppendEvent { event: reported });
                }
                1 => {
                    let visit = Visit {
                        id: VisitId::generate(at, self.random()),
                        household: HouseholdId::parse(households[k % households.len()]).unwrap(),
                        worker: a.person.clone(),
                        date: Date::of_millis(at),
                        issues: Vec::new(),
                        ..self.visits[k % self.visits.len()].clone()
                    };
                    ops.push(put(Collection::Visits, visit.id.as_str(), &visit));
                }
                _ => ops.push(Op::AppendEvent {
                    event: IssueEvent {
                        id: EventId::generate(at, self.random()),
                        issue: issues[(k * 7) % issues.len()].id.clone(),
                        at,
                        actor: a.person.clone(),
                        actor_role: Role::GridWorker,
                        kind: EventKind::Commented {
                            text: CommentText::parse("已电话联系住户，明天上门查看").unwrap(),
                        },
                        meeting: None,
                        photos: Vec::new(),
                    },
                }),
            }
            k += 1;
        }
        ops.truncate(BATCH);
        let mutations = ops.into_iter().enumerate().map(|(i, op)| Mutation { seq: first_seq + i as u64, op }).collect();
        let req = PushRequest {
            client_id: client_id.into(),
            schema_version: SCHEMA_VERSION,
            mutations,
            epoch: Some(epoch.into()),
        };
        serde_json::to_vec(&req).unwrap()
    }
}

/// utime + stime of a process, in seconds (clock ticks assumed 100 Hz, as on Linux).
fn cpu_secs(pid: u32) -> f64 {
    cpu_secs_of(&format!("/proc/{pid}/stat"))
}

fn cpu_secs_of(stat: &str) -> f64 {
    let Ok(text) = std::fs::read_to_string(stat) else { return 0.0 };
    let rest = text.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<f64> = rest.split_whitespace().map(|v| v.parse().unwrap_or(0.0)).collect();
    (f.get(11).unwrap_or(&0.0) + f.get(12).unwrap_or(&0.0)) / 100.0
}

/// CPU seconds per thread name of a process (threads of one name summed), and under
/// `name~` the seconds those threads waited for a CPU while runnable (from schedstat):
/// on a busy machine that is where a starved thread's time goes.
fn thread_cpu(pid: u32) -> std::collections::BTreeMap<String, f64> {
    let mut out = std::collections::BTreeMap::new();
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).into_iter().flatten().flatten() {
        let path = task.path();
        let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default().trim().to_string();
        let tid: u32 = task.file_name().to_string_lossy().parse().unwrap_or(0);
        *out.entry(name.clone()).or_insert(0.0) += cpu_secs_of(&format!("/proc/{pid}/task/{tid}/stat"));
        let sched = std::fs::read_to_string(path.join("schedstat")).unwrap_or_default();
        let waited: f64 = sched.split_whitespace().nth(1).and_then(|v| v.parse().ok()).unwrap_or(0.0);
        *out.entry(format!("{name}~")).or_insert(0.0) += waited / 1e9;
    }
    out
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[(((p / 100.0) * (sorted.len() as f64 - 1.0)).round() as usize).min(sorted.len() - 1)]
}

#[tokio::test]
#[ignore = "a benchmark; run explicitly in release"]
async fn concurrent_devices_push_small_batches() {
    let data = generate(DemoSize::VILLAGE_SCALE, 2024, NOW);
    let accounts = accounts(&data);
    let t = Instant::now();
    let template = template(&data, &accounts);
    println!("template ready in {:.1} s", t.elapsed().as_secs_f64());
    let work = fresh_copy(&template);
    let (mut child, addr) = match std::env::var_os("WANGGE_LOAD_SERVER") {
        Some(bin) => start_binary_at(Path::new(&bin), work.path(), &[]),
        None => start_binary(work.path()),
    };
    let base = format!("http://{addr}");
    let client = reqwest::Client::builder().pool_max_idle_per_host(DEVICES_MAX + 10).build().unwrap();

    // Logins are argon2-bound: 8 at a time, outside the measurement.
    let sem = std::sync::Arc::new(tokio::sync::Semaphore::new(8));
    let logins: Vec<_> = accounts
        .iter()
        .map(|a| {
            let (client, base, sem, username) = (client.clone(), base.clone(), sem.clone(), a.username.clone());
            tokio::spawn(async move {
                let _permit = sem.acquire().await;
                let body = json!({"username": username, "password": PASSWORD, "device_name": "load phone"});
                let res = client.post(format!("{base}/api/v1/auth/login")).json(&body).send().await.unwrap();
                assert_eq!(res.status(), 200);
                res.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_string()
            })
        })
        .collect();
    let mut tokens = Vec::new();
    for l in logins {
        tokens.push(l.await.unwrap());
    }
    let res =
        client.get(format!("{base}/api/v1/sync/pull?cursor=0&limit=1")).bearer_auth(&tokens[0]).send().await.unwrap();
    let epoch = res.json::<PullResponse>().await.unwrap().epoch;

    let plan = std::env::var("WANGGE_LOAD_PUSHES").unwrap_or_else(|_| "50x20,500x4".into());
    let mut workload = Workload::new(&data);
    for (round, scenario) in plan.split(',').enumerate() {
        let (n, pushes) = scenario.split_once('x').expect("devices x pushes");
        let (n, pushes): (usize, usize) = (n.parse().unwrap(), pushes.parse().unwrap());
        // Bodies are made before the clock starts: the server is measured, not serde here.
        let plans: Vec<(String, Vec<Vec<u8>>)> = (0..n)
            .map(|d| {
                let client_id = format!("load-{round}-n{n}-d{d}");
                let bodies = (0..pushes)
                    .map(|p| workload.body(&accounts[d], &client_id, &epoch, (p * BATCH + 1) as u64))
                    .collect();
                (tokens[d].clone(), bodies)
            })
            .collect();
        let (cpu0, threads0, me0, t0) =
            (cpu_secs(child.id()), thread_cpu(child.id()), cpu_secs(std::process::id()), Instant::now());
        let tasks: Vec<_> = plans
            .into_iter()
            .map(|(token, bodies)| {
                let (client, base) = (client.clone(), base.clone());
                tokio::spawn(async move {
                    let (mut latencies, mut applied) = (Vec::new(), 0usize);
                    for body in bodies {
                        let t = Instant::now();
                        let res = client
                            .post(format!("{base}/api/v1/sync/push"))
                            .bearer_auth(&token)
                            .header("content-type", "application/json")
                            .body(body)
                            .send()
                            .await
                            .unwrap();
                        let status = res.status();
                        let text = res.text().await.unwrap();
                        latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                        assert_eq!(status, 200, "{text}");
                        let reply: PushResponse = serde_json::from_str(&text).unwrap();
                        for r in &reply.results {
                            assert_ne!(r.status, MutationStatus::Rejected, "{r:?}");
                            applied += 1;
                        }
                    }
                    (latencies, applied)
                })
            })
            .collect();
        let (mut latencies, mut mutations) = (Vec::new(), 0usize);
        for t in tasks {
            let (l, m) = t.await.unwrap();
            latencies.extend(l);
            mutations += m;
        }
        let secs = t0.elapsed().as_secs_f64();
        let cpu = (cpu_secs(child.id()) - cpu0) / secs;
        let me = (cpu_secs(std::process::id()) - me0) / secs;
        let threads: Vec<String> = thread_cpu(child.id())
            .into_iter()
            .map(|(name, c)| format!("{name} {:.2}", (c - threads0.get(&name).unwrap_or(&0.0)) / secs))
            .collect();
        latencies.sort_by(f64::total_cmp);
        println!(
            "{n} devices × {pushes} pushes of {BATCH}: {mutations} mutations in {secs:.2} s = {:.0} mutations/s; \
             p50 {:.1} ms, p99 {:.1} ms; server CPU {cpu:.2} cores ({}), load generator {me:.2}",
            mutations as f64 / secs,
            percentile(&latencies, 50.0),
            percentile(&latencies, 99.0),
            threads.join(", "),
        );
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
