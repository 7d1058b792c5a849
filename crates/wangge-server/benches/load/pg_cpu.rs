//! CPU time of a PostgreSQL cluster: the postmaster (its pid is the first line of
//! `DATADIR/postmaster.pid`, the data folder asked of the server) and every process it
//! started (backends, WAL writer, checkpointer…), read from /proc on this machine. The
//! city bench takes a snapshot before and after each push phase to split the machine's
//! CPU between the server processes and the database.

use std::collections::HashMap;

use anyhow::{Context, Result};
use tokio_postgres::Client;

use crate::process::proc_cpu_secs;

/// The postmaster's pid, or `None` when the cluster runs on another machine (its
/// processes are not in our /proc) or its pid file cannot be read.
pub(crate) async fn postmaster(admin: &Client) -> Result<Option<u32>> {
    let dir: String = admin.query_one("SHOW data_directory", &[]).await.context("SHOW data_directory")?.get(0);
    let Ok(text) = std::fs::read_to_string(std::path::Path::new(&dir).join("postmaster.pid")) else { return Ok(None) };
    let pid = text.lines().next().and_then(|l| l.trim().parse::<u32>().ok());
    Ok(pid.filter(|pid| std::path::Path::new(&format!("/proc/{pid}")).exists()))
}

/// CPU seconds so far of the postmaster and of each of its children, by pid.
pub(crate) fn snapshot(postmaster: u32) -> HashMap<u32, f64> {
    let mut out = HashMap::new();
    let Ok(entries) = std::fs::read_dir("/proc") else { return out };
    for entry in entries.flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        let stat = format!("/proc/{pid}/stat");
        if pid == postmaster || parent(&stat) == Some(postmaster) {
            out.insert(pid, proc_cpu_secs(&stat));
        }
    }
    out
}

/// CPU seconds used between two snapshots: a process that started in between counts from
/// zero; one that ended in between is lost (the bench's connections live through a phase).
pub(crate) fn used(before: &HashMap<u32, f64>, after: &HashMap<u32, f64>) -> f64 {
    after.iter().map(|(pid, secs)| secs - before.get(pid).copied().unwrap_or(0.0)).sum()
}

/// The parent pid of a /proc/<pid>/stat file (the field after the state).
fn parent(stat: &str) -> Option<u32> {
    let text = std::fs::read_to_string(stat).ok()?;
    let rest = text.rsplit_once(')')?.1;
    rest.split_whitespace().nth(1)?.parse().ok()
}
