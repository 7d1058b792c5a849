//! `cargo xtask <command>`: the project's set-up, build, serve and test commands, in Rust
//! so they run the same on every machine. Each command installs what it needs first.

mod api_fuzz;
mod bench;
mod disk;
mod inline_scripts;
mod pg;
mod project;
mod pwa;
mod run;
mod serve;
mod test;
mod tools;

use anyhow::{bail, Result};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [--addr 127.0.0.1:8080] [--data DIR]   build the PWA and run the server
  test                                          install test tools and run every test tier
  e2e [tests/e2e/x.test.cjs ...]                only the end-to-end tier (optionally some files)
  api-fuzz [schemathesis run options]           only the API fuzzing tier (e.g. --seed N to replay)
  build                                         build the PWA into <target>/dist
  pg                                            start a throwaway PostgreSQL, print its URL, remove it on Enter/Ctrl-C
  bench [--runs N] [--quick] [--only a,b]       measure size, load, scale and sync; writes <target>/bench/report.md";

fn main() {
    if let Err(err) = real_main() {
        eprintln!("xtask: error: {err:#}");
        std::process::exit(1);
    }
}

fn real_main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let command = args.next().unwrap_or_default();
    let rest: Vec<String> = args.collect();
    match command.as_str() {
        "serve" => serve::serve(serve::Options::parse(&rest)?),
        "test" => test::run_all(),
        "e2e" => test::run_e2e_only(&rest),
        "api-fuzz" => api_fuzz::run_only(&rest),
        "pg" => pg::serve_cluster(),
        "bench" => bench::run(bench::Options::parse(&rest)?),
        "build" => {
            let project = project::Project::locate()?;
            disk::ensure_room(&project.target);
            tools::ensure_build_tools(&project)?;
            pwa::build_app(&project).map(|_| ())
        }
        "" | "help" | "--help" | "-h" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown command `{other}`\n{USAGE}"),
    }
}
