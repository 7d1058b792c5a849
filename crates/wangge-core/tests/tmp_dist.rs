use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::TestRunner;
#[path = "properties.rs"]
#[allow(dead_code)]
mod p;
#[test]
fn dist() {
    let mut runner = TestRunner::default();
    let mut counts = std::collections::BTreeMap::new();
    let mut lens = 0;
    for _ in 0..1000 {
        let h = p::valid_history_pub().new_tree(&mut runner).unwrap().current();
        lens += h.len();
        let s = wangge_core::issue::IssueState::fold(&h).unwrap();
        *counts.entry(format!("{:?}/{:?}/rated={}/reopen={}", s.status, s.level, s.rating.is_some(), s.reopenings>0)).or_insert(0) += 1;
    }
    eprintln!("avg len {}", lens / 1000);
    for (k, v) in counts { eprintln!("{k}: {v}"); }
}
