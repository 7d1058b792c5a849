//! `load city`: the server at district scale on PostgreSQL beside SQLite, in one run (issue
//! #18's benchmark). A data set of 200,000 households and 400,000 issues (`--quick`:
//! village scale) is seeded once into a SQLite template and copied once into a PostgreSQL
//! template database (`pg_template.rs`). Each run then measures, each on a fresh copy:
//! 500 devices pushing small batches in a closed loop through 1, 2 and 3 server processes
//! on one PostgreSQL database (device d talks to process d % N), then through 1 process on
//! SQLite; the full pull of a grid worker and of a town official on each engine; and the
//! CPU the server processes, PostgreSQL's processes and the load generator used during
//! each push phase (they all share this machine's cores).

use std::path::Path;
use std::time::Instant;

use anyhow::{ensure, Result};
use serde_json::{json, Value};
use wangge_demo::DemoSize;
use wangge_server::db::SQLITE_FILE;

use crate::devices::{by_grid, concurrent_pushes, epoch, login, login_all, pull_all, Workload, SMALL_BATCH};
use crate::pg_cpu;
use crate::pg_template::{self, TEMPLATE_DB};
use crate::process::{proc_cpu_secs, Server};
use crate::proto::{emit, goal_metric, metric, note, percentile, say, Series};
use crate::seeding::{district_account, fresh_copy, template, town_account, worker_accounts, Account, DEVICES_MAX};

/// District scale, the issue's floor: ≥ 200,000 households and ≥ 400,000 issues.
const CITY: DemoSize = DemoSize { households: 200_000, issues: 400_000 };

/// The issue's goals for PostgreSQL behind 2 server processes at 500 devices.
const GOAL_RATE: f64 = 8000.0;
const GOAL_P99_MS: f64 = 500.0;

/// What one measurement runs on.
#[derive(Clone, Copy)]
enum Engine {
    /// N server processes on one PostgreSQL database.
    Postgres(usize),
    /// One server process on its SQLite file.
    Sqlite,
}

const ENGINES: [Engine; 4] = [Engine::Postgres(1), Engine::Postgres(2), Engine::Postgres(3), Engine::Sqlite];

impl Engine {
    fn key(self) -> String {
        match self {
            Engine::Postgres(n) => format!("pg{n}"),
            Engine::Sqlite => "lite".into(),
        }
    }

    fn label(self) -> String {
        match self {
            Engine::Postgres(1) => "PostgreSQL, 1 server process".into(),
            Engine::Postgres(n) => format!("PostgreSQL, {n} server processes"),
            Engine::Sqlite => "SQLite, 1 server process".into(),
        }
    }

    fn processes(self) -> usize {
        match self {
            Engine::Postgres(n) => n,
            Engine::Sqlite => 1,
        }
    }

    /// The engine's name alone, for the pulls (measured through one process).
    fn engine(self) -> &'static str {
        match self {
            Engine::Postgres(_) => "PostgreSQL",
            Engine::Sqlite => "SQLite",
        }
    }
}

/// What every measurement shares.
struct City<'a> {
    server: &'a Path,
    work: &'a Path,
    pg: &'a str,
    template_dir: &'a Path,
    accounts: Vec<Account>,
    /// Pushes per device in the closed loop.
    pushes: usize,
    postmaster: Option<u32>,
    client: reqwest::Client,
}

pub(crate) fn city(server: &Path, work: &Path, pg: &str, runs: usize, quick: bool) -> Result<()> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let (name, size) = if quick { ("city-quick", DemoSize::VILLAGE_SCALE) } else { ("city", CITY) };
    let (template_dir, data) = template(work, name, size, &[town_account(), district_account()])?;
    let sqlite = template_dir.join(SQLITE_FILE);
    let sqlite_bytes = std::fs::metadata(&sqlite)?.len();
    let stamp = format!("{name}, {sqlite_bytes} bytes");
    say("copying the template into PostgreSQL (once per cluster)");
    match rt.block_on(pg_template::ensure_template(pg, &sqlite, &stamp))? {
        Some(secs) => note(format!("PostgreSQL template `{TEMPLATE_DB}` copied from the SQLite template in {secs:.1} s (COPY per table, then VACUUM ANALYZE)")),
        None => note(format!("PostgreSQL template `{TEMPLATE_DB}` reused (made earlier from the same SQLite template)")),
    }
    let pg_bytes = rt.block_on(pg_template::database_size(pg, TEMPLATE_DB))?;
    note(format!(
        "disk: the SQLite template {:.2} GB, the PostgreSQL template {:.2} GB (each run works on a copy of one, removed afterwards)",
        sqlite_bytes as f64 / 1e9,
        pg_bytes as f64 / 1e9
    ));
    let postmaster = rt.block_on(async { pg_cpu::postmaster(&pg_template::connect(pg).await?).await })?;
    let city = City {
        server,
        work,
        pg,
        template_dir: &template_dir,
        accounts: worker_accounts(&data),
        pushes: if quick { 2 } else { 8 },
        postmaster,
        client: reqwest::Client::builder().pool_max_idle_per_host(DEVICES_MAX + 10).build()?,
    };
    let stuff = by_grid(&data);
    let mut workload = Workload { stuff: &stuff, visit_templates: &data.visits, counter: 0 };
    let mut series = Series::default();
    let mut notes = Vec::new();
    for run in 0..runs {
        for engine in ENGINES {
            say(&format!("run {}/{runs}: {}", run + 1, engine.label()));
            rt.block_on(measure(&city, engine, run, &mut workload, &mut series, &mut notes))?;
        }
    }
    report(&city, &series, notes);
    Ok(())
}

/// One engine on a fresh copy of the template: start its processes, log the devices in,
/// pull (through one process), push, stop, remove the copy.
async fn measure(
    city: &City<'_>,
    engine: Engine,
    run: usize,
    workload: &mut Workload<'_>,
    series: &mut Series,
    notes: &mut Vec<String>,
) -> Result<()> {
    let key = engine.key();
    let dir = city.work.join("city-run");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let t = Instant::now();
    let run_db = format!("city_run_{key}");
    let database = match engine {
        Engine::Postgres(_) => Some(pg_template::create_run_database(city.pg, &run_db).await?),
        Engine::Sqlite => {
            fresh_copy(city.template_dir, &dir)?;
            None
        }
    };
    series.add(format!("{}_copy", engine.engine()), t.elapsed().as_secs_f64());
    let mut servers = Vec::new();
    for i in 0..engine.processes() {
        // Each process has a folder of its own for its log (and photos); SQLite's process
        // runs on the copy in `dir`.
        let data = if database.is_some() { dir.join(format!("p{i}")) } else { dir.clone() };
        std::fs::create_dir_all(&data)?;
        servers.push(Server::start(city.server, &data, database.as_deref())?);
    }
    let bases: Vec<String> = servers.iter().map(|s| s.base.clone()).collect();
    let devices = login_all(&city.client, &bases, &city.accounts).await?;

    if engine.processes() == 1 {
        let worker = &devices[0];
        let town = login(&city.client, &bases[0], &town_account(), "bench town phone").await?;
        for (who, token) in [("worker", &worker.token), ("town", &town.token)] {
            let (secs, changes, bytes) = pull_all(&city.client, &bases[0], token).await?;
            series.add(format!("{}_{who}_pull", engine.engine()), secs);
            if run == 0 {
                notes.push(format!(
                    "{}: full pull of the {}: {changes} changes, {:.1} MB of JSON, pages of 1,000",
                    engine.engine(),
                    if who == "worker" { "grid worker (bench-w000)" } else { "town official of 古南街道" },
                    bytes as f64 / 1e6
                ));
            }
        }
    }

    let epoch = epoch(&city.client, &bases[0], &devices[0].token).await?;
    let server_cpu = || servers.iter().map(Server::cpu_secs).sum::<f64>();
    let pg_before = city.postmaster.map(pg_cpu::snapshot);
    let (cpu0, me0, t0) = (server_cpu(), proc_cpu_secs("/proc/self/stat"), Instant::now());
    let (rate, mut tally) =
        concurrent_pushes(&city.client, &devices, &epoch, workload, run, city.pushes, SMALL_BATCH).await?;
    let wall = t0.elapsed().as_secs_f64();
    series.add(format!("{key}_server_cpu"), (server_cpu() - cpu0) / wall);
    series.add(format!("{key}_me_cpu"), (proc_cpu_secs("/proc/self/stat") - me0) / wall);
    if let (Some(pid), Some(before)) = (city.postmaster, pg_before) {
        series.add(format!("{key}_pg_cpu"), pg_cpu::used(&before, &pg_cpu::snapshot(pid)) / wall);
    }
    ensure!(
        tally.rejected == 0,
        "{}: {} mutations rejected, first {:?}",
        engine.label(),
        tally.rejected,
        tally.first_rejection
    );
    tally.latencies_ms.sort_by(f64::total_cmp);
    series.add(format!("{key}_rate"), rate);
    series.add(format!("{key}_p50"), percentile(&tally.latencies_ms, 50.0));
    series.add(format!("{key}_p99"), percentile(&tally.latencies_ms, 99.0));
    if run == 0 {
        notes.push(format!(
            "{}: {} pushes of {SMALL_BATCH} mutations, {} mutations in {wall:.1} s; conflicts {}",
            engine.label(),
            tally.latencies_ms.len(),
            tally.mutations,
            tally.conflicts
        ));
    }
    drop(servers);
    if database.is_some() {
        pg_template::drop_run_database(city.pg, &run_db).await?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// The figures, the goals beside the PostgreSQL ×2 ones, the CPU split and the notes.
fn report(city: &City<'_>, series: &Series, notes: Vec<String>) {
    let devices = DEVICES_MAX;
    for engine in ENGINES {
        let (key, label) = (engine.key(), engine.label());
        let name = |what: &str| format!("{label}, {devices} devices: {what}");
        let goals = matches!(engine, Engine::Postgres(2));
        let rate = series.get(&format!("{key}_rate"));
        let p99 = series.get(&format!("{key}_p99"));
        emit(if goals {
            goal_metric(&name("throughput"), "mutations/s", &rate, GOAL_RATE, "higher")
        } else {
            metric(&name("throughput"), "mutations/s", &rate)
        });
        emit(metric(&name("p50 latency per push"), "ms", &series.get(&format!("{key}_p50"))));
        emit(if goals {
            goal_metric(&name("p99 latency per push"), "ms", &p99, GOAL_P99_MS, "lower")
        } else {
            metric(&name("p99 latency per push"), "ms", &p99)
        });
        emit(metric(&name("CPU of the server processes"), "cores", &series.get(&format!("{key}_server_cpu"))));
        if matches!(engine, Engine::Postgres(_)) {
            let pg = series.get(&format!("{key}_pg_cpu"));
            emit(if pg.is_empty() {
                unavailable(&name("CPU of PostgreSQL's processes"), "the cluster's processes are not on this machine")
            } else {
                metric(&name("CPU of PostgreSQL's processes"), "cores", &pg)
            });
        }
        emit(metric(&name("CPU of the load generator"), "cores", &series.get(&format!("{key}_me_cpu"))));
    }
    for engine in ["PostgreSQL", "SQLite"] {
        emit(metric(
            &format!("{engine}: full pull of a grid worker"),
            "s",
            &series.get(&format!("{engine}_worker_pull")),
        ));
        emit(metric(
            &format!("{engine}: full pull of a town official"),
            "s",
            &series.get(&format!("{engine}_town_pull")),
        ));
    }
    emit(metric(
        "PostgreSQL: a run's database made from the template (CREATE DATABASE … TEMPLATE, FILE_COPY)",
        "s",
        &series.get("PostgreSQL_copy"),
    ));
    emit(metric("SQLite: a run's database copied from the template file", "s", &series.get("SQLite_copy")));
    for n in notes {
        note(n);
    }
    note(format!(
        "closed loop: each of {devices} devices sends its next push of {SMALL_BATCH} mutations (2 new issues + their \"reported\" events, 2 visits, 2 comments) when the last is answered, {} pushes each; device d talks to server process d % N; each engine on a fresh copy of the template",
        city.pushes
    ));
    note(format!(
        "{} cores here: the server processes, PostgreSQL and the load generator share them, so a second or third server process adds contention, not capacity; the figures show the cost per mutation on each engine, not what N processes on N machines would reach",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    ));
}

fn unavailable(name: &str, why: &str) -> Value {
    json!({"name": name, "unavailable": why})
}
