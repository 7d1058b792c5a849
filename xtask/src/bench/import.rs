//! Ledger import: a generated `.xlsx` of 10,000 households (about 23,000 rows) through the
//! server's dry run, confirm and a re-import dry run, over HTTP against a release build
//! (the ignored measurement test `crates/wangge-server/tests/api/import_bench.rs`, whose
//! `BENCH` lines this section reads). Goal (issue #12): dry run + confirm under 30 s.

use std::process::Command;

use super::prep::capture;
use super::report::Section;
use super::{guarded, Prep};

pub(crate) fn section(prep: &mut Prep<'_>) -> Section {
    guarded("import", "Ledger import (release server, 10,000 households)", |s| {
        let mut cmd = Command::new("cargo");
        cmd.current_dir(&prep.project.root)
            .env("CARGO_TARGET_DIR", &prep.project.target)
            .args(["test", "--release", "-p", "wangge-server", "--test", "api", "--", "--ignored", "--exact"])
            .args(["import_bench::import_bench_ten_thousand_households", "--nocapture"]);
        let out = capture(&mut cmd)?;
        anyhow::ensure!(s.absorb(&out)? > 0, "the import benchmark printed no figures");
        Ok(())
    })
}
