//! The device at village scale: builds `tests/bench_device.rs` (the app's real store code,
//! with the shipped `wasm-release` profile and `WANGGE_BENCH` set) and runs it through
//! `bench/device.cjs`, which serves it with wasm-bindgen-test-runner's interactive mode to
//! the same playwright-launched Chromium as the PouchDB side and profiles the saves.
//! Goals: filter and search ≤ 50 ms, save ≤ 20 ms.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{bail, Context};
use serde_json::Value;

use super::report::Section;
use super::{guarded, Prep};
use crate::run::say;

pub(crate) fn section(prep: &mut Prep<'_>) -> Section {
    guarded("device", "Device: the store at village scale in Chromium", |s| {
        prep.node()?; // Chromium and playwright-core
        let project = prep.project;
        crate::tools::ensure_build_tools(project)?;
        let writes = if prep.quick { "200" } else { "1000" };
        say("building the device bench (tests/bench_device.rs, wasm-release, WANGGE_BENCH=1)");
        let out = Command::new(env!("CARGO"))
            .args(["test", "--no-run", "--message-format=json-render-diagnostics", "-p", "wangge"])
            .args(["--target", "wasm32-unknown-unknown", "--profile", "wasm-release", "--test", "bench_device"])
            .args(["--features", "bench"])
            .current_dir(&project.root)
            .env("WANGGE_BENCH", "1")
            .env("WANGGE_BENCH_RUNS", prep.runs.max(3).to_string())
            .env("WANGGE_BENCH_WRITES", writes)
            .stderr(Stdio::inherit())
            .output()
            .context("run cargo test --no-run")?;
        if !out.status.success() {
            bail!("building tests/bench_device.rs failed ({})", out.status);
        }
        let wasm = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .filter(|v| v["target"]["name"] == "bench_device")
            .find_map(|v| v["executable"].as_str().map(PathBuf::from))
            .context("cargo did not report the bench_device test's wasm")?;
        let out = prep.node_script("device.cjs", &[("WANGGE_DEVICE_WASM", &wasm)])?;
        anyhow::ensure!(
            s.absorb(&out)? > 0,
            "tests/bench_device.rs printed no figures (was WANGGE_BENCH seen at build time?)"
        );
        Ok(())
    })
}
