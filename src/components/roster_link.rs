//! In-app links that may carry a query string (`/issues/new?household=…`): the shared
//! router's `navigate` knows routes only, so these push the whole address and then set
//! the route parsed from its path. A click with a modifier key is left to the browser.

use leptos::ev::MouseEvent;
use leptos::prelude::*;

use crate::route::Route;

/// Follows `href` inside the app (a new history entry).
pub fn follow(route: RwSignal<Route>, ev: MouseEvent, href: &str) {
    if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
        return;
    }
    ev.prevent_default();
    go(route, href, false);
}

/// Goes to `href` replacing the current history entry (after a save, so back does not
/// return to the filled-in form).
pub fn replace(route: RwSignal<Route>, href: &str) {
    go(route, href, true);
}

/// Changes the address bar only (no new screen): keeps a choice made on the screen
/// across a reload.
pub fn replace_url(href: &str) {
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
    }
}

fn go(route: RwSignal<Route>, href: &str, replace: bool) {
    if let Ok(history) = window().history() {
        let null = wasm_bindgen::JsValue::NULL;
        let _ = if replace {
            history.replace_state_with_url(&null, "", Some(href))
        } else {
            history.push_state_with_url(&null, "", Some(href))
        };
    }
    let path = href.split(['?', '#']).next().unwrap_or("/");
    route.set(Route::parse(path));
    // A new screen starts at its top, as a page load would.
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

/// An `<a>` that stays in the app.
#[component]
pub fn AppLink(
    #[prop(into)] href: String,
    #[prop(optional)] class: &'static str,
    /// An accessible name when the visible text alone is ambiguous (a row of "记录走访").
    #[prop(optional, into)]
    label: Option<Signal<String>>,
    children: Children,
) -> impl IntoView {
    let route = crate::route::use_route();
    let target = href.clone();
    view! {
        <a href=href class=class aria-label=move || label.map(|l| l.get()) on:click=move |ev| follow(route, ev, &target)>
            {children()}
        </a>
    }
}
