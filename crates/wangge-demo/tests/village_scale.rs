//! The demo generator at village scale: 10,000 households and 20,000 issues, every
//! history valid. Also reports how long generation took (run with `--nocapture`).

use std::collections::HashMap;
use std::time::Instant;

use wangge_core::issue::derive;
use wangge_demo::{generate, DemoSize};

#[test]
fn village_scale_data_is_generated_with_valid_histories() {
    let started = Instant::now();
    let data = generate(DemoSize::VILLAGE_SCALE, 2024, 1_718_416_800_000);
    let took = started.elapsed();
    eprintln!("village scale generated in {took:?}: {} events, {} visits", data.events.len(), data.visits.len());
    assert_eq!(data.households.len(), 10_000);
    assert_eq!(data.issues.len(), 20_000);
    let mut by_issue: HashMap<_, Vec<_>> = HashMap::new();
    for e in data.events {
        by_issue.entry(e.issue.clone()).or_default().push(e);
    }
    assert_eq!(by_issue.len(), 20_000);
    assert!(by_issue.values().all(|h| derive(h).conflicts.is_empty()));
}
