//! Where things are: the workspace root, cargo's target folder, and the folder of tools
//! installed outside the clone (so a fresh clone on the same machine reuses them).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};

pub(crate) struct Project {
    pub(crate) root: PathBuf,
    pub(crate) target: PathBuf,
    /// npm packages (wasm-opt from `binaryen`, `playwright-core`) and the Python venv of
    /// Schemathesis live here, not in the clone.
    pub(crate) tools: PathBuf,
}

impl Project {
    pub(crate) fn locate() -> Result<Project> {
        // xtask is always run through cargo from inside the workspace.
        let root =
            Path::new(env!("CARGO_MANIFEST_DIR")).parent().context("xtask lives in the workspace root")?.to_path_buf();
        let target = target_dir(&root)?;
        let tools = match std::env::var_os("WANGGE_TOOLS_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => home()?.join(".cache/wangge/tools"),
        };
        Ok(Project { root, target, tools })
    }

    pub(crate) fn dist(&self) -> PathBuf {
        self.target.join("dist")
    }

    pub(crate) fn node_modules(&self) -> PathBuf {
        self.tools.join("node_modules")
    }

    /// The Python venv holding Schemathesis.
    pub(crate) fn venv(&self) -> PathBuf {
        self.tools.join("venv")
    }

    pub(crate) fn schemathesis(&self) -> PathBuf {
        self.venv().join("bin/schemathesis")
    }

    /// PATH with the project's tools first, for trunk (wasm-bindgen, wasm-opt) and tests.
    pub(crate) fn tool_path(&self) -> Result<std::ffi::OsString> {
        let mut dirs = vec![self.node_modules().join(".bin"), home()?.join(".cargo/bin")];
        if let Some(path) = std::env::var_os("PATH") {
            dirs.extend(std::env::split_paths(&path));
        }
        Ok(std::env::join_paths(dirs)?)
    }
}

pub(crate) fn home() -> Result<PathBuf> {
    std::env::var_os("HOME").map(PathBuf::from).context("HOME is not set")
}

/// Asks cargo, so `CARGO_TARGET_DIR` and config files are honoured.
fn target_dir(root: &Path) -> Result<PathBuf> {
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps"])
        .current_dir(root)
        .output()
        .context("run cargo metadata")?;
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).context("parse cargo metadata")?;
    let dir = meta["target_directory"].as_str().context("cargo metadata: no target_directory")?;
    Ok(PathBuf::from(dir))
}
