//! The assessment's total and its export sheet (`table`), on the fixtures of `tests.rs`:
//! the total is the grids' sum, and the CSV carries every raw count behind each figure.

use super::*;

#[test]
fn the_total_sums_the_grids_and_the_sheet_carries_every_raw_count() {
    let mut f = Fixture::default();
    f.households.push(household("h1", "qc-1", Some(HouseholdTag::LivingAloneElderly)));
    f.households.push(household("h2", "qc-2", Some(HouseholdTag::LowIncome)));
    f.visits.push(visit(1, "h1", "w1", "2026-11-02", &[]));
    f.visits.push(visit(2, "h2", "w2", "2026-11-02", &[]));
    f.issues.push(issue("i1", "qc-2", "w2", Some("h2"), &[(at("2026-11-03"), EventKind::Reported)]));
    let a = f.assess("qc", nov(), later());
    let mut sum = Figures::default();
    a.grids.iter().for_each(|g| sum.add(&g.figures));
    assert_eq!(a.total, sum);
    assert_eq!((a.total.visits, a.total.reported), (share(2, 6), share(1, 1)));
    let tree = tree();
    let names: std::collections::HashMap<String, String> = [("w2".to_string(), "李四".to_string())].into();
    let none = std::collections::HashMap::new();
    let sheet = table(&a, &crate::export::Names { tree: &tree, people: &names, units: &none });
    let csv = crate::export::csv(&sheet);
    let lines: Vec<&str> = csv.trim_start_matches(crate::export::BOM).lines().collect();
    assert!(lines[0].starts_with("网格,人员,应走访,按时走访,本月上报,走访后一日内上报"));
    // qc-1, w1, qc-2, 李四, total.
    assert_eq!(lines.len(), 6);
    assert!(lines[3].starts_with("qc-2,全网格,1,1,1,1,"), "{}", lines[3]);
    assert!(lines[4].starts_with("qc-2,李四,1,1,1,1,") && lines[4].ends_with(",,"), "{}", lines[4]);
    assert!(lines[5].starts_with("合计,,6,2,1,1,"), "{}", lines[5]);
}
