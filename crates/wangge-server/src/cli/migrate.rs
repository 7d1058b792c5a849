//! `wangge-server migrate --from sqlite:DIR --to postgres://…`: the command line around
//! `db::migrate` (a district moving to PostgreSQL). Parses the two databases, runs the
//! copy and prints what both sides agreed on, table by table; the photos are files and
//! stay in the data folder.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::{Config, USAGE};
use crate::db::migrate::{migrate, Migrated};
use crate::db::Database;

/// What `migrate` was asked to do.
#[derive(Debug, PartialEq, Eq)]
pub struct Migrate {
    /// The data folder: its SQLite file is copied, its photos stay where they are.
    pub data_dir: PathBuf,
    /// The PostgreSQL URL copied into.
    pub to: String,
}

/// `--from sqlite:DIR` (or `--data DIR`, or the default data folder) and `--to
/// postgres://…` (or `WANGGE_DATABASE` when it names PostgreSQL: no password on the
/// command line).
pub fn parse(args: &[String], env_database: Option<&str>) -> Result<Migrate, String> {
    let (mut data_dir, mut to) = (None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("migrate: {flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--from" => match value.strip_prefix("sqlite:").filter(|d| !d.is_empty()) {
                Some(dir) => data_dir = Some(PathBuf::from(dir)),
                None => return Err(format!("migrate: --from takes sqlite:DIR (the data folder), not {value:?}")),
            },
            "--data" => data_dir = Some(PathBuf::from(value)),
            "--to" => to = Some(value.clone()),
            other => return Err(format!("migrate: unknown argument {other}\n{USAGE}")),
        }
    }
    let to = to.or_else(|| env_database.filter(|v| !v.is_empty()).map(String::from)).ok_or_else(|| {
        format!("migrate: name the PostgreSQL database with --to postgres://… (or WANGGE_DATABASE)\n{USAGE}")
    })?;
    match Database::parse(&to).map_err(|e| format!("migrate: {e}"))? {
        Database::Postgres(url) => Ok(Migrate { data_dir: data_dir.unwrap_or(Config::default().data_dir), to: url }),
        Database::Sqlite(_) => Err("migrate: --to must be a postgres:// URL".into()),
    }
}

/// Copies, verifies and reports; an error (nothing written) otherwise.
pub fn run(m: &Migrate) -> anyhow::Result<()> {
    let source = m.data_dir.join(crate::db::SQLITE_FILE);
    let target = Database::Postgres(m.to.clone()).describe();
    println!("migrating sqlite:{} to {target}", source.display());
    let started = Instant::now();
    let done = migrate(&source, &m.to)?;
    print!("{}", report(&done, started.elapsed().as_secs_f64(), &m.data_dir));
    Ok(())
}

/// The table of counts and what to do next.
fn report(done: &Migrated, seconds: f64, data_dir: &Path) -> String {
    let mut out = format!("{:<20} {:>10}  checksum\n", "table", "rows");
    for t in &done.tables {
        out.push_str(&format!("{:<20} {:>10}  {:032x}\n", t.table, t.rows, t.checksum));
    }
    let total: u64 = done.tables.iter().map(|t| t.rows).sum();
    out.push_str(&format!(
        "{total} rows in {} tables copied in {seconds:.1} s (schema version {}); row counts and checksums equal on both sides\n",
        done.tables.len(),
        done.schema_version
    ));
    match &done.new_epoch {
        None => out.push_str(&format!(
            "epoch {} kept: phones carry on with their logins, cursors and unsent changes\n",
            done.epoch
        )),
        Some(new) => out.push_str(&format!(
            "the SQLite database changed during the copy (was its server still running?): the copy is consistent as of its start and serves under a new epoch ({} -> {new}), so phones pull everything again and re-send what they hold; for an exact move, stop the server and migrate into an empty database\n",
            done.epoch
        )),
    }
    let photos = data_dir.join("photos");
    out.push_str(&format!(
        "photos stay in {}: start the server with --data {} --database postgres://…\n",
        photos.display(),
        data_dir.display()
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn from_a_data_folder_to_a_postgres_url() {
        let m = parse(&args("--from sqlite:/srv/wangge --to postgres://w@db:5432/wangge"), None).unwrap();
        assert_eq!(m, Migrate { data_dir: "/srv/wangge".into(), to: "postgres://w@db:5432/wangge".into() });
        let m = parse(&args("--data /srv/w"), Some("postgres://w@db/wangge")).unwrap();
        assert_eq!((m.data_dir, m.to.as_str()), (PathBuf::from("/srv/w"), "postgres://w@db/wangge"));
    }

    #[test]
    fn a_missing_or_wrong_database_is_refused() {
        assert!(parse(&args("--from sqlite:/d"), None).unwrap_err().contains("--to"));
        assert!(parse(&args("--from /d --to postgres://w@db/x"), None).unwrap_err().contains("sqlite:DIR"));
        assert!(parse(&args("--from sqlite:/d --to sqlite:/e"), None).unwrap_err().contains("postgres://"));
        assert!(parse(&args("--from sqlite:/d --to postgres://w@db/x --force yes"), None)
            .unwrap_err()
            .contains("unknown argument"));
    }
}
