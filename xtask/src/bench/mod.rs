//! `cargo xtask bench`: measures what a field worker feels and writes
//! `<target>/bench/report.md` and `<target>/bench/report.json`. Benchmarks are not tests:
//! they never fail the command because a goal is missed, and a section that breaks is
//! reported as "failed: reason" while the others still run.
//!
//! Sections, in order: download size (`download.rs`), server throughput (`server.rs`,
//! driving the load generator in `crates/wangge-server/benches/load.rs`), city scale on
//! PostgreSQL beside SQLite (`city.rs`, the same load generator), the ledger
//! import (`import.rs`: 10,000 households, dry run + confirm), the list export
//! (`export.rs`: 20,000 issues as .xlsx and CSV), PouchDB side by
//! side and the fresh device's first pull (`sync.rs`, node scripts in `bench/`), the
//! store at village scale in Chromium (`device.rs`, `tests/bench_device.rs`), and load on
//! a field link (`field.rs`). Shared preparation (release builds, data sets, tools) lives
//! in [`Prep`], done once and only when a section needs it.

mod city;
mod device;
mod download;
mod export;
mod field;
mod import;
mod prep;
mod report;
mod server;
mod sync;

use std::time::Instant;

use anyhow::{bail, Result};

use crate::project::Project;
use crate::run::say;
pub(crate) use prep::Prep;
use report::{Report, Section, Status};

/// Every section id, in the order they run.
const SECTIONS: [&str; 8] = ["download", "server", "city", "import", "export", "sync", "device", "field"];

pub(crate) struct Options {
    /// Runs per measurement (the median and spread are over these).
    pub(crate) runs: usize,
    /// Smaller workloads and fewer runs: for trying the bench itself, not for figures.
    pub(crate) quick: bool,
    pub(crate) only: Vec<String>,
}

impl Options {
    pub(crate) fn parse(args: &[String]) -> Result<Options> {
        let mut opts = Options { runs: 5, quick: false, only: Vec::new() };
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            match flag.as_str() {
                "--runs" => opts.runs = it.next().map(|v| v.parse()).transpose()?.unwrap_or(5).max(1),
                "--quick" => {
                    opts.quick = true;
                    opts.runs = opts.runs.min(2);
                }
                "--only" => {
                    let list = it.next().map(String::as_str).unwrap_or("");
                    for s in list.split(',').filter(|s| !s.is_empty()) {
                        if !SECTIONS.contains(&s) {
                            bail!("--only: unknown section `{s}`; sections: {}", SECTIONS.join(", "));
                        }
                        opts.only.push(s.to_string());
                    }
                }
                other => bail!("unknown bench option `{other}` (use --runs N, --quick, --only a,b)"),
            }
        }
        Ok(opts)
    }

    fn wants(&self, id: &str) -> bool {
        self.only.is_empty() || self.only.iter().any(|s| s == id)
    }
}

pub(crate) fn run(opts: Options) -> Result<()> {
    let project = Project::locate()?;
    crate::disk::ensure_room(&project.target);
    let out = project.target.join("bench");
    std::fs::create_dir_all(&out)?;
    let mut prep = Prep::new(&project, &opts);
    let mut sections = Vec::new();
    for id in SECTIONS {
        if !opts.wants(id) {
            continue;
        }
        let started = Instant::now();
        let load_before = loadavg();
        say(&format!("bench: section `{id}`"));
        let mut section = match id {
            "download" => download::section(&mut prep),
            "server" => server::section(&mut prep),
            "city" => city::section(&mut prep),
            "import" => import::section(&mut prep),
            "export" => export::section(&mut prep),
            "sync" => sync::section(&mut prep),
            "device" => device::section(&mut prep),
            "field" => field::section(&mut prep),
            _ => unreachable!("every section id is matched"),
        };
        section.seconds = started.elapsed().as_secs_f64();
        // The machine may be shared (other builds): say how busy it was, so a slow figure
        // can be told from a slow machine.
        section.note(format!("machine load average (1 min) before / after the section: {load_before} / {}", loadavg()));
        if let Status::Failed(why) = &section.status {
            say(&format!("bench: section `{id}` failed: {why}"));
        }
        sections.push(section);
    }
    if opts.wants("sync") || opts.wants("device") {
        sections.push(sync::comparison(&sections));
    }
    let report = Report {
        date: crate::run::probe(std::process::Command::new("date").arg("+%Y-%m-%d"))
            .unwrap_or_default()
            .trim()
            .to_string(),
        machine: machine(),
        commit: crate::run::probe(std::process::Command::new("git").args(["-C"]).arg(&project.root).args([
            "rev-parse",
            "--short",
            "HEAD",
        ]))
        .unwrap_or_default()
        .trim()
        .to_string(),
        runs: opts.runs,
        sections,
    };
    let md = out.join("report.md");
    let json = out.join("report.json");
    std::fs::write(&md, report.to_markdown())?;
    std::fs::write(&json, serde_json::to_string_pretty(&report.to_json())?)?;
    prep.finish();
    say(&format!("bench report: {} and {}", md.display(), json.display()));
    Ok(())
}

/// Runs `f` for a section; an error becomes the section's "failed: reason".
fn guarded(id: &'static str, title: &'static str, f: impl FnOnce(&mut Section) -> Result<()>) -> Section {
    let mut section = Section::new(id, title);
    if let Err(err) = f(&mut section) {
        section.status = Status::Failed(format!("{err:#}"));
    }
    section
}

/// The 1-minute load average from /proc/loadavg.
fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "?".into())
}

/// "2 cores, Intel(R) Xeon(R) …, 24 GiB" from /proc.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name").map(|r| r.trim_start_matches([' ', '\t', ':']).to_string()))
        .unwrap_or_else(|| "unknown CPU".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|r| r.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    format!("{cores} cores, {model}, {gib:.0} GiB RAM")
}
