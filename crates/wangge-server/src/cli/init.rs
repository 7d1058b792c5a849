//! `wangge-server init --admin USERNAME --district NAME [--display-name N] [--code 500110]`:
//! a real deployment's first start. On an empty database it creates the district's root
//! grid and one district administrator (role `district_staff`, with the person record the
//! phones pull), prints what it did and the password (given through `--password-stdin` or
//! `WANGGE_PASSWORD`, else a generated one-time password printed once), and logs it in
//! `admin_log`. **It refuses any database that holds a record** (run twice, or the demo
//! loaded): nothing is changed. A server started on its database does not load the demo
//! (`demo::seed_if_empty` only fills an empty one).

use std::path::PathBuf;

use anyhow::{bail, Context};
use wangge_core::grid::{Grid, GridCode, GridLevel};
use wangge_core::people::Role;
use wangge_core::{new_ulid, GridId, GridName, PersonId, PersonName};

use super::accounts::{read_password, PasswordFrom};
use super::Command;
use crate::account::{NewUser, MIN_PASSWORD_CHARS};
use crate::config::{Config, USAGE};

#[derive(Debug, Clone)]
pub struct Init {
    pub admin: String,
    pub district: String,
    pub display_name: String,
    /// The district's 6-digit county code (GB/T 2260), the first segment of grid codes.
    pub code: Option<String>,
    pub password: PasswordFrom,
}

pub(super) fn parse(args: &[String]) -> Result<Command, String> {
    let (mut admin, mut district, mut display_name, mut code, mut stdin) = (None, None, None, None, false);
    let mut data_dir = Config::default().data_dir;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        if flag == "--password-stdin" {
            stdin = true;
            continue;
        }
        let value = it.next().ok_or_else(|| format!("init: {flag} needs a value"))?.clone();
        match flag.as_str() {
            "--admin" => admin = Some(value),
            "--district" => district = Some(value),
            "--display-name" => display_name = Some(value),
            "--code" => code = Some(value),
            "--data" => data_dir = PathBuf::from(value),
            other => return Err(format!("init: unknown argument {other}\n{USAGE}")),
        }
    }
    let admin = admin.ok_or(format!("init: --admin USERNAME is required\n{USAGE}"))?;
    crate::admin_rules::check_username(&admin).map_err(|r| format!("init: --admin: {}", r.message))?;
    let district = district.ok_or(format!("init: --district NAME is required\n{USAGE}"))?;
    GridName::parse(&district).map_err(|e| format!("init: --district: {}", e.message_en()))?;
    if let Some(c) = &code {
        if c.len() != 6 || !c.bytes().all(|b| b.is_ascii_digit()) {
            return Err("init: --code is the district's 6-digit code, e.g. 500110".into());
        }
    }
    let display_name = display_name.unwrap_or_else(|| "区级管理员".into());
    PersonName::parse(&display_name).map_err(|e| format!("init: --display-name: {}", e.message_en()))?;
    let password = if stdin { PasswordFrom::Stdin } else { PasswordFrom::Env };
    Ok(Command::Init { data_dir, init: Init { admin, district, display_name, code, password } })
}

fn random10() -> anyhow::Result<[u8; 10]> {
    let mut b = [0u8; 10];
    getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("random bytes: {e}"))?;
    Ok(b)
}

pub(super) fn run(data_dir: &std::path::Path, init: Init) -> anyhow::Result<()> {
    // A password from stdin or the environment; with neither, one generated and shown once.
    let (password, generated) = match (&init.password, std::env::var("WANGGE_PASSWORD").is_ok()) {
        (PasswordFrom::Env, false) => (crate::one_time_password::generate().map_err(anyhow::Error::msg)?, true),
        (from, _) => (read_password(from.clone())?, false),
    };
    if password.chars().count() < MIN_PASSWORD_CHARS {
        bail!("the password needs at least {MIN_PASSWORD_CHARS} characters");
    }
    let db = super::open(data_dir)?;
    if !db.is_empty()? || !db.list_users()?.is_empty() {
        bail!(
            "{} already holds data (init has run, or the demo was loaded); nothing was changed",
            super::database(data_dir)?.describe()
        );
    }
    let (id, code) = match &init.code {
        Some(c) => (
            format!("g{c}000000000"),
            Some(GridCode::parse(&format!("{c}000000000")).map_err(|e| anyhow::anyhow!(e.message_en()))?),
        ),
        None => ("district".to_string(), None),
    };
    let grid = Grid {
        id: GridId::parse(id).map_err(|e| anyhow::anyhow!(e.message_en()))?,
        name: GridName::parse(&init.district).map_err(|e| anyhow::anyhow!(e.message_en()))?,
        level: GridLevel::District,
        parent: None,
        code,
        retired: false,
    };
    let user = NewUser {
        username: init.admin.clone(),
        password: String::new(),
        person_id: PersonId::parse(new_ulid(crate::now_millis(), random10()?))
            .map_err(|e| anyhow::anyhow!(e.message_en()))?,
        name: init.display_name.clone(),
        roles: vec![Role::DistrictStaff],
        home_grid: grid.id.clone(),
    };
    let hash = crate::auth::hash_password(&password).map_err(anyhow::Error::msg)?;
    db.init_district(grid.clone(), user.clone(), hash).context("create the district and its administrator")?;
    println!(
        "created district {} (grid {}{})",
        init.district,
        grid.id,
        grid.code.as_ref().map_or(String::new(), |c| format!(", code {c}"))
    );
    println!("created administrator {} (district_staff, person {})", user.username, user.person_id);
    if generated {
        println!("one-time password (shown once, change it after the first login): {password}");
    }
    println!("start the server on this data folder: wangge-server --data {}", data_dir.display());
    Ok(())
}
