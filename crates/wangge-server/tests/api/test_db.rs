//! Which engine the suite runs on. `cargo xtask test` runs it twice: on SQLite (a file in
//! each test's temp folder) and on PostgreSQL, where `WANGGE_TEST_PG` names a throwaway
//! cluster and each test gets a schema of its own in it. The test's temp folder remembers
//! its database (`test-database.url`), so the server binary and the CLI started on that
//! folder open the same one (through `WANGGE_DATABASE`).

use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use wangge_server::db::sql::Conn;
use wangge_server::db::{Database, SQLITE_FILE};
use wangge_server::Db;

const URL_FILE: &str = "test-database.url";

/// True when this run of the suite is against PostgreSQL.
pub(crate) fn on_postgres() -> bool {
    std::env::var_os("WANGGE_TEST_PG").is_some_and(|v| !v.is_empty())
}

/// A new, empty database for a test whose files live in `dir`.
pub(crate) fn fresh_database(dir: &Path) -> Database {
    let cluster = match std::env::var("WANGGE_TEST_PG") {
        Ok(url) if !url.is_empty() => url,
        _ => return Database::Sqlite(dir.join(SQLITE_FILE)),
    };
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let schema = format!("t{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let admin = Conn::open(&Database::Postgres(cluster.clone())).expect("connect to the test cluster");
    admin.execute_batch(&format!("CREATE SCHEMA {schema}")).expect("create the test's schema");
    let sep = if cluster.contains('?') { '&' } else { '?' };
    // The application name lets a test find this test's connections among the cluster's.
    let url = format!("{cluster}{sep}options=-csearch_path%3D{schema}&application_name={schema}");
    std::fs::write(dir.join(URL_FILE), &url).expect("remember the test's database");
    Database::Postgres(url)
}

/// The database the test folder `dir` was given (SQLite's file if none was recorded).
pub(crate) fn database_of(dir: &Path) -> Database {
    match std::fs::read_to_string(dir.join(URL_FILE)) {
        Ok(url) => Database::Postgres(url),
        Err(_) => Database::Sqlite(dir.join(SQLITE_FILE)),
    }
}

/// The schema (and application name) of the folder's PostgreSQL database.
pub(crate) fn schema_of(dir: &Path) -> Option<String> {
    let url = std::fs::read_to_string(dir.join(URL_FILE)).ok()?;
    url.split("application_name=").nth(1).map(|s| s.split('&').next().unwrap_or(s).to_string())
}

/// Opens the folder's database as the server does (migrated).
pub(crate) fn open_db(dir: &Path) -> Db {
    Db::open_database(&database_of(dir)).expect("open the test database")
}

/// A plain connection to the folder's database, to look behind the server's back.
pub(crate) fn sql(dir: &Path) -> Conn {
    Conn::open(&database_of(dir)).expect("connect to the test database")
}

/// Points a server binary or CLI started on `dir` at the folder's database.
pub(crate) fn database_env(cmd: &mut Command, dir: &Path) {
    match database_of(dir) {
        Database::Postgres(url) => cmd.env("WANGGE_DATABASE", url),
        Database::Sqlite(_) => cmd.env_remove("WANGGE_DATABASE"),
    };
}
