//! Running child processes with a readable trace of what is being done and why it failed.

use std::process::Command;

use anyhow::{bail, Context, Result};

/// Prints a step the way every xtask message looks, so a log reads as a story.
pub(crate) fn say(msg: &str) {
    eprintln!("xtask: {msg}");
}

/// Runs `cmd` with inherited output; an unsuccessful exit is an error naming the command.
pub(crate) fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().with_context(|| format!("start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// Runs `cmd` and returns its stdout, or `None` if it cannot start or fails. For probes
/// like `trunk --version`, where "not there" is an answer, not an error.
pub(crate) fn probe(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Runs `cmd` with its output captured, shown only when it fails (for chatty tools such as
/// `initdb`, whose success is one line of ours).
pub(crate) fn run_quiet(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let out = cmd.output().with_context(|| format!("start {shown}"))?;
    if !out.status.success() {
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        bail!("{shown} failed ({}):\n{stdout}{stderr}", out.status);
    }
    Ok(())
}

/// Whether xtask runs as root (`id -u` is 0): apt-get then needs no sudo, and PostgreSQL's
/// `initdb`, which refuses root, must run as the `postgres` user.
pub(crate) fn is_root() -> bool {
    probe(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0")
}
