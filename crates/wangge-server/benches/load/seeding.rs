//! The bench's data: the fixed seed and clock of the demo generator, the bench accounts
//! (one grid worker per device, a town official, a district account) and template
//! databases seeded once per work folder and copied for every run.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{ensure, Result};
use wangge_core::people::Role;
use wangge_core::{GridId, PersonId};
use wangge_demo::{generate, DemoData, DemoSize};
use wangge_server::account::NewUser;
use wangge_server::db::SQLITE_FILE;
use wangge_server::Db;

use crate::proto::{note, say};

/// 2026-11-23T00:00:00Z: the data set is the same on every run.
pub(crate) const NOW: i64 = 1_795_392_000_000;
pub(crate) const SEED: u64 = 2024;
pub(crate) const PASSWORD: &str = "wangge-bench";
/// The district whose account pulls everything (綦江区).
pub(crate) const DISTRICT: &str = "g500110000000000";
/// 古南街道, the town of 綦齿社区.
const TOWN: &str = "g500110001000000";
pub(crate) const DEVICES_MAX: usize = 500;

/// A bench account: username, person id and home grid.
#[derive(Clone)]
pub(crate) struct Account {
    pub(crate) username: String,
    pub(crate) person: PersonId,
    pub(crate) grid: GridId,
    pub(crate) role: Role,
}

pub(crate) fn bench_account(username: String, person: &str, grid: &GridId, role: Role) -> Account {
    Account { username, person: PersonId::parse(person).expect("bench person id"), grid: grid.clone(), role }
}

pub(crate) fn add_accounts(db: &Db, accounts: &[Account]) -> Result<()> {
    // One argon2 hash for all: the database stores hashes, so they can share one.
    let hash = wangge_server::auth::hash_password(PASSWORD).map_err(anyhow::Error::msg)?;
    for a in accounts {
        let user = NewUser {
            username: a.username.clone(),
            password: PASSWORD.into(),
            person_id: a.person.clone(),
            name: format!("压测{}", a.username),
            roles: vec![a.role],
            home_grid: a.grid.clone(),
        };
        ensure!(db.add_user(&user, &hash)?, "account {} exists", a.username);
    }
    Ok(())
}

/// The grid workers: one per device, spread round-robin over the grids that hold
/// households and issues, so scope checks and writes land all over the tree.
pub(crate) fn worker_accounts(data: &DemoData) -> Vec<Account> {
    let mut grids: Vec<&GridId> = data.households.iter().map(|h| &h.grid).collect();
    grids.sort();
    grids.dedup();
    let with_issues: std::collections::HashSet<&str> = data.issues.iter().map(|i| i.grid.as_str()).collect();
    grids.retain(|g| with_issues.contains(g.as_str()));
    (0..DEVICES_MAX)
        .map(|i| {
            bench_account(
                format!("bench-w{i:03}"),
                &format!("bench-worker-{i:03}"),
                grids[i % grids.len()],
                Role::GridWorker,
            )
        })
        .collect()
}

pub(crate) fn district_account() -> Account {
    bench_account("bench-district".into(), "bench-district", &GridId::parse(DISTRICT).unwrap(), Role::TownStaff)
}

/// An official of 古南街道, the town of the demo's first community: their scope is one
/// town's share of the data set.
pub(crate) fn town_account() -> Account {
    bench_account("bench-town".into(), "bench-town", &GridId::parse(TOWN).unwrap(), Role::TownStaff)
}

/// A SQLite database of `size` (the core's demo generator) with the 500 grid workers and
/// `extra` accounts, made once per work folder in `work/name` (the `done` file holds how
/// long seeding took, reported again when the template is reused).
pub(crate) fn template(work: &Path, name: &str, size: DemoSize, extra: &[Account]) -> Result<(PathBuf, DemoData)> {
    let dir = work.join(name);
    let t = Instant::now();
    let data = generate(size, SEED, NOW);
    let generated = t.elapsed().as_secs_f64();
    let counts = format!(
        "{} households, {} issues, {} events, {} visits, {} people, {} grids",
        data.households.len(),
        data.issues.len(),
        data.events.len(),
        data.visits.len(),
        data.people.len(),
        data.grids.len()
    );
    let done = dir.join("done");
    if let Ok(seconds) = std::fs::read_to_string(&done) {
        note(format!(
            "template `{name}` ({counts}): reused, seeded earlier in {} s; generated in {generated:.1} s",
            seconds.trim()
        ));
        return Ok((dir, data));
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    say(&format!("seeding the template database `{name}` (once per work folder)"));
    let t = Instant::now();
    {
        let db = Db::open(&dir.join(SQLITE_FILE))?;
        db.load_dataset(&data)?;
        let mut accounts = worker_accounts(&data);
        accounts.extend_from_slice(extra);
        add_accounts(&db, &accounts)?;
        db.call_blocking(|c| {
            c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
            Ok(())
        })?;
    }
    let seeded = t.elapsed().as_secs_f64();
    note(format!("template `{name}` ({counts}): generated in {generated:.1} s, seeded into SQLite in {seeded:.1} s"));
    std::fs::write(&done, format!("{seeded:.1}"))?;
    Ok((dir, data))
}

pub(crate) fn fresh_copy(template: &Path, to: &Path) -> Result<()> {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(template)? {
        let path = entry?.path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with(SQLITE_FILE) {
            std::fs::copy(&path, to.join(&name))?;
        }
    }
    Ok(())
}
