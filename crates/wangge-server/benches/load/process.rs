//! The release server binary as the bench runs it: started on a free loopback port (on
//! the SQLite file of a data folder, or on a PostgreSQL database), stopped on drop; and
//! what the bench reads of processes and the disk: CPU seconds from /proc, fsync time.

use std::io::BufRead;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) base: String,
}

impl Server {
    /// Starts `bin` on a free loopback port and waits until it prints its address. `data`
    /// holds its log (and photos; the database too unless `database` names another).
    pub(crate) fn start(bin: &Path, data: &Path, database: Option<&str>) -> Result<Server> {
        let log = std::fs::File::create(data.join("server.log"))?;
        let mut command = Command::new(bin);
        command.args(["--addr", "127.0.0.1:0", "--no-demo", "--data"]).arg(data);
        if let Some(database) = database {
            command.args(["--database", database]);
        }
        let mut child =
            command.stdout(Stdio::piped()).stderr(log).spawn().with_context(|| format!("start {}", bin.display()))?;
        let stdout = child.stdout.take().context("server stdout")?;
        let (tx, rx) = std::sync::mpsc::channel();
        // Keeps reading (and so draining) the server's stdout for as long as it runs.
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(at) = line.find("running at ") {
                    let _ = tx.send(line[at + 11..].trim().trim_end_matches('/').to_string());
                }
            }
        });
        match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(base) => Ok(Server { child, base }),
            Err(e) => {
                let _ = child.kill();
                bail!("the server did not print its address: {e}")
            }
        }
    }
}

impl Server {
    /// CPU seconds the server process has used so far (user + system, from /proc).
    pub(crate) fn cpu_secs(&self) -> f64 {
        proc_cpu_secs(&format!("/proc/{}/stat", self.child.id()))
    }
}

/// utime + stime of a /proc/<pid>/stat file, in seconds (0 where /proc is missing).
pub(crate) fn proc_cpu_secs(stat: &str) -> f64 {
    let Ok(text) = std::fs::read_to_string(stat) else { return 0.0 };
    // Fields after the command name (which may hold spaces) start at state, field 3.
    let rest = text.rsplit_once(')').map_or("", |(_, r)| r);
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / clock_ticks()
}

fn clock_ticks() -> f64 {
    static TICKS: std::sync::OnceLock<f64> = std::sync::OnceLock::new();
    *TICKS.get_or_init(|| {
        Command::new("getconf")
            .arg("CLK_TCK")
            .output()
            .ok()
            .and_then(|o| String::from_utf8_lossy(&o.stdout).trim().parse().ok())
            .unwrap_or(100.0)
    })
}

/// Median time of a small write + fsync in `dir`: the floor under every durable commit.
pub(crate) fn fsync_ms(dir: &Path, n: usize) -> Result<f64> {
    use std::io::Write;
    let path = dir.join("fsync-probe");
    let mut f = std::fs::File::create(&path)?;
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let t = Instant::now();
        f.write_all(&[i as u8; 4096])?;
        f.sync_all()?;
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    drop(f);
    let _ = std::fs::remove_file(&path);
    times.sort_by(f64::total_cmp);
    Ok(times[times.len() / 2])
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
