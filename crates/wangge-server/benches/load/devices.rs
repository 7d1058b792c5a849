//! Phones as the bench plays them: devices logged in with their own tokens (spread over
//! one or several server processes: device d talks to process d % N), the small realistic
//! batches they queue (`Workload`), pushes in a closed loop with their latencies, and a
//! full pull from cursor 0.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{ensure, Context, Result};
use serde_json::{json, Value};
use wangge_core::issue::{EventKind, Issue, IssueEvent};
use wangge_core::sync::{
    Collection, FieldWrite, Mutation, MutationStatus, Op, PullResponse, PushRequest, PushResponse,
};
use wangge_core::visit::Visit;
use wangge_core::{CommentText, Date, EventId, IssueId, VisitId, SCHEMA_VERSION};
use wangge_demo::DemoData;

use crate::seeding::{Account, NOW, PASSWORD};

/// A small push: what a worker's phone sends after an hour or so of work.
pub(crate) const SMALL_BATCH: usize = 8;

pub(crate) struct Device {
    pub(crate) token: String,
    pub(crate) account: Account,
    /// The server process this phone talks to.
    pub(crate) base: String,
}

pub(crate) async fn login(
    client: &reqwest::Client,
    base: &str,
    account: &Account,
    device_name: &str,
) -> Result<Device> {
    let res = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": account.username, "password": PASSWORD, "device_name": device_name}))
        .send()
        .await?;
    ensure!(res.status() == 200, "login {}: {}", account.username, res.status());
    let body: Value = res.json().await?;
    let token = body["token"].as_str().context("login: no token")?.to_string();
    Ok(Device { token, account: account.clone(), base: base.to_string() })
}

/// Logs every account in, at most 8 at a time (argon2 is deliberately slow); account i
/// through the server process `bases[i % bases.len()]`.
pub(crate) async fn login_all(client: &reqwest::Client, bases: &[String], accounts: &[Account]) -> Result<Vec<Device>> {
    let sem = Arc::new(tokio::sync::Semaphore::new(8));
    let mut tasks = Vec::new();
    for (i, a) in accounts.iter().enumerate() {
        let (client, base, a, sem) = (client.clone(), bases[i % bases.len()].clone(), a.clone(), sem.clone());
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
pub(crate) struct GridStuff<'a> {
    households: Vec<&'a str>,
    issues: Vec<&'a Issue>,
}

pub(crate) fn by_grid(data: &DemoData) -> HashMap<&str, GridStuff<'_>> {
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
pub(crate) struct Workload<'a> {
    pub(crate) stuff: &'a HashMap<&'a str, GridStuff<'a>>,
    pub(crate) visit_templates: &'a [Visit],
    pub(crate) counter: u64,
}

impl Workload<'_> {
    fn random(&mut self) -> [u8; 10] {
        self.counter += 1;
        let mut r = [0u8; 10];
        r[..8].copy_from_slice(&self.counter.to_be_bytes());
        r
    }

    pub(crate) fn mutations(&mut self, account: &Account, first_seq: u64, n: usize) -> Vec<Mutation> {
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
pub(crate) fn put(collection: Collection, id: &str, record: &impl serde::Serialize) -> Op {
    let Ok(Value::Object(map)) = serde_json::to_value(record) else { panic!("a record is an object") };
    let fields = map.into_iter().map(|(k, value)| (k, FieldWrite { value, base: 0 })).collect();
    Op::Put { collection, id: id.to_string(), fields }
}

/// A push body naming the server epoch the device heard on its last sync, as the app does.
pub(crate) fn push_body(client_id: &str, epoch: &str, mutations: Vec<Mutation>) -> Vec<u8> {
    let req = PushRequest {
        client_id: client_id.into(),
        schema_version: SCHEMA_VERSION,
        mutations,
        epoch: Some(epoch.into()),
    };
    serde_json::to_vec(&req).unwrap()
}

/// The server's epoch, as a device hears it on its first pull.
pub(crate) async fn epoch(client: &reqwest::Client, base: &str, token: &str) -> Result<String> {
    let res = client.get(format!("{base}/api/v1/sync/pull?cursor=0&limit=1")).bearer_auth(token).send().await?;
    ensure!(res.status() == 200, "pull: {}", res.status());
    Ok(res.json::<PullResponse>().await?.epoch)
}

#[derive(Default)]
pub(crate) struct PushTally {
    pub(crate) latencies_ms: Vec<f64>,
    pub(crate) mutations: usize,
    pub(crate) rejected: usize,
    pub(crate) conflicts: usize,
    pub(crate) first_rejection: Option<String>,
}

pub(crate) async fn push_once(
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
/// Each talks to its own server process (`Device::base`). Returns (mutations/s, tally).
pub(crate) async fn concurrent_pushes(
    client: &reqwest::Client,
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
        plans.push((dev.base.clone(), dev.token.clone(), bodies));
    }
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (base, token, bodies) in plans {
        let client = client.clone();
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

/// Pulls every page from cursor 0; returns (seconds, changes, bytes).
pub(crate) async fn pull_all(client: &reqwest::Client, base: &str, token: &str) -> Result<(f64, usize, usize)> {
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
