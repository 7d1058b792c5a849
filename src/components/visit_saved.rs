//! The note shown after a visit is saved (`?saved=<household>` on the screen it returns
//! to): it is on the phone, it will sync, and — because a visit is where most problems
//! are found — a one-tap offer to report an issue about that household.

use leptos::prelude::*;

use crate::components::roster_link::{replace_url, AppLink};
use crate::i18n::tr;
use crate::i18n::visits::VisitMsg;
use crate::route::query_param;

#[component]
pub fn VisitSaved() -> impl IntoView {
    let saved = RwSignal::new(query_param("saved"));
    let dismiss = move |_| {
        saved.set(None);
        // Keep the note from coming back on reload.
        let path = window().location().pathname().unwrap_or_default();
        replace_url(&path);
    };
    move || {
        saved.get().map(|household| {
            let href = format!("/issues/new?household={household}");
            view! {
                <div class="card saved-note" role="status">
                    <p>"✓ " {tr(VisitMsg::Saved)}</p>
                    <div class="actions">
                        <AppLink href class="button small">{tr(VisitMsg::ReportFromVisit)}</AppLink>
                        <button type="button" class="button small secondary" on:click=dismiss>
                            {tr(VisitMsg::Dismiss)}
                        </button>
                    </div>
                </div>
            }
        })
    }
}
