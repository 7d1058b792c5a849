//! `cargo xtask test`: installs the test tools, then runs every tier and stops at the
//! first failing one: native (core unit + property tests, server API tests, the admin
//! app's pure unit tests, xtask), the server API tests again on PostgreSQL (a throwaway
//! cluster, `pg.rs`), API
//! fuzzing (Schemathesis against the server binary, `api_fuzz.rs`), wasm in headless
//! Chromium, and end-to-end browser tests against the real server.

use std::process::Command;

use anyhow::{Context, Result};

use crate::project::Project;
use crate::run::{run, say};
use crate::{api_fuzz, disk, pwa, tools};

pub(crate) fn run_all() -> Result<()> {
    let project = Project::locate()?;
    disk::ensure_room(&project.target);
    tools::ensure_test_tools(&project)?;
    let started = std::time::Instant::now();
    let mut lap = Lap::start();

    say("gates: rustfmt, and clippy with warnings as errors on every package and target");
    run(cargo(&project).args(["fmt", "--all", "--check"]))?;
    run(cargo(&project).args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    // The app and the administration app are wasm: their browser-only code is linted
    // for the target they ship to (never `--workspace` there: the server cannot build).
    run(cargo(&project).args([
        "clippy",
        "-p",
        "wangge",
        "-p",
        "wangge-admin",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;

    say("tier 1/4: native tests (core, server API, the admin app's pure parts, xtask)");
    run(cargo(&project).args([
        "test",
        "-p",
        "wangge-core",
        // The demo generator: determinism and valid histories, at village scale too.
        "-p",
        "wangge-demo",
        "-p",
        "wangge-server",
        // Its unit tests are pure (routes, the grid tree order, code checks, messages).
        "-p",
        "wangge-admin",
        "-p",
        "xtask",
    ]))?;

    lap.say("gates and tier 1");
    say("tier 1, again on PostgreSQL: the server's API suite against a throwaway cluster");
    // Stopped and removed when dropped, whatever the outcome; the fuzz tier uses it too.
    let cluster = crate::pg::PgCluster::start()?;
    run(cargo(&project).args(["test", "-p", "wangge-server", "--test", "api"]).env("WANGGE_TEST_PG", cluster.url()))?;
    // The writes a push queues to go out with its next statement exist on PostgreSQL only;
    // a writer group's shared reads (`db::batch_reads_tests`) run on both engines.
    run(cargo(&project).args(["test", "-p", "wangge-server", "--lib", "db::"]).env("WANGGE_TEST_PG", cluster.url()))?;
    lap.say("tier 1 on PostgreSQL");
    say("tier 2/4: API fuzzing (Schemathesis against the server binary and its OpenAPI document)");
    api_fuzz::run_api_fuzz(&project, &[], None)?;
    say("tier 2, again on PostgreSQL (the demo loaded into the cluster's database)");
    api_fuzz::run_api_fuzz(&project, &[], Some(&cluster.url()))?;
    drop(cluster);

    lap.say("tier 2");
    say("tier 3/4: wasm tests in headless Chromium");
    // The runner ends each file's browser by stopping chromedriver, and Chromium's profile
    // (~200 MB, `org.chromium.Chromium.scoped_dir.*`) stays behind in TMPDIR: 5 GB per
    // run. A temp folder of the tier's own is removed afterwards, whatever the outcome.
    let tmp = project.target.join("wasm-test-tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).with_context(|| format!("create {}", tmp.display()))?;
    let wasm = run(cargo(&project)
        .args(["test", "-p", "wangge", "--target", "wasm32-unknown-unknown"])
        .env("PATH", project.tool_path()?)
        .env("CHROMEDRIVER", "chromedriver")
        .env("TMPDIR", &tmp)
        // The runner's default 20 s per test is too short for the village-scale store
        // test on a busy 2-core CI machine.
        .env("WASM_BINDGEN_TEST_TIMEOUT", "180"));
    let _ = std::fs::remove_dir_all(&tmp);
    wasm?;

    lap.say("tier 3");
    say("tier 4/4: end-to-end tests (release PWA + real server + Chromium)");
    run_e2e(&project, &[])?;
    lap.say("tier 4");

    say(&format!(
        "all tiers passed in {:.0} s; screenshots in {}",
        started.elapsed().as_secs_f64(),
        project.target.join("e2e").display()
    ));
    Ok(())
}

/// `cargo xtask e2e [tests/e2e/x.test.cjs …]`: only the end-to-end tier, optionally only
/// some of its files (for working on one screen).
pub(crate) fn run_e2e_only(files: &[String]) -> Result<()> {
    let project = Project::locate()?;
    disk::ensure_room(&project.target);
    tools::ensure_test_tools(&project)?;
    run_e2e(&project, files)
}

fn run_e2e(project: &Project, files: &[String]) -> Result<()> {
    let dist = pwa::build_app(project)?;
    run(cargo(project).args(["build", "-p", "wangge-server"]))?;
    let out = project.target.join("e2e");
    std::fs::create_dir_all(&out)?;
    let mut e2e = Command::new("node");
    e2e.arg("--test").arg("--test-concurrency=1");
    if files.is_empty() {
        for test in e2e_tests(project)? {
            e2e.arg(test);
        }
    } else {
        e2e.args(files);
    }
    run(e2e
        .current_dir(&project.root)
        .env("NODE_PATH", project.node_modules())
        .env("WANGGE_DIST", &dist)
        .env("WANGGE_SERVER_BIN", project.target.join("debug/wangge-server"))
        .env("WANGGE_E2E_OUT", &out))?;
    Ok(())
}

fn cargo(project: &Project) -> Command {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.current_dir(&project.root);
    cmd
}

/// `tests/e2e/*.test.cjs`, sorted so runs are repeatable.
fn e2e_tests(project: &Project) -> Result<Vec<std::path::PathBuf>> {
    let dir = project.root.join("tests/e2e");
    let mut tests: Vec<_> = std::fs::read_dir(&dir)
        .with_context(|| format!("read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.to_string_lossy().ends_with(".test.cjs"))
        .collect();
    tests.sort();
    anyhow::ensure!(!tests.is_empty(), "no end-to-end tests found in {}", dir.display());
    Ok(tests)
}

/// Time per tier, said as each ends, so a slow CI run shows where its minutes went.
struct Lap(std::time::Instant);

impl Lap {
    fn start() -> Lap {
        Lap(std::time::Instant::now())
    }

    fn say(&mut self, what: &str) {
        say(&format!("{what} took {:.0} s", self.0.elapsed().as_secs_f64()));
        self.0 = std::time::Instant::now();
    }
}
