//! 网格通 Wangge, the browser app: a Leptos (client-side rendered) PWA for grid workers.
//! `main.rs` only mounts [`app::App`]; the modules below hold the screens, the translation
//! table and (later) the on-device store and the sync loop.

pub mod app;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod route;
pub mod store;

// Browser tests run in headless Chromium (wasm-bindgen-test-runner + chromedriver).
#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
