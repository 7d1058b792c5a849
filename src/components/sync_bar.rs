//! The sync line under the header, on every screen: changes waiting, when the phone last
//! synced, the last problem in plain words, and links to conflicts or to log in again.

use leptos::prelude::*;

use crate::context::use_sync;
use crate::format::ago;
use crate::i18n::sync::SyncMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::route::{navigate, use_route, Route};
use crate::sync::Problem;

#[component]
pub fn SyncBar(
    /// Asks the shell to show the login form (the token expired).
    #[prop(into)]
    on_relogin: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let status = sync.status();
    let route = use_route();
    // Re-render "5 分钟前" as time passes.
    let now = RwSignal::new(js_sys::Date::now());
    let _ = set_interval_with_handle(
        move || now.set(js_sys::Date::now()),
        std::time::Duration::from_secs(30),
    );
    let summary = move || {
        let (s, l) = (status.get(), lang.get());
        let pending = if s.running {
            SyncMsg::Syncing.text(l).to_string()
        } else if s.pending == 0 {
            SyncMsg::PendingNone.text(l).to_string()
        } else {
            format!("{} {}", SyncMsg::Pending.text(l), s.pending)
        };
        let last = match s.last_synced {
            Some(t) => format!("{} {}", SyncMsg::LastSynced.text(l), ago(t, now.get(), l)),
            None => SyncMsg::NeverSynced.text(l).to_string(),
        };
        format!("{pending} · {last}")
    };
    view! {
        <section class="syncbar" aria-label=tr(SyncMsg::SyncState)>
            <p class="sync-summary" role="status" data-pending=move || status.get().pending>
                {summary}
            </p>
            <button class="link" type="button" on:click=move |_| sync.sync_now()
                disabled=move || status.get().running>
                {tr(SyncMsg::SyncNow)}
            </button>
            {move || status.get().problem.map(|p| {
                let relogin = p == Problem::LoginExpired;
                view! {
                    <p class="sync-problem" class:quiet=p == Problem::Offline>{p.message(lang.get())}</p>
                    {relogin.then(|| view! {
                        <button class="button small" type="button" on:click=move |_| on_relogin.run(())>
                            {tr(SyncMsg::Relogin)}
                        </button>
                    })}
                }
            })}
            {move || {
                let s = status.get();
                (s.conflicts + s.rejected > 0).then(|| view! {
                    <a class="sync-conflicts" href="/conflicts" on:click=move |ev| {
                        ev.prevent_default();
                        navigate(route, Route::Conflicts);
                    }>
                        {move || format!("{} {}", s.conflicts + s.rejected, SyncMsg::ConflictsCount.text(lang.get()))}
                    </a>
                })
            }}
        </section>
    }
}
