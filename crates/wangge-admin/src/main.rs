//! 网格通 管理后台: the administration screens as a wasm of their own, served at `/admin/`,
//! so the grid worker's download carries none of them. Entry point: panic hook and mount.

// Leptos's `#[component]` writes a `pub` props struct beside each component, which a
// binary crate can never export.
#![allow(unreachable_pub)]

mod api;
mod app;
mod format;
mod i18n;
mod pages;
mod session;

fn main() {
    console_error_panic_hook::set_once();
    app::mount();
}
