//! First start: an empty database is filled with the demo data set (`wangge-demo`) and the three
//! demo accounts, so a fresh server can be tried at once. Never runs on a database that
//! holds any record.

use anyhow::Context;
use wangge_core::PersonId;
use wangge_demo::{self as demo, DemoSize, DEMO_ACCOUNTS};

use crate::account::NewUser;
use crate::auth::hash_password;
use crate::db::{Dataset, Db};

/// Shared by the three demo accounts; this is demo data, not a secret.
pub const DEMO_PASSWORD: &str = "wangge-demo";
/// Fixed so every fresh demo server holds the same data.
const DEMO_SEED: u64 = 2024;

/// Loads the demo if the database is empty; returns the accounts created, for printing.
pub fn seed_if_empty(db: &Db) -> anyhow::Result<Vec<&'static str>> {
    if !db.is_empty().context("check for an empty database")? {
        return Ok(Vec::new());
    }
    let dataset: Dataset = demo::generate(DemoSize::DEMO, DEMO_SEED, crate::now_millis());
    let versions = db.load_dataset(&dataset).context("load the demo data")?;
    tracing::info!(versions, "demo data loaded");
    let mut created = Vec::new();
    for account in DEMO_ACCOUNTS {
        let person_id = PersonId::parse(account.person_id).context("demo person id")?;
        let Some(person) = dataset.people.iter().find(|p| p.id == person_id) else {
            tracing::warn!(person = account.person_id, "demo account has no person in the data set");
            continue;
        };
        let user = NewUser {
            username: account.username.to_string(),
            password: DEMO_PASSWORD.to_string(),
            person_id,
            name: person.name.as_str().to_string(),
            roles: person.roles.iter().copied().collect(),
            home_grid: person.grid.clone(),
        };
        let hash = hash_password(&user.password).map_err(anyhow::Error::msg)?;
        if db.add_user(&user, &hash).context("create a demo account")? {
            created.push(account.username);
        }
    }
    Ok(created)
}

/// The block printed on stdout after seeding.
pub fn accounts_banner(usernames: &[&str]) -> String {
    let list: Vec<String> = usernames.iter().map(|u| format!("{u} / {DEMO_PASSWORD}")).collect();
    format!("Demo accounts: {}", list.join(", "))
}
