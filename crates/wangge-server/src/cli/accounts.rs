//! `user disable|enable|set-password USERNAME` and `device list|revoke`: the operator's
//! way to cut off a lost phone (revoke its device, or reset the password, which signs out
//! every device of the account) or a departed worker (disable). Each change is logged and
//! kept in `admin_log` as done from the command line (`db/admin.rs`).

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::bail;
use wangge_core::Date;

use super::Command;
use crate::account::MIN_PASSWORD_CHARS;
use crate::config::{Config, USAGE};
use crate::db::{Actor, AdminAction, AdminDone, Db, DeviceInfo, Refusal};

#[derive(Debug)]
pub enum AccountCommand {
    Disable(String),
    Enable(String),
    SetPassword { username: String, password: PasswordFrom },
    DeviceList { user: Option<String> },
    DeviceRevoke(String),
}

/// Where `set-password` reads the new password. `--password` suits scripts and tests;
/// stdin and the environment keep it out of shell history and the process list.
#[derive(Debug, Clone, PartialEq)]
pub enum PasswordFrom {
    Arg(String),
    Stdin,
    Env,
}

const PASSWORD_ENV: &str = "WANGGE_PASSWORD";

/// One positional argument at most, `--data DIR`, and the flags a verb takes.
#[derive(Default)]
struct Args {
    positional: Option<String>,
    data_dir: Option<PathBuf>,
    flags: Vec<(String, Option<String>)>,
}

fn split(what: &str, args: &[String], with_value: &[&str], bare: &[&str]) -> Result<Args, String> {
    let mut out = Args::default();
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let mut value = || it.next().cloned().ok_or_else(|| format!("{what}: {arg} needs a value"));
        match arg.as_str() {
            "--data" => out.data_dir = Some(PathBuf::from(value()?)),
            f if with_value.contains(&f) => out.flags.push((f.to_string(), Some(value()?))),
            f if bare.contains(&f) => out.flags.push((f.to_string(), None)),
            f if f.starts_with("--") => return Err(format!("{what}: unknown argument {f}\n{USAGE}")),
            v if out.positional.is_none() => out.positional = Some(v.to_string()),
            extra => return Err(format!("{what}: unexpected argument {extra}\n{USAGE}")),
        }
    }
    Ok(out)
}

impl Args {
    fn flag(&self, name: &str) -> Option<Option<&str>> {
        self.flags.iter().rev().find(|(f, _)| f == name).map(|(_, v)| v.as_deref())
    }

    fn into_command(self, command: AccountCommand) -> Command {
        Command::Account { data_dir: self.data_dir.unwrap_or_else(|| Config::default().data_dir), command }
    }
}

/// `user disable|enable|set-password …` (after `user VERB`).
pub(super) fn parse_user(verb: &str, args: &[String]) -> Result<Command, String> {
    let what = format!("user {verb}");
    let a = split(&what, args, &["--password"], &["--password-stdin"])?;
    let username = a.positional.clone().ok_or_else(|| format!("{what}: name the username\n{USAGE}"))?;
    let command = match verb {
        "disable" | "enable" if !a.flags.is_empty() => {
            return Err(format!("{what}: takes only USERNAME and --data\n{USAGE}"))
        }
        "disable" => AccountCommand::Disable(username),
        "enable" => AccountCommand::Enable(username),
        _ => {
            let password = match (a.flag("--password"), a.flag("--password-stdin")) {
                (Some(_), Some(_)) => return Err(format!("{what}: --password or --password-stdin, not both")),
                (Some(p), None) => PasswordFrom::Arg(p.unwrap_or_default().to_string()),
                (None, Some(_)) => PasswordFrom::Stdin,
                (None, None) => PasswordFrom::Env,
            };
            AccountCommand::SetPassword { username, password }
        }
    };
    Ok(a.into_command(command))
}

/// `device list [--user U]` / `device revoke DEVICE_ID` (after `device VERB`).
pub(super) fn parse_device(verb: &str, args: &[String]) -> Result<Command, String> {
    let what = format!("device {verb}");
    if verb == "list" {
        let a = split(&what, args, &["--user"], &[])?;
        if let Some(extra) = &a.positional {
            return Err(format!("{what}: unexpected argument {extra} (use --user USERNAME)\n{USAGE}"));
        }
        let user = a.flag("--user").flatten().map(String::from);
        return Ok(a.into_command(AccountCommand::DeviceList { user }));
    }
    let a = split(&what, args, &[], &[])?;
    let device =
        a.positional.clone().ok_or_else(|| format!("{what}: name the device id (see `device list`)\n{USAGE}"))?;
    Ok(a.into_command(AccountCommand::DeviceRevoke(device)))
}

pub(super) fn run(db: &Db, command: AccountCommand) -> anyhow::Result<()> {
    match command {
        AccountCommand::DeviceList { user } => list(db, user)?,
        AccountCommand::Disable(username) => {
            let done = act(db, AdminAction::Disable { username })?;
            match done.changed {
                true => println!(
                    "disabled {}: it cannot log in, and its devices are refused until `user enable`",
                    done.username
                ),
                false => println!("{} was already disabled", done.username),
            }
        }
        AccountCommand::Enable(username) => {
            let done = act(db, AdminAction::Enable { username })?;
            match done.changed {
                true => println!("enabled {}: it can log in again", done.username),
                false => println!("{} was already enabled", done.username),
            }
        }
        AccountCommand::SetPassword { username, password } => {
            let password = read_password(password)?;
            if password.chars().count() < MIN_PASSWORD_CHARS {
                bail!("the password needs at least {MIN_PASSWORD_CHARS} characters");
            }
            let password_hash = crate::auth::hash_password(&password).map_err(anyhow::Error::msg)?;
            let done = act(db, AdminAction::SetPassword { username, password_hash })?;
            println!("password of {} changed; {} device(s) signed out", done.username, done.devices_signed_out);
        }
        AccountCommand::DeviceRevoke(device_id) => {
            let done = act(db, AdminAction::RevokeDevice { device_id: device_id.clone() })?;
            match done.changed {
                true => println!(
                    "revoked device {device_id} of {}: it is refused from its next request on (what it has not synced stays on the phone)",
                    done.username
                ),
                false => println!("device {device_id} of {} was already revoked", done.username),
            }
        }
    }
    Ok(())
}

fn act(db: &Db, action: AdminAction) -> anyhow::Result<AdminDone> {
    let target = match &action {
        AdminAction::RevokeDevice { device_id } => device_id.clone(),
        AdminAction::Disable { username }
        | AdminAction::Enable { username }
        | AdminAction::SetPassword { username, .. } => username.clone(),
    };
    match db.admin_blocking(Actor::Cli, action)? {
        Ok(done) => Ok(done),
        Err(Refusal::UnknownUser) => bail!("no account named {target} (see `user list`)"),
        Err(Refusal::UnknownDevice) => bail!("no device {target} (see `device list`)"),
    }
}

pub(super) fn read_password(from: PasswordFrom) -> anyhow::Result<String> {
    match from {
        PasswordFrom::Arg(p) => Ok(p),
        PasswordFrom::Env => std::env::var(PASSWORD_ENV).map_err(|_| {
            anyhow::anyhow!(
                "no password given: use --password-stdin (then type or pipe it), set {PASSWORD_ENV}, or --password P"
            )
        }),
        PasswordFrom::Stdin => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            // Only the line ending: spaces may be part of a password.
            Ok(line.trim_end_matches(['\n', '\r']).to_string())
        }
    }
}

fn list(db: &Db, user: Option<String>) -> anyhow::Result<()> {
    let devices: Vec<DeviceInfo> = match db.devices_blocking(user.clone())? {
        Ok(devices) => devices,
        Err(_) => bail!("no account named {} (see `user list`)", user.unwrap_or_default()),
    };
    println!("device_id\tusername\tname\tcreated\tlast seen\tstate");
    for d in devices {
        let state = d.revoked_at.map_or_else(|| "active".to_string(), |at| format!("revoked {}", when(at)));
        println!(
            "{}\t{}\t{}\t{}\t{}\t{state}",
            d.device_id,
            d.username,
            d.name,
            when(d.created_at),
            when(d.last_seen_at)
        );
    }
    Ok(())
}

/// China Standard Time to the minute, like everything else the users read.
fn when(at: i64) -> String {
    let day = Date::of_millis(at);
    let minutes = (at - day.start_millis()) / 60_000;
    format!("{day} {:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    fn account(s: &str) -> (PathBuf, AccountCommand) {
        match super::super::parse(args(s)) {
            Ok(Command::Account { data_dir, command }) => (data_dir, command),
            other => panic!("{s}: {other:?}"),
        }
    }

    #[test]
    fn set_password_reads_from_the_flag_stdin_or_the_environment() {
        let (dir, cmd) = account("user set-password w --password secret99 --data /tmp/d");
        assert_eq!(dir, PathBuf::from("/tmp/d"));
        assert!(matches!(cmd, AccountCommand::SetPassword { password: PasswordFrom::Arg(p), .. } if p == "secret99"));
        let (_, cmd) = account("user set-password --password-stdin w");
        assert!(matches!(cmd, AccountCommand::SetPassword { password: PasswordFrom::Stdin, .. }));
        let (_, cmd) = account("user set-password w");
        assert!(matches!(cmd, AccountCommand::SetPassword { password: PasswordFrom::Env, .. }));
        let both = super::super::parse(args("user set-password w --password x --password-stdin"));
        assert!(both.unwrap_err().contains("not both"));
    }

    #[test]
    fn device_commands_take_their_arguments() {
        let (_, cmd) = account("device list --user worker_a");
        assert!(matches!(cmd, AccountCommand::DeviceList { user: Some(u) } if u == "worker_a"));
        assert!(matches!(account("device list").1, AccountCommand::DeviceList { user: None }));
        assert!(matches!(account("device revoke abc --data /d").1, AccountCommand::DeviceRevoke(d) if d == "abc"));
        assert!(super::super::parse(args("device revoke")).unwrap_err().contains("name the device id"));
        assert!(super::super::parse(args("device list worker_a")).unwrap_err().contains("--user"));
        assert!(super::super::parse(args("user disable")).unwrap_err().contains("name the username"));
        assert!(super::super::parse(args("user enable w --password x")).unwrap_err().contains("takes only"));
    }

    #[test]
    fn times_are_shown_in_china_standard_time() {
        assert_eq!(when(0), "1970-01-01 08:00");
        assert_eq!(when(1_717_200_000_000), "2024-06-01 08:00");
    }
}
