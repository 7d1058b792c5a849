//! The app root: provides the language and the router, lays out the shell (header, the
//! current screen, bottom navigation) and mounts it into the page.

use leptos::prelude::*;

use crate::components::{bottom_nav::BottomNav, online_badge::OnlineBadge};
use crate::i18n::{tr, Lang, Msg};
use crate::pages::{
    placeholder::{NotFound, Placeholder},
    settings::SettingsPage,
    today::TodayPage,
};
use crate::route::{provide_router, Route};

/// Replaces the "loading" placeholder in `index.html` with the app.
pub fn mount() {
    let document = web_sys::window().and_then(|w| w.document()).expect("a browser page");
    let root = document.get_element_by_id("app").expect("index.html has #app");
    root.set_inner_html("");
    let root: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(root);
    leptos::mount::mount_to(root, App).forget();
}

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(Lang::load());
    provide_context(lang);
    // Keep <html lang> true for screen readers and the browser's font choice.
    Effect::new(move || {
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", lang.get().code());
        }
    });
    let route = provide_router();
    // Ask once per phone that the browser never evicts our data (Settings shows the answer).
    if crate::store::remembered_persistence().is_none() {
        leptos::task::spawn_local(async {
            crate::store::request_persistence().await;
        });
    }
    view! {
        <div class="shell">
            <header class="topbar">
                <h1 class="brand">{tr(Msg::AppName)}</h1>
                <OnlineBadge/>
            </header>
            <main class="content">
                {move || match route.get() {
                    Route::Today => view! { <TodayPage/> }.into_any(),
                    Route::Issues => view! { <Placeholder title=Msg::IssuesTitle/> }.into_any(),
                    Route::Visits => view! { <Placeholder title=Msg::VisitsTitle/> }.into_any(),
                    Route::Roster => view! { <Placeholder title=Msg::RosterTitle/> }.into_any(),
                    Route::Settings => view! { <SettingsPage/> }.into_any(),
                    Route::NotFound => view! { <NotFound/> }.into_any(),
                }}
            </main>
            <BottomNav/>
        </div>
    }
}
