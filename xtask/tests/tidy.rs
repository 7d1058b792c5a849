//! The tidy gate (run by `cargo xtask test`, tier 1, as part of `cargo test -p xtask`):
//! every `.rs` file of the workspace opens with a `//!` header saying what it is for, stays
//! under 400 lines unless listed below with a reason, and has no `unwrap()` outside tests.
//! Each failure names the file, so the fix is obvious; an allowlist entry that is no longer
//! needed fails too, so the lists only shrink.

use std::path::{Path, PathBuf};

/// Longest a file may be without a reason (STYLE.md aims for ~300).
const MAX_LINES: usize = 400;

/// The `//!` header must start within this many lines (room for a `#![…]` attribute).
const HEADER_WITHIN: usize = 5;

/// The folders of the workspace that hold Rust code (target dirs inside them are skipped).
const ROOTS: [&str; 4] = ["src", "crates", "xtask", "tests"];

/// Files allowed over [`MAX_LINES`], each with the reason it is not split yet.
const LONG_FILES: &[(&str, &str)] = &[];

/// Files allowed an `unwrap()` outside tests, each with the reason. Prefer an `expect`
/// that states the invariant, or handling the `None`/`Err`.
const UNWRAP_ALLOWED: &[(&str, &str)] = &[];

#[test]
fn every_rust_file_is_tidy() {
    let root = workspace_root();
    let files = rust_files(&root);
    assert!(files.len() > 100, "found only {} .rs files under {}", files.len(), root.display());
    let mut problems = Vec::new();
    for rel in &files {
        let text = match std::fs::read_to_string(root.join(rel)) {
            Ok(t) => t,
            Err(e) => {
                problems.push(format!("{rel}: unreadable ({e})"));
                continue;
            }
        };
        if !has_header(&text) {
            problems.push(format!("{rel}: no `//!` header in its first {HEADER_WITHIN} lines saying what it is for"));
        }
        let lines = text.lines().count();
        if lines > MAX_LINES && reason(LONG_FILES, rel).is_none() {
            problems.push(format!(
                "{rel}: {lines} lines (over {MAX_LINES}): split it, or list it in LONG_FILES with a reason"
            ));
        }
        if !is_test_file(rel) && reason(UNWRAP_ALLOWED, rel).is_none() {
            for line in unwraps_outside_tests(&text) {
                problems.push(format!(
                    "{rel}:{line}: `unwrap()` outside tests: handle it, or `expect(\"…\")` stating the invariant"
                ));
            }
        }
    }
    problems.extend(stale_entries(&root, &files));
    assert!(problems.is_empty(), "tidy: {} problem(s):\n{}", problems.len(), problems.join("\n"));
}

/// Allowlist entries that no longer hold: the file is gone or no longer needs the entry.
fn stale_entries(root: &Path, files: &[String]) -> Vec<String> {
    let mut stale = Vec::new();
    for (path, _) in LONG_FILES {
        let lines = std::fs::read_to_string(root.join(path)).map(|t| t.lines().count());
        match lines {
            Ok(n) if n > MAX_LINES => {}
            _ => stale.push(format!(
                "{path}: listed in LONG_FILES but not over {MAX_LINES} lines (or gone): remove the entry"
            )),
        }
    }
    for (path, _) in UNWRAP_ALLOWED {
        let text = std::fs::read_to_string(root.join(path)).unwrap_or_default();
        if !files.iter().any(|f| f == path) || unwraps_outside_tests(&text).is_empty() {
            stale.push(format!("{path}: listed in UNWRAP_ALLOWED but has no unwrap() outside tests: remove the entry"));
        }
    }
    stale
}

fn reason<'a>(list: &'a [(&str, &str)], rel: &str) -> Option<&'a str> {
    list.iter().find(|(path, _)| *path == rel).map(|(_, why)| *why)
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask sits one folder below the workspace root")
        .to_path_buf()
}

/// Every `.rs` file under [`ROOTS`], as `/`-separated paths relative to the root, sorted.
fn rust_files(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut dirs: Vec<PathBuf> = ROOTS.iter().map(|r| root.join(r)).collect();
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                if !skipped_dir(&path, &name) {
                    dirs.push(path);
                }
            } else if name.ends_with(".rs") {
                if let Ok(rel) = path.strip_prefix(root) {
                    let parts: Vec<_> =
                        rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                    found.push(parts.join("/"));
                }
            }
        }
    }
    found.sort();
    found
}

/// Build output and tools' folders: `target` or any folder cargo marks as a cache
/// (a `CARGO_TARGET_DIR` placed inside the tree), `node_modules`, hidden folders.
fn skipped_dir(path: &Path, name: &str) -> bool {
    name == "target" || name == "node_modules" || name.starts_with('.') || path.join("CACHEDIR.TAG").exists()
}

fn has_header(text: &str) -> bool {
    text.lines().take(HEADER_WITHIN).any(|l| l.starts_with("//!"))
}

/// Test code as a whole file: under a `tests/` or `benches/` folder (integration tests,
/// browser tests, benchmarks), or a module file named `tests.rs` / `*_tests.rs` (the
/// `#[cfg(test)] #[path = "…_tests.rs"] mod tests;` convention).
fn is_test_file(rel: &str) -> bool {
    let file = rel.rsplit('/').next().unwrap_or(rel);
    rel.split('/').any(|p| p == "tests" || p == "benches") || file == "tests.rs" || file.ends_with("_tests.rs")
}

/// Line numbers (1-based) of `.unwrap()` in code that is not a `#[cfg(test)]` item and
/// not a comment (doc examples included: they are tests).
fn unwraps_outside_tests(text: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let mut after_cfg_test = false;
    let mut depth: i64 = 0;
    let mut in_test_item = false;
    for (n, line) in text.lines().enumerate() {
        let code = line.trim();
        if in_test_item {
            depth += braces(line);
            in_test_item = depth > 0;
            continue;
        }
        if code.starts_with("#[cfg(test)]") {
            after_cfg_test = true;
            continue;
        }
        if after_cfg_test {
            if code.starts_with("#[") || code.is_empty() || code.starts_with("//") {
                continue; // more attributes or comments on the same test item
            }
            after_cfg_test = false;
            depth = braces(line);
            in_test_item = depth > 0;
            continue;
        }
        if code.starts_with("//") {
            continue;
        }
        if code.contains(".unwrap()") {
            found.push(n + 1);
        }
    }
    found
}

/// How much a line opens (+) or closes (-) blocks. Braces inside string literals are rare
/// enough in test modules to ignore.
fn braces(line: &str) -> i64 {
    line.chars()
        .map(|c| match c {
            '{' => 1,
            '}' => -1,
            _ => 0,
        })
        .sum()
}

#[test]
fn an_unwrap_in_a_test_module_passes_and_one_in_code_is_named() {
    let text = "//! x\nfn a() { f().unwrap(); }\n// g().unwrap() in a comment\n#[cfg(test)]\n#[allow(dead_code)]\nmod tests {\n    fn b() {\n        h().unwrap();\n    }\n}\nfn c() { i().unwrap() }\n";
    assert_eq!(unwraps_outside_tests(text), vec![2, 11]);
}

#[test]
fn a_test_module_in_its_own_file_is_skipped_but_the_declaration_is_not_a_block() {
    let text = "//! x\n#[cfg(test)]\n#[path = \"a_tests.rs\"]\nmod tests;\nfn c() { i().unwrap() }\n";
    assert_eq!(unwraps_outside_tests(text), vec![5]);
    assert!(is_test_file("crates/a/src/a_tests.rs"));
    assert!(is_test_file("crates/a/tests/api/main.rs"));
    assert!(!is_test_file("crates/a/src/testsuite.rs"));
}

#[test]
fn a_header_must_open_the_file() {
    assert!(has_header("#![forbid(unsafe_code)]\n//! What this is for.\n"));
    assert!(!has_header("use std::fs;\n\n\n\n\n//! too late\n"));
    assert!(!has_header("/// an item doc, not a file header\nfn f() {}\n"));
}
