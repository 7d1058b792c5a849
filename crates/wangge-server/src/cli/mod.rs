//! The command line: `wangge-server [flags]` serves; `wangge-server user add|list` manages
//! accounts in the same data folder, and `user disable|enable|set-password` and `device
//! list|revoke` (`accounts.rs`) cut off a lost phone or a departed worker (run them while
//! the server is stopped or running: SQLite's locking keeps both safe, and the server
//! refuses a revoked token from its next request on); `backup FILE` copies the database
//! while it serves, and `restore FILE` (server stopped) puts a backup back under a new
//! epoch. `migrate` (`migrate.rs`) copies the SQLite database into PostgreSQL. `init` (`init.rs`) starts a real deployment: the district's root grid and its
//! first administrator on an empty database.

pub mod accounts;
pub mod init;
pub mod migrate;

use std::path::PathBuf;

use anyhow::Context;
use wangge_core::people::Role;
use wangge_core::{new_ulid, GridId, PersonId};

use crate::account::NewUser;
use crate::config::{Config, USAGE};
use crate::db::{Database, Db};

#[derive(Debug)]
pub enum Command {
    Serve(Config),
    UserAdd {
        data_dir: PathBuf,
        user: NewUser,
    },
    UserList {
        data_dir: PathBuf,
    },
    /// Disable, enable, set-password, device list and revoke (`accounts.rs`).
    Account {
        data_dir: PathBuf,
        command: accounts::AccountCommand,
    },
    /// A real deployment's first start (`init.rs`).
    Init {
        data_dir: PathBuf,
        init: init::Init,
    },
    Backup {
        data_dir: PathBuf,
        file: PathBuf,
    },
    Restore {
        data_dir: PathBuf,
        file: PathBuf,
    },
    /// The SQLite database copied into PostgreSQL (`migrate.rs`).
    Migrate(migrate::Migrate),
}

/// Parses the whole argument list (without the program name).
pub fn parse(args: Vec<String>) -> Result<Command, String> {
    match args.first().map(String::as_str) {
        Some("user") => match args.get(1).map(String::as_str) {
            Some("add") => parse_user_add(&args[2..]),
            Some("list") => Ok(Command::UserList { data_dir: parse_data_only(&args[2..])? }),
            Some(verb @ ("disable" | "enable" | "set-password")) => accounts::parse_user(verb, &args[2..]),
            _ => Err(format!("user: expected `add`, `list`, `disable`, `enable` or `set-password`\n{USAGE}")),
        },
        Some("init") => init::parse(&args[1..]),
        Some("migrate") => {
            migrate::parse(&args[1..], std::env::var("WANGGE_DATABASE").ok().as_deref()).map(Command::Migrate)
        }
        Some("device") => match args.get(1).map(String::as_str) {
            Some(verb @ ("list" | "revoke")) => accounts::parse_device(verb, &args[2..]),
            _ => Err(format!("device: expected `list` or `revoke`\n{USAGE}")),
        },
        Some(verb @ ("backup" | "restore")) => {
            let (data_dir, file) = parse_file_and_data(verb, &args[1..])?;
            Ok(match verb {
                "backup" => Command::Backup { data_dir, file },
                _ => Command::Restore { data_dir, file },
            })
        }
        _ => Config::from_args(args)?
            .with_allowed_hosts_env(std::env::var("WANGGE_ALLOWED_HOSTS").ok().as_deref())?
            .with_database_env(std::env::var("WANGGE_DATABASE").ok().as_deref())
            .map(Command::Serve),
    }
}

/// `FILE [--data DIR]`, in either order.
fn parse_file_and_data(verb: &str, args: &[String]) -> Result<(PathBuf, PathBuf), String> {
    let (mut data_dir, mut file) = (Config::default().data_dir, None);
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--data" => data_dir = PathBuf::from(it.next().ok_or("--data needs a value")?),
            flag if flag.starts_with("--") => return Err(format!("{verb}: unknown argument {flag}\n{USAGE}")),
            path if file.is_none() => file = Some(PathBuf::from(path)),
            extra => return Err(format!("{verb}: one file only, got another: {extra}\n{USAGE}")),
        }
    }
    Ok((data_dir, file.ok_or_else(|| format!("{verb}: name the backup file\n{USAGE}"))?))
}

fn parse_data_only(args: &[String]) -> Result<PathBuf, String> {
    match args {
        [] => Ok(Config::default().data_dir),
        [flag, dir] if flag == "--data" => Ok(PathBuf::from(dir)),
        _ => Err(format!("user list: unexpected arguments\n{USAGE}")),
    }
}

fn parse_user_add(args: &[String]) -> Result<Command, String> {
    let (mut username, mut password, mut name, mut grid, mut person) = (None, None, None, None, None);
    let mut roles = Vec::new();
    let mut data_dir = Config::default().data_dir;
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?.clone();
        match flag.as_str() {
            "--username" => username = Some(value),
            "--password" => password = Some(value),
            "--name" => name = Some(value),
            "--grid" => grid = Some(GridId::parse(value).map_err(|e| format!("--grid: {}", e.message_en()))?),
            "--person" => person = Some(PersonId::parse(value).map_err(|e| format!("--person: {}", e.message_en()))?),
            "--role" => roles.push(Role::from_code(&value).ok_or_else(|| {
                let known: Vec<&str> = Role::ALL.iter().map(|r| r.code()).collect();
                format!("--role: unknown role {value:?}; one of {}", known.join(", "))
            })?),
            "--data" => data_dir = PathBuf::from(value),
            other => return Err(format!("user add: unknown argument {other}\n{USAGE}")),
        }
    }
    let need = |v: Option<String>, flag: &str| {
        v.filter(|s| !s.trim().is_empty()).ok_or(format!("user add: {flag} is required"))
    };
    let (username, password, name) =
        (need(username, "--username")?, need(password, "--password")?, need(name, "--name")?);
    // The name goes onto the person record phones pull: it must be one the core accepts.
    wangge_core::PersonName::parse(&name).map_err(|e| format!("user add: --name: {}", e.message_en()))?;
    let home_grid = grid.ok_or("user add: --grid is required")?;
    if roles.is_empty() {
        return Err("user add: at least one --role is required".into());
    }
    let person_id = match person {
        Some(p) => p,
        None => PersonId::parse(new_ulid(crate::now_millis(), random10())).map_err(|e| e.message_en())?,
    };
    Ok(Command::UserAdd { data_dir, user: NewUser { username, password, person_id, name, roles, home_grid } })
}

fn random10() -> [u8; 10] {
    let mut b = [0u8; 10];
    // Without randomness the id is still unique enough by its time part for a CLI call.
    let _ = getrandom::fill(&mut b);
    b
}

/// A command that acts on accounts needs the database that holds them: a mistyped
/// `--data` must not create an empty one and report "no such user".
fn open_existing(data_dir: &std::path::Path) -> anyhow::Result<Db> {
    if let Database::Sqlite(db_path) = database(data_dir)? {
        anyhow::ensure!(db_path.exists(), "no database at {} (is --data right?)", db_path.display());
    }
    open(data_dir)
}

fn open(data_dir: &std::path::Path) -> anyhow::Result<Db> {
    std::fs::create_dir_all(data_dir).with_context(|| format!("create data folder {}", data_dir.display()))?;
    Db::open_database(&database(data_dir)?).context("open database")
}

/// The database a command acts on: `WANGGE_DATABASE` (a city's PostgreSQL) if set, else
/// the SQLite file in the data folder.
pub(super) fn database(data_dir: &std::path::Path) -> anyhow::Result<Database> {
    match std::env::var("WANGGE_DATABASE") {
        Ok(url) if !url.is_empty() => Database::parse(&url).map_err(anyhow::Error::msg),
        _ => Ok(Database::Sqlite(data_dir.join(crate::db::SQLITE_FILE))),
    }
}

/// `backup` and `restore` copy SQLite files; PostgreSQL has its own tools for that.
fn sqlite_only(data_dir: &std::path::Path, verb: &str) -> anyhow::Result<()> {
    anyhow::ensure!(
        matches!(database(data_dir)?, Database::Sqlite(_)),
        "{verb} copies a SQLite database; on PostgreSQL use pg_dump / pg_restore or the cluster's point-in-time recovery (README, \"Running a city\")"
    );
    Ok(())
}

/// Runs `user …` / `device …` / `backup` / `restore`, printing to stdout.
pub fn run_user_command(cmd: Command) -> anyhow::Result<()> {
    match cmd {
        Command::Account { data_dir, command } => accounts::run(&open_existing(&data_dir)?, command)?,
        Command::Init { data_dir, init } => init::run(&data_dir, init)?,
        Command::Migrate(m) => migrate::run(&m)?,
        Command::Backup { data_dir, file } => {
            sqlite_only(&data_dir, "backup")?;
            let db_path = data_dir.join("wangge.sqlite3");
            anyhow::ensure!(db_path.exists(), "no database at {}", db_path.display());
            open(&data_dir)?.backup_to(&file)?;
            println!("backed up {} to {}", db_path.display(), file.display());
            // After the database: every photo its copy references is already on disk.
            let photos = crate::photos::backup::folder_beside(&file);
            let copied = crate::photos::backup::copy_new(&data_dir.join("photos"), &photos)
                .with_context(|| format!("copy the photos to {}", photos.display()))?;
            println!("copied {copied} new photo(s) to {}", photos.display());
        }
        Command::Restore { data_dir, file } => {
            sqlite_only(&data_dir, "restore")?;
            std::fs::create_dir_all(&data_dir).with_context(|| format!("create data folder {}", data_dir.display()))?;
            let done = crate::db::restore(&data_dir.join("wangge.sqlite3"), &file, crate::now_millis())?;
            println!("restored {} (epoch {} -> {})", file.display(), done.old_epoch, done.new_epoch);
            let photos = crate::photos::backup::folder_beside(&file);
            let copied = crate::photos::backup::copy_new(&photos, &data_dir.join("photos"))
                .with_context(|| format!("copy the photos back from {}", photos.display()))?;
            println!("copied {copied} photo(s) back from {}", photos.display());
            if let Some(old) = done.replaced {
                println!("the database it replaced is kept at {}", old.display());
            }
            println!("phones notice the new epoch on their next sync: they pull everything again and re-send what they have not had acknowledged");
        }
        Command::UserAdd { data_dir, user } => {
            let db = open(&data_dir)?;
            if !db.has_record("grids", user.home_grid.as_str())? {
                eprintln!(
                    "warning: grid {} is not (yet) in this database; the user sees nothing until it is",
                    user.home_grid
                );
            }
            let hash = crate::auth::hash_password(&user.password).map_err(anyhow::Error::msg)?;
            anyhow::ensure!(db.add_user(&user, &hash)?, "username {} is taken", user.username);
            println!("added {} (person {})", user.username, user.person_id);
        }
        Command::UserList { data_dir } => {
            for s in open(&data_dir)?.list_users()? {
                let roles: Vec<&str> = s.user.roles.iter().map(|r| r.code()).collect();
                let state = if s.active { "active" } else { "disabled" };
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{} device(s)",
                    s.user.username,
                    s.user.person_id,
                    s.user.home_grid,
                    roles.join(","),
                    state,
                    s.devices
                );
            }
        }
        Command::Serve(_) => anyhow::bail!("not a user command"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn user_add_takes_several_roles() {
        let cmd = parse(args("user add --username w --password p --name 王 --grid g1 --role grid_worker --role party_member --data /tmp/d")).unwrap();
        let Command::UserAdd { data_dir, user } = cmd else { panic!("not user add") };
        assert_eq!(data_dir, PathBuf::from("/tmp/d"));
        assert_eq!(user.roles, vec![Role::GridWorker, Role::PartyMember]);
    }

    #[test]
    fn user_add_refuses_unknown_roles_and_missing_flags() {
        assert!(parse(args("user add --username w --password p --name n --grid g --role king"))
            .unwrap_err()
            .contains("unknown role"));
        assert!(parse(args("user add --username w --password p --grid g --role grid_worker"))
            .unwrap_err()
            .contains("--name"));
    }

    #[test]
    fn backup_and_restore_take_a_file_and_a_data_folder() {
        let Ok(Command::Backup { data_dir, file }) = parse(args("backup /b/x.sqlite3 --data /tmp/d")) else {
            panic!("not backup")
        };
        assert_eq!((data_dir, file), (PathBuf::from("/tmp/d"), PathBuf::from("/b/x.sqlite3")));
        assert!(matches!(parse(args("restore --data /tmp/d /b/x.sqlite3")), Ok(Command::Restore { .. })));
        assert!(parse(args("restore --data /tmp/d")).unwrap_err().contains("name the backup file"));
        assert!(parse(args("backup a b")).unwrap_err().contains("one file only"));
    }

    #[test]
    fn plain_flags_serve() {
        assert!(matches!(parse(args("--no-demo")), Ok(Command::Serve(c)) if !c.load_demo));
    }
}
