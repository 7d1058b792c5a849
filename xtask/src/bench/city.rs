//! City scale on PostgreSQL (issue #18): starts a throwaway PostgreSQL cluster (`pg.rs`,
//! removed when the section ends) and runs the load generator's `city` scenario
//! (`crates/wangge-server/benches/load/city.rs`) against the release server binary: a
//! district-scale data set (200,000 households, 400,000 issues), 500 devices pushing
//! through 1, 2 and 3 server processes on PostgreSQL and through 1 on SQLite, full pulls
//! of a grid worker and a town official on both, and the CPU split between the server
//! processes and PostgreSQL. Goal: PostgreSQL behind 2 processes ≥ 8,000 mutations/s with
//! p99 ≤ 500 ms at 500 devices (the goals ride on the metrics themselves).

use std::process::Command;

use super::prep::capture;
use super::report::Section;
use super::{guarded, Prep};
use crate::pg::PgCluster;
use crate::tools;

pub(crate) fn section(prep: &mut Prep<'_>) -> Section {
    guarded("city", "City scale: PostgreSQL with 1–3 server processes beside SQLite (district-scale database)", |s| {
        let server = prep.server()?;
        let load = prep.load()?;
        tools::ensure_postgresql()?;
        // Stopped and removed on drop, whatever the outcome.
        let cluster = PgCluster::start()?;
        let mut cmd = Command::new(load);
        cmd.args(["city", "--server"])
            .arg(&server)
            .arg("--work")
            .arg(prep.work())
            .args(["--pg", &cluster.url()])
            // A run at this scale is minutes; its pushes number in the tens of thousands.
            .args(["--runs", &prep.runs.min(2).to_string()]);
        if prep.quick {
            cmd.arg("--quick");
        }
        let out = capture(&mut cmd)?;
        anyhow::ensure!(s.absorb(&out)? > 0, "the load generator printed no figures");
        Ok(())
    })
}
