//! What the bench sections share, each made once per `cargo xtask bench` and only when a
//! section asks: the release PWA, the release server, the load generator, the test tools
//! plus the bench's npm packages, and the first-pull data set. A step that fails keeps
//! its reason, so every section that needs it reports the same "failed: reason".

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;

use super::Options;
use crate::project::Project;
use crate::run::{probe, run, say};
use crate::{pwa, tools};

/// Pinned npm packages of the bench (PouchDB and its server), one `name@version` a line.
const PACKAGES: &str = include_str!("../../../bench/packages.txt");

type Memo<T> = Option<Result<T, String>>;

pub(crate) struct Prep<'a> {
    pub(crate) project: &'a Project,
    pub(crate) runs: usize,
    pub(crate) quick: bool,
    dist: Memo<PathBuf>,
    server: Memo<PathBuf>,
    load: Memo<PathBuf>,
    node: Memo<()>,
    sync_set: Memo<SyncSet>,
    profile_dist: Memo<PathBuf>,
}

/// The first-pull / PouchDB data set (see `load sync-set`).
#[derive(Clone)]
pub(crate) struct SyncSet {
    /// Holds `wangge.sqlite3` (server data), `pouch-docs.json` and `summary.json` (the
    /// counts and the district account).
    pub(crate) dir: PathBuf,
}

fn memo<T: Clone>(slot: &mut Memo<T>, make: impl FnOnce() -> Result<T>) -> Result<T> {
    if slot.is_none() {
        *slot = Some(make().map_err(|e| format!("{e:#}")));
    }
    slot.clone().expect("just filled").map_err(|e| anyhow!(e))
}

impl<'a> Prep<'a> {
    pub(crate) fn new(project: &'a Project, opts: &Options) -> Prep<'a> {
        Prep {
            project,
            runs: opts.runs,
            quick: opts.quick,
            dist: None,
            server: None,
            load: None,
            node: None,
            sync_set: None,
            profile_dist: None,
        }
    }

    /// Scratch space for databases and documents: `<target>/bench/work`.
    pub(crate) fn work(&self) -> PathBuf {
        self.project.target.join("bench/work")
    }

    /// The release PWA (`<target>/dist`), exactly as `cargo xtask serve` ships it.
    pub(crate) fn dist(&mut self) -> Result<PathBuf> {
        let project = self.project;
        memo(&mut self.dist, || {
            tools::ensure_build_tools(project)?;
            pwa::build_app(project)
        })
    }

    /// The release server binary.
    pub(crate) fn server(&mut self) -> Result<PathBuf> {
        let project = self.project;
        memo(&mut self.server, || {
            say("building the server (cargo build --release -p wangge-server)");
            run(cargo(project).args(["build", "--release", "-p", "wangge-server"]))?;
            Ok(project.target.join("release/wangge-server"))
        })
    }

    /// The load generator (`crates/wangge-server/benches/load.rs`), built in release.
    pub(crate) fn load(&mut self) -> Result<PathBuf> {
        let project = self.project;
        memo(&mut self.load, || {
            say("building the load generator (cargo bench --no-run -p wangge-server --bench load)");
            let out = cargo(project)
                .args([
                    "bench",
                    "--no-run",
                    "--message-format=json-render-diagnostics",
                    "-p",
                    "wangge-server",
                    "--bench",
                    "load",
                ])
                .stderr(Stdio::inherit())
                .output()
                .context("run cargo bench --no-run")?;
            if !out.status.success() {
                bail!("building the load generator failed ({})", out.status);
            }
            let stdout = String::from_utf8_lossy(&out.stdout);
            stdout
                .lines()
                .filter_map(|l| serde_json::from_str::<Value>(l).ok())
                .filter(|v| v["target"]["name"] == "load")
                .find_map(|v| v["executable"].as_str().map(PathBuf::from))
                .context("cargo did not report the load generator's executable")
        })
    }

    /// Chromium, ChromeDriver, playwright-core (as for the tests) and the bench's npm
    /// packages, pinned, in the tools folder outside the clone.
    pub(crate) fn node(&mut self) -> Result<()> {
        let project = self.project;
        memo(&mut self.node, || {
            tools::ensure_test_tools(project)?;
            ensure_npm_packages(project)
        })
    }

    /// The first-pull data set: a server database with one district account, and the
    /// same records as PouchDB documents. Made once per work folder.
    pub(crate) fn sync_set(&mut self) -> Result<SyncSet> {
        let load = self.load()?;
        let work = self.work();
        memo(&mut self.sync_set, || {
            say("preparing the first-pull data set (load sync-set)");
            let stdout = capture(Command::new(&load).args(["sync-set", "--work"]).arg(&work))?;
            let line = stdout
                .lines()
                .find_map(|l| l.strip_prefix("SYNCSET "))
                .context("load sync-set printed no SYNCSET line")?;
            let v: Value = serde_json::from_str(line)?;
            Ok(SyncSet { dir: PathBuf::from(v["dir"].as_str().context("SYNCSET: no dir")?) })
        })
    }

    /// The release app with the function names kept, for CPU profiles: a copy of `dist`
    /// whose wasm and JS are wasm-bindgen's output for cargo's wasm-release build (names
    /// kept, no wasm-opt), under the same file names, without integrity attributes.
    pub(crate) fn profile_dist(&mut self) -> Result<PathBuf> {
        let dist = self.dist()?;
        let project = self.project;
        memo(&mut self.profile_dist, || {
            let out = project.target.join("bench/profile-dist");
            let tmp = project.target.join("bench/profile-bindgen");
            let _ = std::fs::remove_dir_all(&out);
            let _ = std::fs::remove_dir_all(&tmp);
            std::fs::create_dir_all(&out)?;
            let wasm = project.target.join("wasm32-unknown-unknown/wasm-release/wangge.wasm");
            say("building a names-kept copy of the app for profiles (wasm-bindgen, no wasm-opt)");
            run(Command::new("wasm-bindgen")
                .args(["--target", "web", "--no-typescript", "--out-name", "wangge", "--out-dir"])
                .arg(&tmp)
                .arg(&wasm)
                .env("PATH", project.tool_path()?))?;
            let mut js_name = None;
            for entry in std::fs::read_dir(&dist)? {
                let path = entry?.path();
                let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
                if name.ends_with(".gz") {
                    continue;
                }
                let target = out.join(&name);
                if name.ends_with("_bg.wasm") {
                    std::fs::copy(tmp.join("wangge_bg.wasm"), &target)?;
                } else if name.starts_with("wangge-") && name.ends_with(".js") {
                    std::fs::copy(tmp.join("wangge.js"), &target)?;
                    js_name = Some(name);
                } else if name == "index.html" {
                    let html = std::fs::read_to_string(&path)?;
                    std::fs::write(&target, strip_integrity(&html))?;
                } else if path.is_dir() {
                    // wasm-bindgen's snippets sit a folder deeper (snippets/<crate>/…).
                    copy_tree(&path, &target)?;
                } else {
                    std::fs::copy(&path, &target)?;
                }
            }
            js_name.context("no wangge-*.js in dist")?;
            Ok(out)
        })
    }

    /// `node bench/<script>` with the tools' node_modules, capturing stdout.
    pub(crate) fn node_script(&mut self, script: &str, env: &[(&str, &Path)]) -> Result<String> {
        self.node()?;
        let mut cmd = Command::new("node");
        cmd.arg(self.project.root.join("bench").join(script))
            .current_dir(&self.project.root)
            .env("NODE_PATH", self.project.node_modules())
            .env("PATH", self.project.tool_path()?)
            .env("WANGGE_BENCH_RUNS", self.runs.to_string())
            .env("WANGGE_BENCH_QUICK", if self.quick { "1" } else { "" })
            .env("WANGGE_BENCH_WORK", self.work());
        for (k, v) in env {
            cmd.env(k, v);
        }
        capture(&mut cmd)
    }

    /// Removes the per-run scratch data but keeps the seeded templates for the next run.
    pub(crate) fn finish(&self) {
        if let Ok(entries) = std::fs::read_dir(self.work()) {
            for e in entries.flatten() {
                if e.file_name().to_string_lossy().starts_with("run-") {
                    let _ = std::fs::remove_dir_all(e.path());
                }
            }
        }
    }
}

/// Removes every ` integrity="…"` attribute (the profile build's files differ).
fn strip_integrity(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(" integrity=\"") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 12..];
        rest = after.find('"').map_or("", |end| &after[end + 1..]);
    }
    out.push_str(rest);
    out
}

fn cargo(project: &Project) -> Command {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(&project.root);
    cmd
}

/// Runs `cmd` with its stderr passed through as it comes (progress) and returns its
/// stdout; a failure names the command and ends with the last lines of its stderr.
pub(crate) fn capture(cmd: &mut Command) -> Result<String> {
    use std::io::{BufRead, BufReader, Read};
    let shown = format!("{:?}", cmd.get_program());
    let mut child =
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().with_context(|| format!("start {shown}"))?;
    let stderr = child.stderr.take().context("child stderr")?;
    let tee = std::thread::spawn(move || {
        let mut tail: Vec<String> = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            tail.push(line);
            if tail.len() > 8 {
                tail.remove(0);
            }
        }
        tail
    });
    let mut stdout = String::new();
    child.stdout.take().context("child stdout")?.read_to_string(&mut stdout)?;
    let status = child.wait()?;
    let tail = tee.join().unwrap_or_default();
    if !status.success() {
        let tail: Vec<&str> = tail.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
        bail!("{shown} failed ({status}): {}", tail.join(" | "));
    }
    Ok(stdout)
}

/// `npm install` of `bench/packages.txt` unless each package's installed version matches.
fn ensure_npm_packages(project: &Project) -> Result<()> {
    let wanted: Vec<(&str, &str)> = PACKAGES
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.rsplit_once('@'))
        .collect();
    let missing: Vec<String> = wanted
        .iter()
        .filter(|(name, version)| installed_version(project, name).as_deref() != Some(*version))
        .map(|(name, version)| format!("{name}@{version}"))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    say(&format!("installing the bench's npm packages {} (into {})", missing.join(" "), project.tools.display()));
    std::fs::create_dir_all(&project.tools)?;
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--save-exact", "--prefix"])
        .arg(&project.tools)
        .args(&missing))?;
    if probe(Command::new("node").arg("--version")).is_none() {
        bail!("node is not on PATH");
    }
    Ok(())
}

fn installed_version(project: &Project, name: &str) -> Option<String> {
    let text = std::fs::read_to_string(project.node_modules().join(name).join("package.json")).ok()?;
    let v: Value = serde_json::from_str(&text).ok()?;
    v["version"].as_str().map(String::from)
}

/// Copies the folder `from` to `to`, subfolders included.
fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let target = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_tree(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)?;
        }
    }
    Ok(())
}
