//! Server throughput: runs the load generator (`crates/wangge-server/benches/load.rs`)
//! against the release server binary on loopback: a district account's full pull, 50 and
//! 500 concurrent devices pushing small batches, one device pushing 10,000 queued
//! mutations. Goal: ≥ 5,000 mutations/s on this machine's cores.

use std::process::Command;

use super::prep::capture;
use super::report::Section;
use super::{guarded, Prep};

pub(crate) fn section(prep: &mut Prep<'_>) -> Section {
    guarded("server", "Server throughput (release server on loopback, village-scale database)", |s| {
        let server = prep.server()?;
        let load = prep.load()?;
        let mut cmd = Command::new(load);
        cmd.args(["throughput", "--server"]).arg(&server).arg("--work").arg(prep.work()).args(["--runs", &prep.runs.min(5).to_string()]);
        if prep.quick {
            cmd.arg("--quick");
        }
        let out = capture(&mut cmd)?;
        anyhow::ensure!(s.absorb(&out)? > 0, "the load generator printed no figures");
        Ok(())
    })
}
