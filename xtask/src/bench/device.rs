//! The device at village scale: runs `tests/bench_device.rs` (the app's real store code in
//! headless Chromium through wasm-bindgen-test-runner, built with the shipped
//! `wasm-release` profile and `WANGGE_BENCH` set) and reads its `BENCH` lines. Goals:
//! filter and search ≤ 50 ms, save ≤ 20 ms.

use std::process::Command;

use super::prep::capture;
use super::report::Section;
use super::{guarded, Prep};

pub(crate) fn section(prep: &mut Prep<'_>) -> Section {
    guarded("device", "Device: the store at village scale in Chromium", |s| {
        prep.node()?; // Chromium and ChromeDriver
        let project = prep.project;
        crate::tools::ensure_build_tools(project)?;
        let writes = if prep.quick { "200" } else { "1000" };
        let out = capture(
            Command::new(env!("CARGO"))
                .args(["test", "-p", "wangge", "--target", "wasm32-unknown-unknown", "--profile", "wasm-release"])
                .args(["--test", "bench_device", "--", "--nocapture"])
                .current_dir(&project.root)
                .env("PATH", project.tool_path()?)
                .env("CHROMEDRIVER", "chromedriver")
                .env("WASM_BINDGEN_TEST_TIMEOUT", "1800")
                .env("WANGGE_BENCH", "1")
                .env("WANGGE_BENCH_RUNS", prep.runs.max(3).to_string())
                .env("WANGGE_BENCH_WRITES", writes),
        )?;
        anyhow::ensure!(s.absorb(&out)? > 0, "tests/bench_device.rs printed no figures (was WANGGE_BENCH seen at build time?)");
        Ok(())
    })
}
