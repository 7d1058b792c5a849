//! This phone's export log (`store/export_log.rs`), newest first: what left the phone as
//! an offline CSV. A failed read says so, never shows an empty log.

use leptos::prelude::*;
use wangge_core::export::Kind;

use super::kind_msg;
use crate::components::read_failed::ReadFailed;
use crate::context::use_store;
use crate::format::date_time;
use crate::i18n::assess::AssessMsg;
use crate::i18n::export::ExportMsg;
use crate::i18n::{tr, use_lang, Text};

/// Entries shown: the rest stay in the log.
const SHOWN: usize = 10;

#[component]
pub fn ExportLog(logged: RwSignal<u32>) -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let log = LocalResource::new(move || {
        logged.track();
        let store = (*store).clone();
        async move { store.local_exports().await }
    });
    view! {
        <section class="card export-log" aria-labelledby="export-log-title">
            <h3 id="export-log-title">{tr(ExportMsg::Log)}</h3>
            <p class="muted">{tr(ExportMsg::LogHint)}</p>
            {move || log.get().map(|read| match read {
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
                Ok(list) if list.is_empty() => view! { <p class="empty">{tr(ExportMsg::LogEmpty)}</p> }.into_any(),
                Ok(list) => view! {
                    <ul class="plain">
                        {list.into_iter().take(SHOWN).map(|e| {
                            let what = Kind::from_code(&e.kind).map(kind_msg);
                            // The assessment's sheet is exported from its own page.
                            let assessment = e.kind == crate::pages::assess::LOG_KIND;
                            view! {
                                <li>
                                    {date_time(e.at)} " · "
                                    {move || match what {
                                        Some(m) => m.text(lang.get()),
                                        None if assessment => AssessMsg::LogKind.text(lang.get()),
                                        None => "",
                                    }} " · "
                                    {move || format!("{} {}", e.rows, ExportMsg::Rows.text(lang.get()))}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            })}
        </section>
    }
}
