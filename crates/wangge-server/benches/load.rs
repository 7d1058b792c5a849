//! The server under load, for `cargo xtask bench` (not a test, never run by CI): a native
//! load generator that starts the **real release server binary** on loopback over a copy
//! of a village-scale database and drives it through the JSON API the way phones do.
//!
//! ```text
//! load throughput --server BIN --work DIR [--runs N] [--quick]
//! load city       --server BIN --work DIR --pg postgres://… [--runs N] [--quick]
//! load sync-set   --work DIR
//! ```
//!
//! `throughput`: seeds `DIR/template` once (the core's demo generator at village scale,
//! 10,000 households / 20,000 issues, plus 500 grid-worker accounts and one district
//! account), then per run copies it, starts the server and measures: a district account's
//! full pull; 50 and 500 concurrent devices, each logged in with its own device token and
//! pushing small realistic batches (new issues with their "reported" event, visits,
//! comments on issues of its own grid) in a closed loop; and one device pushing 10,000
//! queued mutations in batches of 500. `city` (`load/city.rs`): district scale on
//! PostgreSQL through 1, 2 and 3 server processes beside SQLite. `sync-set`
//! (`load/sync_set.rs`): the data set of the first-pull and PouchDB comparison.
//!
//! The pieces the scenarios share live in `load/`: the output protocol (`proto.rs`), the
//! accounts and template databases (`seeding.rs`), the server process (`process.rs`) and
//! the devices with their workload (`devices.rs`).
//!
//! Output: `BENCH {json}` lines on stdout (see `xtask/src/bench/report.rs`).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};
use wangge_demo::DemoSize;

#[path = "load/city.rs"]
mod city;
#[path = "load/devices.rs"]
mod devices;
#[path = "load/pg_cpu.rs"]
mod pg_cpu;
#[path = "load/pg_template.rs"]
mod pg_template;
#[path = "load/process.rs"]
mod process;
#[path = "load/proto.rs"]
mod proto;
#[path = "load/seeding.rs"]
mod seeding;
#[path = "load/sync_set.rs"]
mod sync_set;

use devices::{
    by_grid, concurrent_pushes, epoch, login, login_all, pull_all, push_body, push_once, PushTally, Workload,
    SMALL_BATCH,
};
use process::{fsync_ms, proc_cpu_secs, Server};
use proto::{emit, fit, median, metric, note, percentile, say, throughput_metric, Series};
use seeding::{district_account, fresh_copy, template, worker_accounts, DEVICES_MAX};

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
        Some("city") => {
            let server = PathBuf::from(flag("--server").context("--server BIN is required")?);
            let pg = flag("--pg").context("--pg postgres://… is required")?;
            let runs: usize = flag("--runs").map_or(Ok(1), |r| r.parse()).context("--runs")?;
            let quick = args.iter().any(|a| a == "--quick");
            city::city(&server, &work, &pg, runs.max(1), quick)
        }
        Some("sync-set") => sync_set::sync_set(&work),
        _ => bail!("usage: load throughput --server BIN --work DIR [--runs N] [--quick] | load city --server BIN --work DIR --pg URL [--runs N] [--quick] | load sync-set --work DIR"),
    }
}

fn throughput(server: &Path, work: &Path, runs: usize, quick: bool) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (template_dir, data) = template(work, "template", DemoSize::VILLAGE_SCALE, &[district_account()])?;
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
            let srv = Server::start(server, &dir, None)?;
            let client = reqwest::Client::builder().pool_max_idle_per_host(DEVICES_MAX + 10).build()?;
            say(&format!("run {}/{runs}: logging in {DEVICES_MAX} devices", run + 1));
            let t = Instant::now();
            let devices = login_all(&client, std::slice::from_ref(&srv.base), &accounts).await?;
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
                let (rate, mut tally) = concurrent_pushes(&client, &devices[..n], &epoch, &mut workload, run, pushes, SMALL_BATCH).await?;
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
