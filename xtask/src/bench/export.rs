//! List export: 20,000 issues exported as `.xlsx` and as CSV by the community
//! secretary, over HTTP against a release build (the ignored measurement test
//! `crates/wangge-server/tests/api/export_bench.rs`, whose `BENCH` lines this section
//! reads). Goal (issue #16): each under 5 s.

use std::process::Command;

use super::prep::capture;
use super::report::Section;
use super::{guarded, Prep};

pub(crate) fn section(prep: &mut Prep<'_>) -> Section {
    guarded("export", "List export (release server, 20,000 issues)", |s| {
        let mut cmd = Command::new("cargo");
        cmd.current_dir(&prep.project.root)
            .env("CARGO_TARGET_DIR", &prep.project.target)
            .args(["test", "--release", "-p", "wangge-server", "--test", "api", "--", "--ignored", "--exact"])
            .args(["export_bench::export_bench_twenty_thousand_issues", "--nocapture"]);
        let out = capture(&mut cmd)?;
        anyhow::ensure!(s.absorb(&out)? > 0, "the export benchmark printed no figures");
        Ok(())
    })
}
