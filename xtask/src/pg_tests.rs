//! A real cluster: it starts, answers over the URL it gives, takes the PostgreSQL schema,
//! and leaves neither a process nor a folder behind once dropped.

use std::net::TcpStream;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use super::PgCluster;

pub(super) fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `psql` connected to the cluster, stopping at the first error, ignoring `~/.psqlrc`.
pub(super) fn psql(cluster: &PgCluster) -> Command {
    let mut cmd = Command::new(cluster.binaries.path("psql"));
    cmd.args(["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d"]).arg(cluster.url());
    cmd
}

/// The rows psql prints for `sql`, unaligned, columns joined by `|`.
pub(super) fn psql_rows(cluster: &PgCluster, sql: &str) -> Vec<String> {
    let out = psql(cluster).args(["-A", "-t", "-F", "|", "-c", sql]).output().expect("run psql");
    assert!(out.status.success(), "psql -c {sql}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("psql prints UTF-8").lines().map(str::to_string).collect()
}

/// Applies `migrations/pg/*.sql` in order, as the server does on start.
pub(super) fn apply_schema(cluster: &PgCluster) {
    let folder = workspace_root().join("crates/wangge-server/migrations/pg");
    let mut steps: Vec<PathBuf> =
        std::fs::read_dir(&folder).expect("read migrations/pg").map(|e| e.expect("a folder entry").path()).collect();
    steps.sort();
    for step in steps {
        let out = psql(cluster).args(["-v", "ON_ERROR_STOP=1", "-f"]).arg(&step).output().expect("run psql -f");
        assert!(out.status.success(), "{} does not apply: {}", step.display(), String::from_utf8_lossy(&out.stderr));
    }
}

#[test]
fn a_cluster_takes_the_schema_and_is_gone_after_drop() {
    let cluster = PgCluster::start().expect("start a throwaway PostgreSQL");
    let url = cluster.url();
    assert_eq!(url, format!("postgres://wangge@127.0.0.1:{}/postgres", cluster.port));
    assert_eq!(psql_rows(&cluster, "SELECT 1, current_user"), ["1|wangge"]);
    // What the crash test and the cursor tests rely on.
    assert_eq!(psql_rows(&cluster, "SHOW fsync"), ["on"]);
    assert_eq!(psql_rows(&cluster, "SHOW max_connections"), ["200"]);
    assert_eq!(psql_rows(&cluster, "SHOW lc_collate"), ["C"]);

    apply_schema(&cluster);
    assert_eq!(psql_rows(&cluster, "SELECT version FROM schema_version"), ["18"]);
    assert_eq!(psql_rows(&cluster, "SELECT id, value FROM version_counter"), ["1|0"]);
    let epoch = psql_rows(&cluster, "SELECT value FROM server_meta WHERE key = 'epoch'");
    assert!(
        epoch.len() == 1 && epoch[0].len() == 32 && epoch[0].chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')),
        "the epoch is 32 lowercase hex characters like SQLite's: {epoch:?}"
    );
    assert_eq!(psql_rows(&cluster, "SELECT name, length(value) FROM server_secrets"), ["id_card_hmac|32"]);
    // The log tables number their rows themselves, as SQLite's INTEGER PRIMARY KEY does.
    psql_rows(
        &cluster,
        "INSERT INTO record_log (at, actor, action, collection, record_id) VALUES (1, 'p', 'undelete', 'issues', 'i')",
    );
    assert_eq!(psql_rows(&cluster, "SELECT id FROM record_log"), ["1"]);

    let folder = cluster.folder().to_path_buf();
    let port = cluster.port;
    assert!(folder.join("data/PG_VERSION").exists());
    drop(cluster);
    assert!(!folder.exists(), "{} is still there after drop", folder.display());
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "PostgreSQL still listens on {port} after drop");
}

#[test]
fn the_watchdog_stops_and_removes_a_cluster_whose_owner_died_without_drop() {
    let cluster = PgCluster::start().expect("start");
    let mut owner = Command::new("sleep").arg("60").spawn().expect("start a stand-in owner");
    let mut watchdog = cluster.spawn_watchdog(owner.id()).expect("start a watchdog for it");
    let (folder, port) = (cluster.folder().to_path_buf(), cluster.port);
    std::thread::sleep(Duration::from_secs(2));
    assert!(folder.exists(), "the watchdog must leave a live owner's cluster alone");
    owner.kill().expect("kill the owner");
    owner.wait().expect("reap the owner");
    let deadline = Instant::now() + Duration::from_secs(30);
    while folder.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(!folder.exists(), "the watchdog did not remove {}", folder.display());
    assert!(TcpStream::connect(("127.0.0.1", port)).is_err(), "PostgreSQL still listens on {port}");
    assert!(watchdog.wait().expect("the watchdog exits").success());
    // Nothing is left for Drop to do (its own watchdog exits once the folder is gone).
    std::mem::forget(cluster);
}

#[test]
fn a_second_cluster_is_independent_of_the_first() {
    let (a, b) = (PgCluster::start().expect("first"), PgCluster::start().expect("second"));
    assert_ne!(a.port, b.port);
    assert_ne!(a.folder(), b.folder());
    psql_rows(&a, "CREATE TABLE only_in_a (x BIGINT)");
    assert_eq!(psql_rows(&b, "SELECT to_regclass('only_in_a') IS NULL"), ["t"]);
}

#[test]
fn psql_stops_at_the_first_error() {
    // ON_ERROR_STOP is what makes a broken schema file fail the test above.
    let cluster = PgCluster::start().expect("start");
    let out = Command::new("sh")
        .arg("-c")
        .arg("printf 'SELECT nonsense_column;\\nCREATE TABLE after_error (x BIGINT);\\n' | \"$@\"")
        .arg("sh")
        .arg(psql(&cluster).get_program())
        .args(psql(&cluster).get_args())
        .output()
        .expect("run psql");
    assert!(!out.status.success());
    assert_eq!(psql_rows(&cluster, "SELECT to_regclass('after_error') IS NULL"), ["t"]);
}
