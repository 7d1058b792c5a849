//! Server throughput: runs the load generator (`crates/wangge-server/benches/load.rs`)
//! against the release server binary on loopback: a district account's full pull, 50 and
//! 500 concurrent devices pushing small batches, one device pushing 10,000 queued
//! mutations. Goal: ≥ 5,000 mutations/s on this machine's cores.

use std::path::Path;
use std::process::Command;

use super::prep::capture;
use super::report::Section;
use super::{guarded, Prep};

pub(crate) fn section(prep: &mut Prep<'_>) -> Section {
    guarded("server", "Server throughput (release server on loopback, village-scale database)", |s| {
        let server = prep.server()?;
        let load = prep.load()?;
        let mut cmd = Command::new(load);
        cmd.args(["throughput", "--server"])
            .arg(&server)
            .arg("--work")
            .arg(prep.work())
            .args(["--runs", &prep.runs.min(5).to_string()]);
        if prep.quick {
            cmd.arg("--quick");
        }
        // Where the server's CPU time goes, when perf works here (run 1, 50 devices).
        let perf_data = prep.work().join("server.perf.data");
        let _ = std::fs::remove_file(&perf_data);
        let have_perf = crate::run::probe(Command::new("perf").arg("--version")).is_some();
        if have_perf {
            cmd.env("WANGGE_BENCH_PERF", &perf_data);
        }
        let out = capture(&mut cmd)?;
        anyhow::ensure!(s.absorb(&out)? > 0, "the load generator printed no figures");
        match perf_summary(&perf_data) {
            Some(top) => s.note(format!(
                "perf profile of the server during 50 devices (on-CPU samples, self time; `perf report -i {}`): {top}",
                perf_data.display()
            )),
            None if have_perf => s.note("no perf profile (perf record produced nothing usable here)"),
            None => s.note("no perf profile (perf is not installed: apt-get install linux-perf)"),
        }
        Ok(())
    })
}

/// Self time from `perf report`, by kind of work and by symbol, as one line.
fn perf_summary(data: &Path) -> Option<String> {
    if !data.exists() {
        return None;
    }
    let out = crate::run::probe(
        Command::new("perf")
            .args(["report", "--stdio", "--no-children", "--sort", "dso,symbol", "-g", "none", "-i"])
            .arg(data),
    )?;
    let mut rows: Vec<(f64, String, String)> = Vec::new();
    for line in out.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let mut parts = line.split_whitespace();
        let (Some(pct), Some(dso)) = (parts.next(), parts.next()) else { continue };
        let Ok(pct) = pct.trim_end_matches('%').parse::<f64>() else { continue };
        let sym: Vec<&str> = parts.skip(1).take_while(|p| *p != "-").collect();
        rows.push((pct, dso.to_string(), sym.join(" ")));
    }
    if rows.is_empty() {
        return None;
    }
    let mut kinds: Vec<(&str, f64)> = Vec::new();
    for (pct, dso, sym) in &rows {
        let kind = kind_of(dso, sym);
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, v)) => *v += pct,
            None => kinds.push((kind, *pct)),
        }
    }
    kinds.sort_by(|a, b| b.1.total_cmp(&a.1));
    let kinds: Vec<String> = kinds.iter().map(|(k, v)| format!("{k} {v:.0}%")).collect();
    let top: Vec<String> = rows.iter().take(8).map(|(p, _, s)| format!("{s} {p:.1}%")).collect();
    Some(format!("by kind: {}; top symbols: {}", kinds.join(", "), top.join(", ")))
}

/// A coarse kind of work for a perf symbol of the server process.
fn kind_of(dso: &str, sym: &str) -> &'static str {
    let has = |needles: &[&str]| needles.iter().any(|n| sym.contains(n));
    if dso.contains("kernel") {
        if has(&[
            "ext4", "jbd2", "blk", "bio", "filemap", "folio", "page", "xas_", "mpage", "buffer", "iowrite", "nvme",
            "virtio",
        ]) {
            "kernel: files, page cache, disk"
        } else if has(&["tcp", "sock", "skb", "net", "ip_", "loopback", "epoll"]) {
            "kernel: network"
        } else {
            "kernel: scheduling, locks, other"
        }
    } else if has(&["malloc", "free", "realloc", "unlink_chunk", "consolidate", "cfree"]) {
        "allocator"
    } else if has(&["sqlite3", "pcache", "btree", "vdbe", "yy_", "Vdbe", "pager", "wal"]) {
        "SQLite"
    } else if has(&["serde", "json"]) {
        "JSON (serde)"
    } else if has(&["tokio", "hyper", "axum", "tower", "mio", "h2::", "http::"]) {
        "HTTP and async runtime"
    } else if has(&["wangge", "argon2", "sha2"]) {
        "Wangge code"
    } else if has(&["memcmp", "memmove", "memcpy", "memset", "strlen"]) {
        "memory copies and compares"
    } else {
        "other"
    }
}
