//! Download size: every file the browser fetches to start the app (the shell, wasm, JS
//! and CSS in `<target>/dist`), raw, gzip (the `.gz` copies
//! `pwa.rs` writes, level 9) and brotli (quality 11, window 22, the `.br` copies browsers that offer brotli get). Budget:
//! the wasm + JS + CSS at most 200 KB gzip.

use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, Result};
use flate2::{write::GzEncoder, Compression};

use super::report::{Better, Metric, Section};
use super::{guarded, Prep};

/// ≤ 200 KB gzip for the whole app (issue #6).
const BUDGET_KB: f64 = 200.0;

pub(crate) fn section(prep: &mut Prep<'_>) -> Section {
    guarded("download", "Download size (release build, dist/)", |s| {
        let dist = prep.dist()?;
        measure(&dist, s)?;
        // What the bytes are: cargo's wasm before wasm-bindgen and wasm-opt still has its
        // function names, so its code can be attributed to crates.
        let wasm = prep.project.target.join("wasm32-unknown-unknown/wasm-release/wangge.wasm");
        match std::fs::read(&wasm).map_err(anyhow::Error::from).and_then(|b| code_by_crate(&b)) {
            Ok(profile) => s.note(profile),
            Err(e) => s.note(format!("no size profile ({}): {e:#}", wasm.display())),
        }
        Ok(())
    })
}

#[derive(Default, Clone, Copy)]
struct Sizes {
    raw: usize,
    gzip: usize,
    brotli: usize,
}

impl std::ops::AddAssign for Sizes {
    fn add_assign(&mut self, o: Sizes) {
        self.raw += o.raw;
        self.gzip += o.gzip;
        self.brotli += o.brotli;
    }
}

fn measure(dist: &Path, s: &mut Section) -> Result<()> {
    let mut kinds: Vec<(&str, Sizes)> =
        vec![("wasm", Sizes::default()), ("js", Sizes::default()), ("css", Sizes::default())];
    let mut shell = Sizes::default();
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dist).with_context(|| format!("read {}", dist.display()))? {
        let path = entry?.path();
        let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
        let ext = name.rsplit('.').next().unwrap_or("");
        if !path.is_file() || name == "sw.js" {
            continue;
        }
        let slot = kinds.iter_mut().find(|(k, _)| *k == ext);
        if slot.is_none() && name != "index.html" {
            continue;
        }
        let bytes = std::fs::read(&path)?;
        let sizes = Sizes { raw: bytes.len(), gzip: gzip_len(&bytes)?, brotli: brotli_len(&bytes)? };
        files.push(format!("{name} {} / {} / {} B", sizes.raw, sizes.gzip, sizes.brotli));
        match slot {
            Some((_, total)) => *total += sizes,
            None => shell += sizes,
        }
    }
    anyhow::ensure!(kinds[0].1.raw > 0, "no .wasm file in {}", dist.display());
    let kb = |b: usize| b as f64 / 1000.0;
    let mut app = Sizes::default();
    for (kind, sizes) in &kinds {
        app += *sizes;
        s.push(Metric::new(&format!("{kind}: raw"), "KB", vec![kb(sizes.raw)]));
        s.push(Metric::new(&format!("{kind}: gzip"), "KB", vec![kb(sizes.gzip)]));
        s.push(Metric::new(&format!("{kind}: brotli"), "KB", vec![kb(sizes.brotli)]));
    }
    s.push(Metric::new("app (wasm + JS + CSS): raw", "KB", vec![kb(app.raw)]));
    s.push(Metric::new("app (wasm + JS + CSS): gzip", "KB", vec![kb(app.gzip)]).goal(Better::Lower, BUDGET_KB));
    s.push(Metric::new("app (wasm + JS + CSS): brotli", "KB", vec![kb(app.brotli)]));
    s.push(Metric::new("index.html: gzip", "KB", vec![kb(shell.gzip)]));
    s.note("KB = 1,000 bytes; gzip level 9 and brotli quality 11, both precompressed by the build: the server sends brotli to browsers that offer it, gzip otherwise; icons, manifest and sw.js not counted");
    s.note(format!("files (raw / gzip / brotli): {}", files.join("; ")));
    Ok(())
}

fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut enc = GzEncoder::new(Vec::new(), Compression::best());
    enc.write_all(bytes)?;
    Ok(enc.finish()?.len())
}

fn brotli_len(bytes: &[u8]) -> Result<usize> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 1 << 16, 11, 22);
        w.write_all(bytes)?;
    }
    Ok(out.len())
}

/// "code by crate (before wasm-opt): leptos 30% (…), …": function body sizes from the
/// code section, names from the name section, grouped by the first path segment of the
/// (legacy-mangled) name; generic code counts for the crate that defines it, and for an
/// impl `<A as B>` for the crate of `A`.
fn code_by_crate(wasm: &[u8]) -> Result<String> {
    anyhow::ensure!(wasm.len() > 8 && &wasm[..4] == b"\0asm", "not a wasm module");
    let (mut imported, mut bodies, mut names, mut data) = (0u32, Vec::new(), std::collections::HashMap::new(), 0usize);
    let mut i = 8;
    while i < wasm.len() {
        let id = wasm[i];
        let (size, start) = leb(wasm, i + 1)?;
        let end = start + size as usize;
        let sec = wasm.get(start..end).context("truncated section")?;
        match id {
            2 => imported = count_function_imports(sec)?,
            10 => {
                let (n, mut at) = leb(sec, 0)?;
                for _ in 0..n {
                    let (len, body) = leb(sec, at)?;
                    bodies.push(len as usize + (body - at));
                    at = body + len as usize;
                }
            }
            11 => data = sec.len(),
            0 => {
                let (nlen, at) = leb(sec, 0)?;
                if sec.get(at..at + nlen as usize) == Some(b"name") {
                    names = function_names(&sec[at + nlen as usize..])?;
                }
            }
            _ => {}
        }
        i = end;
    }
    anyhow::ensure!(!names.is_empty(), "no name section");
    let mut by_crate: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut total = 0;
    for (k, size) in bodies.iter().enumerate() {
        let name = names.get(&(imported + k as u32)).map_or("?", String::as_str);
        // Type descriptors wasm-bindgen reads and removes: never shipped.
        if name.starts_with("__wbindgen_describe") {
            continue;
        }
        *by_crate.entry(crate_of(name)).or_default() += size;
        total += size;
    }
    let mut rows: Vec<(String, usize)> = by_crate.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let shown: Vec<String> = rows
        .iter()
        .take(12)
        .map(|(c, n)| format!("{c} {:.0}% ({:.0} KB)", *n as f64 * 100.0 / total as f64, *n as f64 / 1000.0))
        .collect();
    Ok(format!(
        "size profile of cargo's wasm before wasm-bindgen and wasm-opt (which shrink it to the shipped size): code {:.0} KB without wasm-bindgen's descriptors, data {:.0} KB; code by crate: {}",
        total as f64 / 1000.0,
        data as f64 / 1000.0,
        shown.join(", ")
    ))
}

fn leb(b: &[u8], mut i: usize) -> Result<(u32, usize)> {
    let (mut v, mut shift) = (0u64, 0);
    loop {
        let byte = *b.get(i).context("truncated LEB128")?;
        i += 1;
        v |= u64::from(byte & 0x7f) << shift;
        if byte < 0x80 {
            return Ok((v as u32, i));
        }
        shift += 7;
        anyhow::ensure!(shift < 64, "bad LEB128");
    }
}

/// Function imports come first in the function index space.
fn count_function_imports(sec: &[u8]) -> Result<u32> {
    let (n, mut at) = leb(sec, 0)?;
    let mut funcs = 0;
    for _ in 0..n {
        for _ in 0..2 {
            let (len, s) = leb(sec, at)?;
            at = s + len as usize;
        }
        let kind = *sec.get(at).context("import kind")?;
        at += 1;
        match kind {
            0 => {
                funcs += 1;
                at = leb(sec, at)?.1;
            }
            1 => {
                at += 1; // reftype
                at = limits(sec, at)?;
            }
            2 => at = limits(sec, at)?,
            3 => at += 2,                  // valtype, mutability
            4 => at = leb(sec, at + 1)?.1, // tag: attribute, type index
            k => anyhow::bail!("unknown import kind {k}"),
        }
    }
    Ok(funcs)
}

fn limits(sec: &[u8], at: usize) -> Result<usize> {
    let flags = *sec.get(at).context("limits")?;
    let at = leb(sec, at + 1)?.1;
    Ok(if flags & 1 == 1 { leb(sec, at)?.1 } else { at })
}

/// Subsection 1 of the name section: function index → name.
fn function_names(mut sub: &[u8]) -> Result<std::collections::HashMap<u32, String>> {
    let mut out = std::collections::HashMap::new();
    while !sub.is_empty() {
        let id = sub[0];
        let (size, start) = leb(sub, 1)?;
        let body = sub.get(start..start + size as usize).context("truncated name subsection")?;
        if id == 1 {
            let (n, mut at) = leb(body, 0)?;
            for _ in 0..n {
                let (idx, s) = leb(body, at)?;
                let (len, s) = leb(body, s)?;
                out.insert(idx, String::from_utf8_lossy(&body[s..s + len as usize]).into_owned());
                at = s + len as usize;
            }
        }
        sub = &sub[start + size as usize..];
    }
    Ok(out)
}

/// The crate a Rust symbol belongs to (legacy `_ZN` or v0 `_R` mangling); others by kind.
/// An impl `<A as B>` counts for the crate of `A`, or of `B` when `A` is a bare generic.
fn crate_of(name: &str) -> String {
    if let Some(rest) = name.strip_prefix("_R") {
        return v0_crate(rest).unwrap_or_else(|| "(other)".into());
    }
    let Some(rest) = name.strip_prefix("_ZN") else {
        return if name.starts_with("__") || name.starts_with("mem") { "(runtime)".into() } else { "(other)".into() };
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let Ok(len) = digits.parse::<usize>() else { return "(other)".into() };
    let after = &rest[digits.len()..];
    let first = after.get(..len).unwrap_or(after);
    let mut path = first.strip_prefix("_$LT$").or_else(|| first.strip_prefix("$LT$")).unwrap_or(first);
    if let Some((self_ty, trait_path)) = path.split_once("$u20$as$u20$") {
        if !self_ty.contains("..") {
            path = trait_path;
        }
    }
    let krate = path.split("..").next().unwrap_or(path);
    let krate = krate.split('$').next().unwrap_or(krate);
    if krate.is_empty() {
        "(other)".into()
    } else {
        krate.to_string()
    }
}

/// The first crate root of a v0 symbol: `C`, an optional `s<base62>_` disambiguator,
/// then a decimal length and the identifier.
fn v0_crate(sym: &str) -> Option<String> {
    let b = sym.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if b[i] == b'C' && (b[i + 1] == b's' || b[i + 1].is_ascii_digit()) {
            let mut j = i + 1;
            if b[j] == b's' {
                while j < b.len() && b[j] != b'_' {
                    j += 1;
                }
                j += 1;
            }
            let start = j;
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            if let Ok(len) = sym.get(start..j)?.parse::<usize>() {
                return sym.get(j..j + len).map(String::from);
            }
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_sizes_shrink_repetitive_input() {
        let text = "网格通 ".repeat(1000);
        let (g, b) = (gzip_len(text.as_bytes()).unwrap(), brotli_len(text.as_bytes()).unwrap());
        assert!(g < text.len() / 10 && b < text.len() / 10, "{g} {b}");
    }

    #[test]
    fn symbols_are_attributed_to_their_crate() {
        assert_eq!(crate_of("_ZN7web_sys8features3gen17hE"), "web_sys");
        assert_eq!(crate_of("_ZN59_$LT$leptos..View$u20$as$u20$core..fmt..Debug$GT$3fmt17h1E"), "leptos");
        assert_eq!(crate_of("_ZN45_$LT$T$u20$as$u20$alloc..string..ToString$GT$9to_string17h1E"), "alloc");
        assert_eq!(crate_of("_RNvMs0_NtCsjqx8TIyZbP9_8dlmalloc8dlmallocINtB5_8Dlmalloc"), "dlmalloc");
        assert_eq!(crate_of("memcpy"), "(runtime)");
    }
}
