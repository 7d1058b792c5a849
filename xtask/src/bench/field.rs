//! Load on a field link (`bench/field.cjs`): the release app from the release server in
//! Chromium with CDP network emulation (400 kbit/s, 400 ms round trip) and the CPU slowed
//! 4×; first visit and repeat visit (service worker). Goals: ≤ 5 s first, ≤ 1 s repeat.

use super::report::Section;
use super::{guarded, Prep};

pub(crate) fn section(prep: &mut Prep<'_>) -> Section {
    guarded("field", "Load on a field link (400 kbit/s, 400 ms RTT, CPU 4× slower)", |s| {
        let dist = prep.dist()?;
        let server = prep.server()?;
        let out = prep.node_script("field.cjs", &[("WANGGE_SERVER_BIN", &server), ("WANGGE_DIST", &dist)])?;
        anyhow::ensure!(s.absorb(&out)? > 0, "bench/field.cjs printed no figures");
        Ok(())
    })
}
