//! Property test of the demo generator: deterministic per seed, and every history it
//! writes is one the core's state machine accepts whole.

use std::collections::HashMap;

use proptest::prelude::*;
use wangge_core::issue::{derive, IssueEvent, IssueState};
use wangge_core::IssueId;
use wangge_demo::{generate, DemoSize};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn the_demo_is_deterministic_per_seed_and_every_history_is_valid(seed in any::<u64>()) {
        let size = DemoSize { households: 120, issues: 60 };
        let now = 1_718_416_800_000;
        let data = generate(size, seed, now);
        prop_assert_eq!(&data, &generate(size, seed, now));
        let mut by_issue: HashMap<&IssueId, Vec<IssueEvent>> = HashMap::new();
        for e in &data.events {
            by_issue.entry(&e.issue).or_default().push(e.clone());
        }
        prop_assert_eq!(by_issue.len(), data.issues.len());
        for history in by_issue.values() {
            prop_assert!(IssueState::fold(history).is_ok());
            prop_assert!(derive(history).conflicts.is_empty());
        }
    }
}
