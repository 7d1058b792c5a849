//! Builds the PWA for release with trunk, then the administration app
//! (`crates/wangge-admin`) into `dist/admin/`, and finishes both: moves trunk's inline
//! loader scripts into files (`inline_scripts.rs`, for the server's CSP), writes the
//! worker app's service worker with a build id and the list of files to precache (never
//! `admin/`: the administration app is online-only and no grid worker downloads it), and
//! writes gzip and brotli copies of every file so the server can send the small version
//! over a slow link.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result};
use flate2::{write::GzEncoder, Compression};

use crate::inline_scripts;
use crate::project::Project;
use crate::run::{run, say};

/// The administration app's folder inside `dist`, and the URL it is served at.
pub(crate) const ADMIN_DIR: &str = "admin";

/// Builds into `<target>/dist` (the administration app into `dist/admin`) and returns
/// that folder.
pub(crate) fn build_app(project: &Project) -> Result<PathBuf> {
    let dist = project.dist();
    say("building the PWA (trunk build --release)");
    // The worker app first: trunk empties its dist folder, admin/ included.
    trunk(project, &project.root, &dist)?;
    say("building the administration app (crates/wangge-admin)");
    trunk(project, &project.root.join("crates/wangge-admin"), &dist.join(ADMIN_DIR))?;
    finish(&project.root.join("public/sw.js"), &dist)?;
    Ok(dist)
}

/// `trunk build --release` of the app whose `index.html` and `Trunk.toml` are in `dir`.
fn trunk(project: &Project, dir: &Path, dist: &Path) -> Result<()> {
    run(Command::new("trunk")
        .args(["build", "--release", "--dist"])
        .arg(dist)
        .current_dir(dir)
        .env("PATH", project.tool_path()?)
        // Trunk's own colours and progress make CI logs hard to read.
        .env("NO_COLOR", "true"))
}

/// Moves inline scripts out, writes `dist/sw.js` from the template and precompresses the
/// shipped files.
fn finish(sw_template: &Path, dist: &Path) -> Result<()> {
    for name in inline_scripts::externalize(dist, "/")? {
        say(&format!("moved an inline script of index.html to {name}"));
    }
    let admin = dist.join(ADMIN_DIR);
    if admin.join("index.html").exists() {
        for name in inline_scripts::externalize(&admin, &format!("/{ADMIN_DIR}/"))? {
            say(&format!("moved an inline script of {ADMIN_DIR}/index.html to {name}"));
        }
    }
    let mut files = shipped_files(dist)?;
    files.sort();
    // The service worker is the grid worker's: it never fetches the administration app.
    let (admin_files, worker_files): (Vec<String>, Vec<String>) =
        files.into_iter().partition(|f| f.starts_with(&format!("{ADMIN_DIR}/")));
    let files = worker_files;
    let build_id = build_id(dist, &files)?;
    let precache: Vec<String> = files.iter().map(|f| format!("/{f}")).collect();
    let template = std::fs::read_to_string(sw_template).context("read public/sw.js")?;
    let sw = template.replace("__BUILD_ID__", &build_id).replace("__PRECACHE__", &serde_json::to_string(&precache)?);
    std::fs::write(dist.join("sw.js"), sw).context("write dist/sw.js")?;
    for file in files.iter().chain(&admin_files).map(String::as_str).chain(["sw.js"]) {
        precompress(&dist.join(file))?;
    }
    say(&format!(
        "PWA ready: {} files precached, build {build_id}; administration app: {} files",
        files.len(),
        admin_files.len()
    ));
    Ok(())
}

/// Every file the app needs offline, relative to `dist`, '/'-separated. Skips the service
/// worker itself and the compressed copies.
fn shipped_files(dist: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![dist.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("read {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(dist)?.to_string_lossy().replace('\\', "/");
            if rel != "sw.js" && !rel.ends_with(".gz") && !rel.ends_with(".br") {
                out.push(rel);
            }
        }
    }
    Ok(out)
}

/// A hash of every shipped file's name and bytes (FNV-1a, 64 bit): any change to any file
/// gives a new cache name, so a deploy never mixes old and new files.
fn build_id(dist: &Path, files: &[String]) -> Result<String> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for file in files {
        feed(file.as_bytes());
        feed(&std::fs::read(dist.join(file))?);
    }
    Ok(format!("{hash:016x}"))
}

/// Writes `<file>.gz` and `<file>.br` beside the file, for the server to send whichever
/// the browser accepts. Brotli (quality 11, window 22) is about a quarter smaller than
/// gzip for the wasm: on a 400 kbit/s village link that is seconds of the first visit.
/// Browsers offer `br` over HTTPS, which is how the app is deployed.
fn precompress(path: &Path) -> Result<()> {
    let bytes = std::fs::read(path)?;
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(&bytes)?;
    std::fs::write(with_suffix(path, ".gz"), enc.finish()?)?;
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 1 << 16, 11, 22);
        w.write_all(&bytes)?;
    }
    std::fs::write(with_suffix(path, ".br"), br)?;
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_service_worker_lists_every_file_and_changes_with_them() {
        let base = std::env::temp_dir().join(format!("xtask-pwa-{}", std::process::id()));
        let dist = base.join("dist");
        std::fs::create_dir_all(dist.join("icons")).unwrap();
        std::fs::create_dir_all(dist.join("admin")).unwrap();
        std::fs::write(dist.join("index.html"), "<html>").unwrap();
        std::fs::write(dist.join("admin/index.html"), "<html><script type=\"module\">boot()</script>").unwrap();
        std::fs::write(dist.join("icons/a.png"), "png").unwrap();
        let template = base.join("sw.js");
        std::fs::write(&template, "const B=\"__BUILD_ID__\";const P=__PRECACHE__;").unwrap();

        finish(&template, &dist).unwrap();
        let first = std::fs::read_to_string(dist.join("sw.js")).unwrap();
        assert!(first.contains("\"/icons/a.png\"") && first.contains("\"/index.html\""), "{first}");
        assert!(dist.join("index.html.gz").exists() && dist.join("icons/a.png.br").exists());
        assert!(!first.contains(".br\"") && !first.contains(".gz\""), "compressed copies are not precached: {first}");
        assert!(!first.contains("/admin/"), "the administration app is never precached: {first}");
        let admin = std::fs::read_to_string(dist.join("admin/index.html")).unwrap();
        assert!(admin.contains("src=\"/admin/boot-"), "its loader moved to a file under /admin/: {admin}");
        assert!(dist.join("admin/index.html.br").exists(), "and it is precompressed too");

        std::fs::write(dist.join("index.html"), "<html>v2").unwrap();
        finish(&template, &dist).unwrap();
        let second = std::fs::read_to_string(dist.join("sw.js")).unwrap();
        assert_ne!(first, second, "a changed file gives a new build id");
        std::fs::remove_dir_all(&base).unwrap();
    }
}
