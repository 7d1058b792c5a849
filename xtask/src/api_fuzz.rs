//! The API fuzzing tier: Schemathesis generates requests from the server's own
//! `/api/v1/openapi.json` and sends them to the real server binary (debug build, fresh data
//! folder, demo data), logged in as the demo grid worker. Every answer must be no 5xx and
//! match the document: a documented status, JSON, a body of the documented schema.
//!
//! `cargo xtask api-fuzz [options]` runs only this tier; the options go to `schemathesis
//! run` (`--seed N` replays a failed run, whose seed Schemathesis prints).

use std::fs::File;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context, Result};

use crate::project::Project;
use crate::run::{run, say};
use crate::{disk, tools};

/// Test cases per operation and phase. 100 keeps the tier near a minute and a half on a
/// busy 2-core machine (coverage phase 15-35 s, fuzzing 40-70 s); runs of 300 and 800
/// (2 and 17 minutes) found nothing more.
const EXAMPLES: &str = "100";
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
    response_headers_conformance,response_schema_conformance";
/// Logging out revokes the token every other request carries: it runs alone, last.
const LOGOUT: &str = "/api/v1/auth/logout";

/// `cargo xtask api-fuzz [schemathesis options]`: only this tier (on the PostgreSQL
/// database `WANGGE_DATABASE` names, if set: an empty one, the demo loads into it).
pub(crate) fn run_only(extra: &[String]) -> Result<()> {
    let project = Project::locate()?;
    disk::ensure_room(&project.target);
    tools::ensure_schemathesis(&project)?;
    let database = std::env::var("WANGGE_DATABASE").ok().filter(|url| url.starts_with("postgres"));
    run_api_fuzz(&project, extra, database.as_deref())
}

/// `database`: a PostgreSQL URL to run the server on instead of SQLite in the tier's folder.
pub(crate) fn run_api_fuzz(project: &Project, extra: &[String], database: Option<&str>) -> Result<()> {
    let started = Instant::now();
    run(Command::new(env!("CARGO")).args(["build", "-p", "wangge-server"]).current_dir(&project.root))?;
    let dir = project.target.join(if database.is_some() { "api-fuzz-pg" } else { "api-fuzz" });
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("clear {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir)?;
    let server = Server::start(&project.target.join("debug/wangge-server"), &dir, database)?;
    let token = login(&server.addr)?;
    let schema = format!("http://{}/api/v1/openapi.json", server.addr);
    let fuzz = |paths: [&str; 2]| -> Result<()> {
        let mut cmd = Command::new(project.schemathesis());
        cmd.arg("run")
            .arg(&schema)
            .args(["--header", &format!("Authorization: Bearer {token}")])
            .args(["--checks", CHECKS])
            .args(["--max-examples", EXAMPLES])
            // Hypothesis's health checks judge the data generation (too slow, too much
            // filtered), not the API: on a busy CI machine they would fail runs at random.
            .args(["--suppress-health-check", "all"])
            .args(paths)
            .arg("--no-color")
            .args(extra)
            // Its example database and reports stay in the tier's folder, not the clone.
            .current_dir(&dir);
        run(&mut cmd).with_context(|| {
            format!("Schemathesis found answers the document does not allow (server log: {})", server.log.display())
        })
    };
    say("api-fuzz: every operation but logout, as the demo grid worker");
    fuzz(["--exclude-path", LOGOUT])?;
    say("api-fuzz: logout, last (it revokes the token)");
    fuzz(["--include-path", LOGOUT])?;
    say(&format!("api-fuzz passed in {:.0} s", started.elapsed().as_secs_f64()));
    Ok(())
}

/// The server binary on a free loopback port; killed when dropped.
struct Server {
    child: Child,
    addr: String,
    log: PathBuf,
}

impl Server {
    /// Starts it over a fresh data folder in `dir` (the demo data loads into it) and waits
    /// for the line that says where it listens. Its output goes to `dir/server.log`: read
    /// through a pipe nobody drains, its request log would fill the pipe and stall it.
    fn start(bin: &Path, dir: &Path, database: Option<&str>) -> Result<Server> {
        let log = dir.join("server.log");
        let out = File::create(&log)?;
        let mut cmd = Command::new(bin);
        match database {
            Some(url) => cmd.env("WANGGE_DATABASE", url),
            None => cmd.env_remove("WANGGE_DATABASE"),
        };
        let child = cmd
            .args(["--addr", "127.0.0.1:0", "--data"])
            .arg(dir.join("data"))
            .stdout(Stdio::from(out.try_clone()?))
            .stderr(Stdio::from(out))
            .spawn()
            .with_context(|| format!("start {}", bin.display()))?;
        let mut server = Server { child, addr: String::new(), log };
        let deadline = Instant::now() + Duration::from_secs(90);
        while Instant::now() < deadline {
            let text = std::fs::read_to_string(&server.log)?;
            if let Some(rest) = text.split("running at http://").nth(1) {
                server.addr = rest.split('/').next().unwrap_or_default().to_string();
                return Ok(server);
            }
            if let Some(status) = server.child.try_wait()? {
                bail!("the server exited ({status}) before listening:\n{text}");
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        bail!("the server did not start listening within 90 s; see {}", server.log.display())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Logs in as the demo grid worker over plain HTTP/1.1 and returns the device token.
fn login(addr: &str) -> Result<String> {
    let body =
        serde_json::json!({"username": "gridworker", "password": "wangge-demo", "device_name": "api-fuzz"}).to_string();
    let mut stream = TcpStream::connect(addr).with_context(|| format!("connect to {addr}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "POST /api/v1/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).context("read the login answer")?;
    let (head, body) = answer.split_once("\r\n\r\n").context("not an HTTP answer")?;
    ensure!(head.starts_with("HTTP/1.1 200"), "the demo login failed: {head}\n{body}");
    let value: serde_json::Value = serde_json::from_str(body).context("the login answer is not JSON")?;
    value["token"].as_str().map(String::from).context("no token in the login answer")
}
