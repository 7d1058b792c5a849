//! `cargo xtask serve`: install the build tools, build the PWA and the server in release,
//! and run the server with the app and the API on one origin.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::project::Project;
use crate::run::{run, say};
use crate::{disk, pwa, tools};

pub(crate) struct Options {
    addr: String,
    data: Option<PathBuf>,
}

impl Options {
    pub(crate) fn parse(args: &[String]) -> Result<Options> {
        let mut opts = Options { addr: "127.0.0.1:8080".into(), data: None };
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let value = it.next().with_context(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--addr" => opts.addr = value?.clone(),
                "--data" => opts.data = Some(PathBuf::from(value?)),
                other => bail!("unknown serve option `{other}` (use --addr, --data)"),
            }
        }
        Ok(opts)
    }
}

pub(crate) fn serve(opts: Options) -> Result<()> {
    let project = Project::locate()?;
    disk::ensure_room(&project.target);
    tools::ensure_build_tools(&project)?;
    let dist = pwa::build_app(&project)?;
    say("building the server (cargo build --release -p wangge-server)");
    run(Command::new(env!("CARGO")).args(["build", "--release", "-p", "wangge-server"]).current_dir(&project.root))?;
    let data = opts.data.unwrap_or_else(|| project.root.join("data"));
    let server = project.target.join("release/wangge-server");
    say(&format!("starting the server; data in {}", data.display()));
    // The server prints the URL once it is listening; Ctrl-C stops it.
    run(Command::new(server).args(["--addr", &opts.addr, "--data"]).arg(&data).arg("--static").arg(&dist))
}
