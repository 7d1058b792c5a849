//! Download size: every file the browser fetches to start the app (the shell, wasm, JS
//! and CSS in `<target>/dist`), raw, gzip (what the server sends today: the `.gz` copies
//! `pwa.rs` writes, level 9) and brotli (quality 11, window 22, for comparison). Budget:
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
        measure(&dist, s)
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
    let mut kinds: Vec<(&str, Sizes)> = vec![("wasm", Sizes::default()), ("js", Sizes::default()), ("css", Sizes::default())];
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
    s.note("KB = 1,000 bytes; gzip level 9 (as served), brotli quality 11; icons, manifest and sw.js not counted");
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compressed_sizes_shrink_repetitive_input() {
        let text = "网格通 ".repeat(1000);
        let (g, b) = (gzip_len(text.as_bytes()).unwrap(), brotli_len(text.as_bytes()).unwrap());
        assert!(g < text.len() / 10 && b < text.len() / 10, "{g} {b}");
    }
}
