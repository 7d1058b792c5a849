//! Sync side by side with PouchDB (`bench/sync.cjs`): PouchDB replicating the first-pull
//! data set from express-pouchdb into its IndexedDB adapters plus N local writes, and
//! Wangge's fresh device pulling the same records from the release server (timed by the
//! app's performance marks). [`comparison`] then puts the two side by side with the
//! device section's local writes. Goal: Wangge at least 2× faster on both.

use std::path::Path;

use super::report::{Better, Metric, Section, Status};
use super::{guarded, Prep};

pub(crate) fn section(prep: &mut Prep<'_>) -> Section {
    guarded("sync", "Sync: first pull and PouchDB replication in Chromium", |s| {
        let dist = prep.dist()?;
        let server = prep.server()?;
        let set = prep.sync_set()?;
        let mut env: Vec<(&str, &Path)> =
            vec![("WANGGE_SYNCSET_DIR", &set.dir), ("WANGGE_SERVER_BIN", &server), ("WANGGE_DIST", &dist)];
        // One more first pull under the CPU profiler, on a build that kept its names.
        let profile = prep.profile_dist();
        match &profile {
            Ok(p) => env.push(("WANGGE_PROFILE_DIST", p)),
            Err(e) => s.note(format!("no first-pull profile: {e:#}")),
        }
        let out = prep.node_script("sync.cjs", &env)?;
        anyhow::ensure!(s.absorb(&out)? > 0, "bench/sync.cjs printed no figures");
        Ok(())
    })
}

/// Wangge vs PouchDB from the figures of the other sections: PouchDB's better adapter
/// against Wangge, as "Wangge is N× faster".
pub(crate) fn comparison(sections: &[Section]) -> Section {
    let mut s = Section::new("compare", "Wangge vs PouchDB (same data, same Chromium)");
    let find = |key: &str| sections.iter().flat_map(|s| &s.metrics).find(|m| m.key.as_deref() == Some(key));
    let best_pouch = |prefix: &str| {
        ["idb", "indexeddb"]
            .iter()
            .filter_map(|a| find(&format!("{prefix}_{a}")))
            .filter_map(|m| m.median().map(|v| (v, m)))
            .min_by(|a, b| a.0.total_cmp(&b.0))
    };
    let pairs = [
        ("first pull vs replication: PouchDB time / Wangge time", "wangge_pull", "pouch_pull"),
        ("local writes: PouchDB time / Wangge time", "wangge_writes", "pouch_writes"),
    ];
    for (name, ours, theirs) in pairs {
        let metric = match (find(ours), best_pouch(theirs)) {
            (Some(w), Some((p, pm))) => match w.median() {
                Some(wv) if wv > 0.0 => {
                    // Per-sample ratios against PouchDB's median keep a spread visible.
                    let ratios: Vec<f64> = w.samples.iter().filter(|v| **v > 0.0).map(|v| p / v).collect();
                    Metric::new(name, "×", ratios).goal(Better::Higher, 2.0).note(format!("{} vs {}", w.name, pm.name))
                }
                _ => unavailable(name, w.unavailable.as_deref().unwrap_or("Wangge's side was not measured")),
            },
            (None, _) => unavailable(name, "Wangge's side was not measured (its section failed or was not run)"),
            (_, None) => unavailable(name, "PouchDB's side was not measured (its section failed or was not run)"),
        };
        s.push(metric);
    }
    if s.metrics.iter().all(|m| m.samples.is_empty()) {
        s.status = Status::Skipped("nothing to compare yet".into());
    }
    s
}

fn unavailable(name: &str, why: &str) -> Metric {
    let mut m = Metric::new(name, "×", Vec::new()).goal(Better::Higher, 2.0);
    m.unavailable = Some(why.to_string());
    m
}
