//! Installs what the build and the tests need, each only when missing, and says so. A
//! second run on the same machine installs nothing. Versions are pinned: trunk 0.21.14
//! (0.22 needs a newer rustc), wasm-bindgen-cli exactly the wasm-bindgen in Cargo.lock,
//! wasm-opt from npm `binaryen` (Debian's wasm-opt 108 emits broken modules), Schemathesis
//! from PyPI in a venv of its own.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::pg;
use crate::project::Project;
use crate::run::{is_root, probe, run, say};

const TRUNK_VERSION: &str = "0.21.14";
const BINARYEN_NPM: &str = "binaryen@132.0.0";
const WASM_OPT_VERSION: &str = "version 132";
const PLAYWRIGHT_NPM: &str = "playwright-core@1.64.1";
/// The accessibility engine the end-to-end tests inject into each screen
/// (`tests/e2e/support.cjs`, `checkA11y`): WCAG 2.1 AA, no serious or critical finding.
const AXE_NPM: &str = "axe-core@4.14.1";
/// The API fuzzer of the api-fuzz tier (`api_fuzz.rs`); its CLI changes between minors.
const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// 4 MB, against 60+ MB for Noto CJK: enough for Chinese text in screenshots.
const CJK_FONT: &str = "fonts-wqy-microhei";

/// The wasm32 target, trunk, wasm-bindgen-cli and wasm-opt.
pub(crate) fn ensure_build_tools(project: &Project) -> Result<()> {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen(project)?;
    ensure_npm_package(project, BINARYEN_NPM, "wasm-opt", WASM_OPT_VERSION)
}

/// Everything the build needs, plus Chromium, ChromeDriver, PostgreSQL, playwright-core,
/// axe-core and Schemathesis.
pub(crate) fn ensure_test_tools(project: &Project) -> Result<()> {
    ensure_build_tools(project)?;
    ensure_lint_components()?;
    ensure_chromium()?;
    ensure_postgresql()?;
    ensure_npm_package(project, PLAYWRIGHT_NPM, "playwright-core", "")?;
    ensure_npm_package(project, AXE_NPM, "axe-core", "")?;
    ensure_schemathesis(project)
}

/// Schemathesis from PyPI, pinned, in a venv in the tools folder: outside the clone, and
/// apart from the machine's own Python packages (its dependencies are many and pinned).
pub(crate) fn ensure_schemathesis(project: &Project) -> Result<()> {
    let want = format!("version {SCHEMATHESIS_VERSION}");
    let exe = project.schemathesis();
    if probe(Command::new(&exe).arg("--version")).is_some_and(|v| v.trim().ends_with(&want)) {
        return Ok(());
    }
    let venv = project.venv();
    say(&format!("installing schemathesis {SCHEMATHESIS_VERSION} (pip, into {})", venv.display()));
    if !venv.join("bin/pip").exists() {
        std::fs::create_dir_all(&project.tools)?;
        run(Command::new("python3").arg("-m").arg("venv").arg(&venv))
            .context("make a Python venv (Debian's python3 needs the python3-venv package)")?;
    }
    run(Command::new(venv.join("bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
    ]))
}

fn ensure_wasm_target() -> Result<()> {
    let installed = probe(Command::new("rustup").args(["target", "list", "--installed"]));
    if installed.is_some_and(|t| t.lines().any(|l| l.trim() == "wasm32-unknown-unknown")) {
        return Ok(());
    }
    say("installing the Rust target wasm32-unknown-unknown (rustup)");
    run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// rustfmt and clippy, which the test command's gates run (a minimal rustup profile
/// lacks them).
fn ensure_lint_components() -> Result<()> {
    let installed = probe(Command::new("rustup").args(["component", "list", "--installed"])).unwrap_or_default();
    for component in ["rustfmt", "clippy"] {
        if !installed.lines().any(|l| l.trim().starts_with(&format!("{component}-"))) {
            say(&format!("installing the Rust component {component} (rustup)"));
            run(Command::new("rustup").args(["component", "add", component]))?;
        }
    }
    Ok(())
}

fn ensure_trunk() -> Result<()> {
    let want = format!("trunk {TRUNK_VERSION}");
    if probe(Command::new("trunk").arg("--version")).is_some_and(|v| v.trim() == want) {
        return Ok(());
    }
    say(&format!("installing trunk {TRUNK_VERSION} (cargo install; takes ~8 minutes once)"));
    run(cargo_install().args(["trunk", "--version", TRUNK_VERSION, "--locked"]))
}

fn ensure_wasm_bindgen(project: &Project) -> Result<()> {
    let version = locked_version(&project.root.join("Cargo.lock"), "wasm-bindgen")?;
    let want = format!("wasm-bindgen {version}");
    if probe(Command::new("wasm-bindgen").arg("--version")).is_some_and(|v| v.trim() == want) {
        return Ok(());
    }
    say(&format!("installing wasm-bindgen-cli {version} (cargo install; ~2 minutes once)"));
    // Not --locked: a locked dependency of the CLI is newer than the registry mirror has.
    run(cargo_install().args(["wasm-bindgen-cli", "--version", &format!("={version}")]))
}

/// `cargo install` builds in its own temporary folder, not the project's target folder.
fn cargo_install() -> Command {
    let mut cmd = Command::new(env!("CARGO"));
    cmd.arg("install").env_remove("CARGO_TARGET_DIR");
    cmd
}

/// The exact version of `name` in Cargo.lock, so the CLI always matches the library.
fn locked_version(lock: &Path, name: &str) -> Result<String> {
    let text = std::fs::read_to_string(lock).context("read Cargo.lock")?;
    let needle = format!("name = \"{name}\"\nversion = \"");
    let start = text.find(&needle).with_context(|| format!("{name} not in Cargo.lock"))?;
    let rest = &text[start + needle.len()..];
    Ok(rest[..rest.find('"').context("malformed Cargo.lock")?].to_string())
}

/// Installs an npm package into the tools folder unless `bin --version` (or, with an empty
/// `version_text`, the package folder) shows it is there.
fn ensure_npm_package(project: &Project, spec: &str, bin: &str, version_text: &str) -> Result<()> {
    let present = if version_text.is_empty() {
        project.node_modules().join(bin).join("package.json").exists()
    } else {
        let exe = project.node_modules().join(".bin").join(bin);
        probe(Command::new(exe).arg("--version")).is_some_and(|v| v.contains(version_text))
    };
    if present {
        return Ok(());
    }
    say(&format!("installing {spec} (npm, into {})", project.tools.display()));
    std::fs::create_dir_all(&project.tools)?;
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--save-exact", "--prefix"])
        .arg(&project.tools)
        .arg(spec))
}

/// Chromium, its driver, and a small Chinese font so screenshots show real characters.
fn ensure_chromium() -> Result<()> {
    let have = |exe: &str| probe(Command::new(exe).arg("--version")).is_some();
    let font = || probe(Command::new("dpkg").args(["-s", CJK_FONT])).is_some();
    if have("chromium") && have("chromedriver") && font() {
        return Ok(());
    }
    say(&format!("installing Debian's chromium, chromium-driver and {CJK_FONT} (apt-get)"));
    apt_install(&["chromium", "chromium-driver", CJK_FONT])?;
    if !(have("chromium") && have("chromedriver")) {
        bail!("chromium or chromedriver still missing after apt-get install");
    }
    Ok(())
}

/// Debian's PostgreSQL server (`initdb`, `pg_ctl`, `psql`), for the throwaway clusters
/// the tests run the server against (`pg.rs`).
pub(crate) fn ensure_postgresql() -> Result<()> {
    if pg::binaries().is_ok() {
        return Ok(());
    }
    say("installing Debian's postgresql (apt-get)");
    apt_install(&["postgresql"])?;
    pg::binaries().map(|_| ()).context("PostgreSQL still missing after apt-get install")
}

/// `apt-get update` and `apt-get install` (with sudo unless root), without prompts.
fn apt_install(packages: &[&str]) -> Result<()> {
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo"] };
    let apt = |args: &[&str]| {
        let mut all: Vec<&str> = sudo.to_vec();
        all.extend_from_slice(args);
        run(Command::new(all[0]).args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive"))
    };
    apt(&["apt-get", "update"])?;
    let mut install = vec!["apt-get", "install", "-y", "--no-install-recommends"];
    install.extend_from_slice(packages);
    apt(&install)
}

#[cfg(test)]
mod tests {
    use super::locked_version;

    #[test]
    fn the_locked_wasm_bindgen_version_is_found() {
        let lock = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../Cargo.lock");
        let v = locked_version(&lock, "wasm-bindgen").unwrap();
        assert_eq!(v, "0.2.130", "Cargo.toml pins wasm-bindgen = \"=0.2.130\"");
    }
}
