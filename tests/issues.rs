//! The issue list's query at village scale (20,000 issues) in headless Chromium: the briefs
//! read from IndexedDB and the in-memory filter give exactly the counts the core derives
//! from the full records. Times are printed for the record, never asserted.

use std::collections::{HashMap, HashSet};

use wangge::pages::issues::list::filter::{apply, IssueFilter, StatusChoice, STATUSES};
use wangge::store::Store;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{derive, Category, Deadlines, Issue, IssueEvent, IssueState};
use wangge_demo::{generate, DemoData, DemoSize};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_795_000_000_000;

fn clock() -> f64 {
    web_sys::window().unwrap().performance().unwrap().now()
}

/// Average milliseconds of `runs` runs of `f` (one run is one keystroke or filter tap).
fn per_run<T>(runs: u32, mut f: impl FnMut() -> T) -> (T, f64) {
    let t = clock();
    let mut out = f();
    for _ in 1..runs {
        out = f();
    }
    (out, (clock() - t) / f64::from(runs))
}

/// Every issue with the state the core derives from its full history.
fn expected(data: &DemoData) -> Vec<(&Issue, IssueState)> {
    let mut histories: HashMap<&str, Vec<IssueEvent>> = HashMap::new();
    for e in &data.events {
        histories.entry(e.issue.as_str()).or_default().push(e.clone());
    }
    data.issues.iter().map(|i| (i, derive(&histories[i.id.as_str()]).state)).collect()
}

#[wasm_bindgen_test]
async fn the_list_filters_twenty_thousand_issues_with_correct_counts() {
    let data = generate(DemoSize::VILLAGE_SCALE, 7, NOW);
    assert_eq!(data.issues.len(), 20_000);
    let store = Store::open_named(&format!("wangge-issues-{}", js_sys::Math::random())).await.unwrap();
    store.load_snapshot(&data).await.unwrap();
    let truth = expected(&data);
    let deadlines = Deadlines::default();

    let t0 = clock();
    store.issue_briefs(NOW, &deadlines).await.unwrap();
    let first_read_ms = clock() - t0;
    // Again, as after a save: the first read after a bulk load also pays for the
    // database settling its writes.
    let t0 = clock();
    let briefs = store.issue_briefs(NOW, &deadlines).await.unwrap();
    let read_ms = clock() - t0;
    assert_eq!(briefs.len(), 20_000);

    // The overdue flags, made from briefs, agree with the core on the full records.
    let flagged_truth = truth.iter().filter(|(i, s)| s.needs_supervision(i, &deadlines, NOW)).count();
    let overdue_truth = truth.iter().filter(|(i, s)| s.is_overdue(i, &deadlines, NOW)).count();
    assert_eq!(briefs.iter().filter(|b| b.flagged).count(), flagged_truth);
    assert_eq!(briefs.iter().filter(|b| b.overdue).count(), overdue_truth);
    assert!(flagged_truth > 0, "the demo has overdue issues to find");

    let none = HashSet::new();
    let (all, unfiltered_ms) = per_run(20, || apply(&briefs, &IssueFilter::default(), "nobody", &none));
    assert_eq!(all.rows.len(), 20_000);
    for (k, status) in STATUSES.iter().enumerate() {
        let n = truth.iter().filter(|(_, s)| s.status == *status).count();
        assert_eq!(all.counts.status[k] as usize, n, "{status:?}");
    }
    for (k, level) in EscalationLevel::ALL.iter().enumerate() {
        let n = truth.iter().filter(|(_, s)| s.level == *level).count();
        assert_eq!(all.counts.level[k] as usize, n, "{level:?}");
    }
    for (k, category) in Category::ALL.iter().enumerate() {
        let n = truth.iter().filter(|(i, _)| i.category == *category).count();
        assert_eq!(all.counts.category[k] as usize, n, "{category:?}");
    }
    assert_eq!(all.counts.flagged as usize, flagged_truth);

    // A combined filter: open, at the community, flagged, reported or handled by one person.
    let me = truth
        .iter()
        .find(|(_, s)| s.level == EscalationLevel::Community && s.status.is_open())
        .map(|(i, _)| i.reporter.to_string())
        .unwrap();
    let filter = IssueFilter {
        status: Some(StatusChoice::Open),
        level: Some(EscalationLevel::Community),
        mine: true,
        ..IssueFilter::default()
    };
    let (combined, combined_ms) = per_run(20, || apply(&briefs, &filter, &me, &none));
    let is_mine =
        |i: &Issue, s: &IssueState| i.reporter.as_str() == me || s.assignee.as_ref().is_some_and(|a| a.as_str() == me);
    let want = truth
        .iter()
        .filter(|(i, s)| s.status.is_open() && s.level == EscalationLevel::Community && is_mine(i, s))
        .count();
    assert!(want > 0);
    assert_eq!(combined.rows.len(), want);
    // The level counts keep every other filter but ignore the level one.
    let at_town =
        truth.iter().filter(|(i, s)| s.status.is_open() && s.level == EscalationLevel::Town && is_mine(i, s)).count();
    assert_eq!(combined.counts.level[EscalationLevel::Town as usize] as usize, at_town);

    // A search as typed: title words, or the start of a household head's name (by index).
    let head = data.households[42].head().unwrap().name.to_string();
    // The whole name: a short prefix could match more households than one search reads.
    let prefix = head;
    let t3 = clock();
    let hits: HashSet<String> = store.issue_household_ids_by_name(&prefix, 500).await.unwrap().into_iter().collect();
    let searched = apply(&briefs, &IssueFilter { query: prefix.clone(), ..IssueFilter::default() }, "nobody", &hits);
    let search_ms = clock() - t3;
    let by_name: HashSet<&str> = data
        .households
        .iter()
        .filter(|h| h.head().is_some_and(|m| m.name.as_str().starts_with(&prefix)))
        .map(|h| h.id.as_str())
        .collect();
    let want = truth
        .iter()
        .filter(|(i, _)| {
            i.title.as_str().contains(&prefix) || i.household.as_ref().is_some_and(|h| by_name.contains(h.as_str()))
        })
        .count();
    assert_eq!(searched.rows.len(), want, "search {prefix}");
    assert!(want > 0);

    console_log!(
        "issue list at 20,000 issues: read briefs {read_ms:.0} ms (first after the load {first_read_ms:.0} ms; once per data change); \
         filter+count per keystroke: unfiltered {unfiltered_ms:.2} ms, open+community+mine {combined_ms:.2} ms \
         ({} rows); household-name search \"{prefix}\" {search_ms:.1} ms ({} rows); statuses {:?}",
        combined.rows.len(),
        searched.rows.len(),
        STATUSES
            .iter()
            .zip(all.counts.status)
            .map(|(s, n)| format!("{}={n}", s.code()))
            .collect::<Vec<_>>()
    );
}
