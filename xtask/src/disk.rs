//! Room on disk for a build. A full disk makes rustc fail half-way with "No space left on
//! device" in some dependency, which reads like a broken build. Before building, xtask
//! looks at the free space on the target folder's disk; when it is low it deletes cargo's
//! incremental caches there (pure caches: a later build only runs slower) and, if that is
//! not enough, says plainly what is wrong before the build starts.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::run::{probe, say};

/// Below this, the caches go: a cold build of every tier writes ~10 GB into the target.
const LOW: u64 = 6 << 30;

/// Checks the free space where `target` lives and makes room if it is low. Never fails:
/// when the space cannot be read (no `df`), the build just goes on.
pub(crate) fn ensure_room(target: &Path) {
    let Some(free) = free_bytes(target) else {
        return;
    };
    if free >= LOW {
        return;
    }
    let caches = incremental_dirs(target);
    let freed: u64 = caches.iter().map(|dir| size_of(dir)).sum();
    for dir in &caches {
        // A cache that cannot be removed is left; the warning below still tells the story.
        let _ = std::fs::remove_dir_all(dir);
    }
    let after = free_bytes(target).unwrap_or(free);
    say(&format!(
        "disk: {} free where {} lives; removed cargo's incremental caches there ({}), now {} free",
        gib(free),
        target.display(),
        gib(freed),
        gib(after)
    ));
    if after < LOW {
        say(&format!(
            "disk: warning: only {} free; a build may stop with \"No space left on device\". \
             Free some space, or point CARGO_TARGET_DIR at a disk with more room.",
            gib(after)
        ));
    }
}

/// Free bytes on the file system holding `path` (or its nearest existing ancestor), by
/// `df`, so xtask needs no platform crate for one number.
fn free_bytes(path: &Path) -> Option<u64> {
    let existing = path.ancestors().find(|p| p.exists())?;
    parse_df_available(&probe(Command::new("df").arg("-Pk").arg(existing))?)
}

/// The "Available" column (KiB blocks) of `df -Pk` output, in bytes.
fn parse_df_available(out: &str) -> Option<u64> {
    let row = out.lines().nth(1)?;
    let kib: u64 = row.split_whitespace().nth(3)?.parse().ok()?;
    Some(kib * 1024)
}

/// `<target>/<profile>/incremental` and `<target>/<triple>/<profile>/incremental`.
fn incremental_dirs(target: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for level in subdirs(target) {
        let direct = level.join("incremental");
        if direct.is_dir() {
            found.push(direct);
        }
        for profile in subdirs(&level) {
            let nested = profile.join("incremental");
            if nested.is_dir() {
                found.push(nested);
            }
        }
    }
    found
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    subentries(dir).into_iter().filter(|p| p.is_dir()).collect()
}

fn size_of(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    subentries(path).iter().map(|p| size_of(p)).sum()
}

fn subentries(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    entries.filter_map(|e| e.ok().map(|e| e.path())).collect()
}

fn gib(bytes: u64) -> String {
    format!("{:.1} GiB", bytes as f64 / (1u64 << 30) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_available_column_of_df() {
        let out = "Filesystem     1024-blocks     Used Available Capacity Mounted on\n\
                   /dev/vda         263174212 50331648 46137344      53% /\n";
        assert_eq!(parse_df_available(out), Some(46137344 * 1024));
        assert_eq!(parse_df_available("Filesystem 1024-blocks\n"), None);
        assert_eq!(parse_df_available(""), None);
    }

    #[test]
    fn finds_incremental_caches_at_both_depths_and_nothing_else() {
        let root = std::env::temp_dir().join(format!("wangge-disk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        for dir in ["debug/incremental/a", "wasm32-unknown-unknown/debug/incremental", "release/deps"] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        std::fs::write(root.join("debug/incremental/a/x.o"), [0u8; 100]).unwrap();
        let mut found = incremental_dirs(&root);
        found.sort();
        assert_eq!(found, vec![root.join("debug/incremental"), root.join("wasm32-unknown-unknown/debug/incremental")]);
        assert_eq!(size_of(&root.join("debug")), 100);
        assert!(free_bytes(&root.join("not/yet/made")).is_some_and(|b| b > 0));
        std::fs::remove_dir_all(&root).unwrap();
    }
}
