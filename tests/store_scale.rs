//! The store at village scale (10,000 households, 20,000 issues) in headless Chromium:
//! everything lands, and the screens' queries answer from the indexes. Times are printed
//! for the record, never asserted (benchmarks live in `cargo xtask bench`).

use wangge::store::Store;
use wangge_demo::{generate, DemoSize};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    js_sys::Date::now()
}

#[wasm_bindgen_test]
async fn village_scale_data_loads_and_is_queried_by_index() {
    let data = generate(DemoSize::VILLAGE_SCALE, 7, 1_795_000_000_000);
    assert_eq!(data.households.len(), 10_000);
    assert_eq!(data.issues.len(), 20_000);
    let store = Store::open_named(&format!("wangge-scale-{}", js_sys::Math::random())).await.unwrap();

    let t0 = now();
    store.load_snapshot(&data).await.unwrap();
    let insert_ms = now() - t0;
    assert_eq!(store.count("issues").await.unwrap(), 20_000);
    assert_eq!(store.count("households").await.unwrap(), 10_000);

    let probe = &data.issues[123];
    let row = store.issue(probe.id.as_str()).await.unwrap().unwrap();
    let t1 = now();
    let same = store.issues_by_grid_status(&row.grid, &row.status).await.unwrap();
    let filter_ms = now() - t1;
    assert!(same.iter().any(|r| r.id == row.id));
    assert!(same.iter().all(|r| r.grid == row.grid && r.status == row.status));

    let head = data.households[42].head().unwrap().name.to_string();
    let prefix: String = head.chars().take(2).collect();
    let t2 = now();
    let found = store.households_by_name_prefix(&prefix, 50).await.unwrap();
    let search_ms = now() - t2;
    assert!(!found.is_empty() && found.iter().all(|h| h.name.starts_with(&prefix)));

    console_log!(
        "village scale: insert {} records in {insert_ms:.0} ms; filter grid+status ({} rows) {filter_ms:.1} ms; name prefix search {search_ms:.1} ms",
        data.issues.len() + data.events.len() + data.households.len() + data.visits.len(),
        same.len()
    );
}
