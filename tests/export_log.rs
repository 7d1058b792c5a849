//! The phone's own log of offline exports (`meta` key `export_log`) in real headless
//! Chromium: newest first, kept to the newest 50, and it survives reopening the store.

use wangge::store::export_log::LocalExport;
use wangge::store::Store;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn entry(n: u32) -> LocalExport {
    LocalExport {
        at: 1_795_000_000_000.0 + f64::from(n),
        kind: "issues".into(),
        rows: n,
        filters: "status=open".into(),
    }
}

#[wasm_bindgen_test]
async fn exports_are_logged_newest_first_and_the_oldest_drop_after_fifty() {
    let name = format!("wangge-export-log-{}", js_sys::Math::random());
    let store = Store::open_named(&name).await.unwrap();
    assert!(store.local_exports().await.unwrap().is_empty());
    for n in 1..=55 {
        store.log_local_export(entry(n)).await.unwrap();
    }
    store.close();
    let store = Store::open_named(&name).await.unwrap();
    let log = store.local_exports().await.unwrap();
    assert_eq!(log.len(), 50);
    assert_eq!(log[0], entry(55), "newest first");
    assert_eq!(log[49], entry(6), "the five oldest dropped");
}
