//! A throwaway PostgreSQL cluster, for running the server's tests on PostgreSQL and for
//! `cargo xtask pg`: `initdb` into a fresh folder under the system temp dir, `pg_ctl
//! start` on a free loopback port, the superuser `wangge` with trust auth. Dropping the
//! `PgCluster` stops it and removes the folder, a failing test included. A small watchdog
//! process does the same if xtask dies without dropping it (Ctrl-C, a killed test run),
//! since the postmaster runs in a session of its own and would otherwise outlive us.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};

use anyhow::{bail, Context, Result};

use crate::run::{is_root, probe, run_quiet, say};
use crate::tools;

/// The cluster's superuser, the name in every URL.
pub(crate) const USER: &str = "wangge";

/// Where Debian puts each major version's server programs (`/usr/lib/postgresql/15/bin`).
const DEBIAN_ROOT: &str = "/usr/lib/postgresql";

/// Clusters started by this process so far: part of each folder's name.
static STARTED: AtomicU32 = AtomicU32::new(0);

/// Stops the cluster and removes its folder once the owning process is gone (exited, or
/// a zombie nobody reaps yet), unless the folder went first (a normal Drop). Arguments:
/// owner pid, folder, then the `pg_ctl` command (with its `runuser` prefix when root).
const WATCHDOG: &str = r#"trap '' INT HUP
owner=$1; dir=$2; shift 2
alive() { state=$(sed 's/.*) //' "/proc/$owner/stat" 2>/dev/null | cut -c1); [ -n "$state" ] && [ "$state" != Z ]; }
while alive && [ -d "$dir" ]; do sleep 1; done
[ -d "$dir" ] || exit 0
cd "$dir"; "$@" -D "$dir/data" stop -m fast >/dev/null 2>&1
cd /; rm -rf "$dir""#;

/// The folder holding `initdb`, `pg_ctl` and `psql`: the highest Debian version, or
/// `None` when they are on PATH instead.
pub(crate) struct Binaries(Option<PathBuf>);

impl Binaries {
    fn path(&self, program: &str) -> PathBuf {
        match &self.0 {
            Some(dir) => dir.join(program),
            None => PathBuf::from(program),
        }
    }
}

/// Finds the PostgreSQL server programs, or says how to get them.
pub(crate) fn binaries() -> Result<Binaries> {
    let newest = std::fs::read_dir(DEBIAN_ROOT)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .map(|major| (major, Path::new(DEBIAN_ROOT).join(major.to_string()).join("bin")))
        .filter(|(_, bin)| bin.join("initdb").exists() && bin.join("pg_ctl").exists())
        .max_by_key(|(major, _)| *major);
    if let Some((_, bin)) = newest {
        return Ok(Binaries(Some(bin)));
    }
    let on_path = |exe: &str| probe(Command::new(exe).arg("--version")).is_some();
    if on_path("initdb") && on_path("pg_ctl") {
        return Ok(Binaries(None));
    }
    bail!("PostgreSQL's initdb and pg_ctl are neither under {DEBIAN_ROOT}/*/bin nor on PATH (`cargo xtask test` installs Debian's postgresql)")
}

pub(crate) struct PgCluster {
    /// Holds `data/` (the cluster), `log` and the Unix socket.
    folder: PathBuf,
    port: u16,
    binaries: Binaries,
    /// initdb refuses root: as root, the programs run as the `postgres` system user.
    as_postgres: bool,
    watchdog: Option<Child>,
}

impl PgCluster {
    /// A new, empty, running cluster. Fails (after cleaning up) if PostgreSQL is missing
    /// or will not start; the error carries the server's log.
    pub(crate) fn start() -> Result<PgCluster> {
        let binaries = binaries()?;
        let as_postgres = is_root();
        let n = STARTED.fetch_add(1, Ordering::Relaxed);
        let folder = std::env::temp_dir().join(format!("wangge-pg-{}-{n}", std::process::id()));
        if folder.exists() {
            // Left by an earlier process with this pid that was killed with its watchdog.
            std::fs::remove_dir_all(&folder).with_context(|| format!("remove the stale {}", folder.display()))?;
        }
        std::fs::create_dir_all(&folder).with_context(|| format!("create {}", folder.display()))?;
        // From here on, Drop cleans up whatever happens next.
        let mut cluster = PgCluster { folder, port: 0, binaries, as_postgres, watchdog: None };
        if as_postgres {
            run_quiet(Command::new("chown").arg("postgres:").arg(&cluster.folder))?;
        }
        cluster.watchdog = Some(cluster.spawn_watchdog(std::process::id())?);
        run_quiet(cluster.program("initdb").arg("-D").arg(cluster.data()).args([
            "-U",
            USER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            // Throwaway: initdb's own files need not reach the disk. The server itself
            // runs with fsync on (the crash test relies on it).
            "--no-sync",
        ]))
        .with_context(|| format!("initdb (the postgres user must be able to reach {})", cluster.folder.display()))?;
        cluster.start_on_a_free_port()?;
        say(&format!("PostgreSQL is up at {} (folder {})", cluster.url(), cluster.folder.display()));
        Ok(cluster)
    }

    /// What the `postgres` crate (and psql) connect with: TCP on loopback, the superuser,
    /// the `postgres` database.
    pub(crate) fn url(&self) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/postgres", self.port)
    }

    /// Holds the cluster (`data/`), its log (`log`) and its Unix socket.
    pub(crate) fn folder(&self) -> &Path {
        &self.folder
    }

    fn data(&self) -> PathBuf {
        self.folder.join("data")
    }

    /// A server program, as the `postgres` user when xtask is root, run inside the
    /// cluster's folder (the caller's folder may be closed to that user).
    fn program(&self, name: &str) -> Command {
        let mut cmd = if self.as_postgres {
            let mut cmd = Command::new("runuser");
            cmd.args(["-u", "postgres", "--"]).arg(self.binaries.path(name));
            cmd
        } else {
            Command::new(self.binaries.path(name))
        };
        cmd.current_dir(&self.folder);
        cmd
    }

    /// Another process may take the port between our probe and the server's bind: a
    /// few tries with a fresh port each.
    fn start_on_a_free_port(&mut self) -> Result<()> {
        const TRIES: u32 = 3;
        for attempt in 1..=TRIES {
            self.port = free_loopback_port()?;
            let options = format!(
                "-p {} -k '{}' -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200",
                self.port,
                self.folder.display()
            );
            let started = run_quiet(
                self.program("pg_ctl")
                    .arg("-D")
                    .arg(self.data())
                    .arg("-l")
                    .arg(self.folder.join("log"))
                    .args(["-o", &options, "-w", "start"]),
            );
            match started {
                Ok(()) => return Ok(()),
                Err(err) if attempt == TRIES => {
                    let log = std::fs::read_to_string(self.folder.join("log")).unwrap_or_default();
                    return Err(err.context(format!("PostgreSQL did not start; its log:\n{log}")));
                }
                Err(_) => say(&format!("PostgreSQL did not start on port {}; trying another", self.port)),
            }
        }
        Ok(())
    }

    /// The watchdog that cleans up after `owner` (this process, except in a test).
    fn spawn_watchdog(&self, owner: u32) -> Result<Child> {
        let pg_ctl = self.program("pg_ctl");
        Command::new("sh")
            .arg("-c")
            .arg(WATCHDOG)
            .arg("wangge-pg-watchdog")
            .arg(owner.to_string())
            .arg(&self.folder)
            .arg(pg_ctl.get_program())
            .args(pg_ctl.get_args())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Out of our process group: Ctrl-C on xtask must not stop the watchdog too.
            .process_group(0)
            .spawn()
            .context("start the PostgreSQL watchdog (sh)")
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        if let Some(mut watchdog) = self.watchdog.take() {
            // Ours to clean up now; the watchdog is only for when we cannot.
            let _ = watchdog.kill();
            let _ = watchdog.wait();
        }
        if self.data().join("postmaster.pid").exists() {
            let stop =
                |mode: &str| run_quiet(self.program("pg_ctl").arg("-D").arg(self.data()).args(["stop", "-m", mode]));
            if let Err(err) = stop("fast") {
                say(&format!("PostgreSQL did not stop cleanly ({err:#}); stopping it immediately"));
                let _ = stop("immediate");
            }
        }
        if let Err(err) = std::fs::remove_dir_all(&self.folder) {
            say(&format!("could not remove {}: {err}", self.folder.display()));
        }
    }
}

/// A port nobody listens on right now: the kernel's pick for a loopback bind to port 0.
fn free_loopback_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("bind a loopback port")?;
    Ok(listener.local_addr()?.port())
}

/// `cargo xtask pg`: a cluster for trying things by hand. Prints its URL alone on stdout
/// (so `cargo xtask pg > url` works) and keeps it up until Enter or Ctrl-C; with stdin
/// closed, until the process is killed.
pub(crate) fn serve_cluster() -> Result<()> {
    tools::ensure_postgresql()?;
    let cluster = PgCluster::start()?;
    println!("{}", cluster.url());
    say(&format!("e.g. WANGGE_TEST_PG={} (folder {})", cluster.url(), cluster.folder().display()));
    say("press Enter or Ctrl-C to stop it and remove the folder");
    let mut line = String::new();
    if std::io::stdin().read_line(&mut line)? == 0 {
        // No terminal: run until killed (the watchdog then cleans up).
        loop {
            std::thread::sleep(std::time::Duration::from_secs(3600));
        }
    }
    drop(cluster);
    say("PostgreSQL stopped and removed");
    Ok(())
}

#[cfg(test)]
#[path = "pg_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "pg_schema_tests.rs"]
mod schema_tests;
