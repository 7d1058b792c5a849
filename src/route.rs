//! Routes in the URL, so navigation survives a reload and the back button works. A tiny
//! router of our own: the app has a handful of screens and every byte reaches the phone
//! over a slow link.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Today,
    Issues,
    Visits,
    Roster,
    Settings,
    NotFound,
}

impl Route {
    pub fn parse(path: &str) -> Route {
        match path.trim_end_matches('/') {
            "" | "/today" => Route::Today,
            "/issues" => Route::Issues,
            "/visits" => Route::Visits,
            "/roster" => Route::Roster,
            "/settings" => Route::Settings,
            _ => Route::NotFound,
        }
    }

    pub fn path(&self) -> &'static str {
        match self {
            Route::Today | Route::NotFound => "/",
            Route::Issues => "/issues",
            Route::Visits => "/visits",
            Route::Roster => "/roster",
            Route::Settings => "/settings",
        }
    }
}

fn current_path() -> String {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .unwrap_or_else(|| "/".into())
}

/// The current route as a signal, kept in step with the back/forward buttons.
pub fn provide_router() -> RwSignal<Route> {
    let route = RwSignal::new(Route::parse(&current_path()));
    let on_pop = Closure::<dyn Fn()>::new(move || route.set(Route::parse(&current_path())));
    if let Some(w) = web_sys::window() {
        let _ = w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    }
    // The listener lives as long as the page.
    on_pop.forget();
    provide_context(route);
    route
}

/// The router's signal, provided by the app root.
pub fn use_route() -> RwSignal<Route> {
    use_context::<RwSignal<Route>>().expect("the app root provides the router")
}

/// Goes to `to`, adding a history entry so the back button returns here.
pub fn navigate(route: RwSignal<Route>, to: Route) {
    if route.get_untracked() == to {
        return;
    }
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(to.path()));
    }
    route.set(to);
}

#[cfg(test)]
mod tests {
    use super::Route;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn paths_round_trip() {
        for r in [Route::Today, Route::Issues, Route::Visits, Route::Roster, Route::Settings] {
            assert_eq!(Route::parse(r.path()), r);
        }
        assert_eq!(Route::parse("/nowhere"), Route::NotFound);
        assert_eq!(Route::parse("/issues/"), Route::Issues);
    }
}
