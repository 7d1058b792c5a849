//! 网格通 Wangge, the browser app: a Leptos (client-side rendered) PWA for grid workers.
//! `main.rs` only mounts [`app::App`]. The screens (`pages`, `components`) read and write
//! through [`store`] (IndexedDB, the only storage) and announce saves to [`sync`] (the only
//! network code); [`i18n`] holds every string; [`route`] keeps screens in the URL.

pub mod app;
pub mod components;
pub mod context;
pub mod early_login;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod photos;
pub mod route;
pub mod session;
pub mod store;
pub mod sync;

// Browser tests run in headless Chromium (wasm-bindgen-test-runner + chromedriver).
#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
