//! The dashboard's figures from the store's lean read (`Store::figure_facts`, picking a
//! few fields out of each row) must equal the core's figures over the full rows of the
//! same populated store, for every scope: a lean row that misreads a field (a level, a
//! date, a household's status) makes a figure differ and fails here.

use wangge::pages::dashboard::data::load_figures;
use wangge::store::Store;
use wangge_core::grid::{GridLevel, GridTree};
use wangge_core::issue::Deadlines;
use wangge_core::stats::{issue_figures, visit_figures};
use wangge_core::visit::VisitSchedule;
use wangge_core::Date;
use wangge_demo::{generate, DemoSize};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// 2026-11-23T00:00:00Z: the demo's "now", so issues are open, overdue and closed.
const NOW: i64 = 1_795_392_000_000;

#[wasm_bindgen_test]
async fn the_lean_figures_equal_the_cores_over_the_full_rows() {
    let data = generate(DemoSize { households: 1_500, issues: 2_000 }, 11, NOW);
    let store = Store::open_named(&format!("wangge-figures-{}", js_sys::Math::random())).await.unwrap();
    store.load_snapshot(&data).await.unwrap();

    let tree = GridTree::build(store.grids().await.unwrap()).unwrap();
    let rows = store.all_issues().await.unwrap();
    let households = store.all_households().await.unwrap();
    let visits = store.all_visits().await.unwrap();
    let today = Date::of_millis(NOW);
    let scopes: Vec<_> = data.grids.iter().filter(|g| g.level != GridLevel::Group).map(|g| g.id.clone()).collect();
    assert!(scopes.len() > 2);
    let (mut overdue, mut closed, mut households_overdue) = (0, 0, 0);
    for scope in &scopes {
        let fast = load_figures(&store, scope, NOW).await.unwrap().expect("the scope's grid is stored");
        let full = issue_figures(&tree, scope, rows.iter().map(|r| (&r.issue, &r.state)), &Deadlines::default(), NOW);
        let month = (today.first_of_month(), today);
        let full_visits = visit_figures(&tree, scope, &households, &visits, &VisitSchedule::default(), month);
        assert_eq!(fast.issues, full, "issue figures of {scope}");
        assert_eq!(fast.visits, full_visits, "visit figures of {scope}");
        overdue += full.totals.overdue + full.needing_supervision;
        closed += full.closed_this_month;
        households_overdue += full_visits.households_overdue + full_visits.visits_done;
    }
    // Every kind of figure must be non-zero somewhere, or equality proves little.
    assert!(overdue > 0 && closed > 0 && households_overdue > 0, "{overdue} {closed} {households_overdue}");
}

#[wasm_bindgen_test]
async fn a_scope_not_on_the_phone_has_no_figures() {
    let store = Store::open_named(&format!("wangge-figures-{}", js_sys::Math::random())).await.unwrap();
    let scope = wangge_core::GridId::parse("G-NOT-HERE").unwrap();
    assert!(load_figures(&store, &scope, NOW).await.unwrap().is_none());
}
