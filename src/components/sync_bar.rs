//! The sync line under the header, on every screen: changes waiting, when the phone last
//! synced, the last problem in plain words, and links to conflicts or to log in again.

use leptos::prelude::*;

use crate::context::use_sync;
use crate::format::ago;
use crate::i18n::photos::PhotoMsg;
use crate::i18n::sync::SyncMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::route::{navigate, use_route, Route};
use crate::sync::status::clock_warning;
use crate::sync::{Problem, SyncStatus};

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
    let _ = set_interval_with_handle(move || now.set(js_sys::Date::now()), std::time::Duration::from_secs(30));
    let line = move || summary(&status.get(), now.get(), lang.get());
    view! {
        <section class="syncbar" aria-label=tr(SyncMsg::SyncState)>
            <p class="sync-summary" role="status" data-pending=move || status.get().pending
                data-photos=move || status.get().photos_pending>
                {line}
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
            {move || clock_warning(status.get().clock_skew, lang.get())
                .map(|w| view! { <p class="sync-problem clock-warning" role="alert">{w}</p> })}
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

/// The sync line's text: what is waiting or moving, then when the phone last synced.
/// While a round runs it counts what has gone and come so far ("已接收 12400 条").
fn summary(s: &SyncStatus, now: f64, l: Lang) -> String {
    let pending = if s.running {
        let moved: Vec<String> = [(s.sent, SyncMsg::Sent), (s.received, SyncMsg::Received)]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, verb)| format!("{} {n} {}", verb.text(l), SyncMsg::ChangesUnit.text(l)))
            .collect();
        let syncing = SyncMsg::Syncing.text(l);
        if moved.is_empty() {
            syncing.to_string()
        } else {
            format!("{syncing} {}", moved.join(SyncMsg::ListSeparator.text(l)))
        }
    } else if s.pending == 0 {
        SyncMsg::PendingNone.text(l).to_string()
    } else {
        format!("{} {}", SyncMsg::Pending.text(l), s.pending)
    };
    let last = match s.last_synced {
        Some(t) => format!("{} {}", SyncMsg::LastSynced.text(l), ago(t, now, l)),
        None => SyncMsg::NeverSynced.text(l).to_string(),
    };
    let photos = [(s.photos_pending, PhotoMsg::Waiting), (s.photos_refused, PhotoMsg::Refused)]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, msg)| format!(" · {}", msg.text(l).replace("{n}", &n.to_string())))
        .collect::<String>();
    format!("{pending} · {last}{photos}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn a_running_round_counts_what_moved_and_an_idle_one_what_waits() {
        let now = 1_700_000_000_000.0;
        let mut s = SyncStatus { running: true, last_synced: None, ..SyncStatus::default() };
        assert_eq!(summary(&s, now, Lang::Zh), "正在同步… · 尚未同步");
        s.received = 12400;
        assert_eq!(summary(&s, now, Lang::Zh), "正在同步… 已接收 12400 条 · 尚未同步");
        s.sent = 200;
        assert_eq!(summary(&s, now, Lang::En), "Syncing… sent 200 changes, received 12400 changes · Not synced yet");
        let idle = SyncStatus { pending: 3, last_synced: Some(now), ..SyncStatus::default() };
        assert_eq!(summary(&idle, now, Lang::Zh), "待同步 3 · 上次同步 刚刚");
        let photos = SyncStatus { photos_pending: 1, ..idle };
        assert_eq!(summary(&photos, now, Lang::Zh), "待同步 3 · 上次同步 刚刚 · 照片 1 张待上传");
    }
}
