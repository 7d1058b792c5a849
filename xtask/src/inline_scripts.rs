//! Moves every inline `<script>` of the built `index.html` into a file of its own, so the
//! server's Content-Security-Policy can allow scripts from `'self'` only, with no hashes
//! or nonces to keep in step with each build.
//!
//! Trunk 0.21 always injects its wasm loader as an inline module script and has no option
//! to emit it as a file (trunk#288); its `create_nonce` option writes one fixed nonce into
//! the static HTML, which is no protection. The loader is therefore written to
//! `boot-<hash>.js` (a content-hashed name, cached as immutable) and the tag keeps its
//! attributes plus `src`. The browser preloads the glue and the wasm from `<head>` either
//! way, so the extra file costs no round trip in series.

use std::path::Path;

use anyhow::{Context, Result};

/// Rewrites `dir/index.html` (an app served at `url_prefix`, e.g. `/` or `/admin/`);
/// returns the names of the files written beside it.
pub(crate) fn externalize(dir: &Path, url_prefix: &str) -> Result<Vec<String>> {
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index).with_context(|| format!("read {}", index.display()))?;
    let (html, scripts) = split_out(&html, url_prefix)?;
    for (name, body) in &scripts {
        std::fs::write(dir.join(name), body).with_context(|| format!("write {name}"))?;
    }
    std::fs::write(&index, html).with_context(|| format!("write {}", index.display()))?;
    Ok(scripts.into_iter().map(|(name, _)| name).collect())
}

/// The page with each inline executable script replaced by a reference to a file, and the
/// files as (name, body). Data blocks (`type="application/json"` and the like) are not run,
/// so the policy does not cover them and they stay.
fn split_out(html: &str, url_prefix: &str) -> Result<(String, Vec<(String, String)>)> {
    let (mut out, mut files, mut rest) = (String::new(), Vec::new(), html);
    while let Some(start) = rest.find("<script") {
        let open_end = start + rest[start..].find('>').context("a <script> tag without `>`")? + 1;
        let close = open_end + rest[open_end..].find("</script>").context("a <script> without </script>")?;
        let attrs = &rest[start + "<script".len()..open_end - 1];
        let body = &rest[open_end..close];
        out.push_str(&rest[..start]);
        if has_src(attrs) || !is_executable(attrs) {
            out.push_str(&rest[start..close]);
        } else {
            let name = format!("boot-{:016x}.js", fnv1a(body.as_bytes()));
            out.push_str(&format!("<script{attrs} src=\"{url_prefix}{name}\">"));
            files.push((name, body.to_string()));
        }
        out.push_str("</script>");
        rest = &rest[close + "</script>".len()..];
    }
    out.push_str(rest);
    Ok((out, files))
}

fn has_src(attrs: &str) -> bool {
    attrs.split(|c: char| c.is_whitespace()).any(|a| a.starts_with("src="))
}

/// No `type`, a JavaScript MIME type or `module` (quoted or not, as a minifier leaves it).
fn is_executable(attrs: &str) -> bool {
    let ty = attrs
        .split(|c: char| c.is_whitespace())
        .find_map(|a| a.strip_prefix("type="))
        .map(|t| t.trim_matches(|c| c == '"' || c == '\'').to_ascii_lowercase());
    match ty.as_deref() {
        None | Some("" | "module" | "text/javascript" | "application/javascript") => true,
        Some(_) => false,
    }
}

/// FNV-1a, 64 bit: a stable name for the same loader, a new one when it changes.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trunks_inline_loader_moves_to_a_hashed_file_and_other_scripts_stay() {
        let html = concat!(
            r#"<head><script src="/register-sw-0123456789abcdef.js" defer></script></head><body>"#,
            r#"<script type=application/json>{"a":1}</script>"#,
            r#"<script type=module>import init from '/wangge-1.js';await init('/wangge-1_bg.wasm');</script></body>"#,
        );
        let (out, files) = split_out(html, "/").unwrap();
        assert_eq!(files.len(), 1, "{out}");
        let (name, body) = &files[0];
        assert!(name.starts_with("boot-") && name.len() == "boot-.js".len() + 16, "{name}");
        assert_eq!(body, "import init from '/wangge-1.js';await init('/wangge-1_bg.wasm');");
        assert!(out.contains(&format!(r#"<script type=module src="/{name}"></script></body>"#)), "{out}");
        assert!(out.contains(r#"<script src="/register-sw-0123456789abcdef.js" defer></script>"#), "{out}");
        assert!(out.contains(r#"<script type=application/json>{"a":1}</script>"#), "{out}");
        assert_eq!(split_out(&out, "/").unwrap().1.len(), 0, "a second pass finds nothing to move");
    }

    #[test]
    fn a_classic_inline_script_is_moved_too() {
        let (out, files) = split_out("<body><script>go()</script></body>", "/admin/").unwrap();
        assert_eq!(files[0].1, "go()");
        assert_eq!(out, format!(r#"<body><script src="/admin/{}"></script></body>"#, files[0].0));
    }
}
