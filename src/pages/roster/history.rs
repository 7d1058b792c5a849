//! Who changed what on a household: the phone's own writes still in the outbox
//! (待同步, by the logged-in worker). The pull does not yet carry who wrote each field on
//! the server, or when, so the screen says so instead of showing a history it lacks.

use leptos::prelude::*;
use serde_json::Value;

use super::labels::{household_field, household_value};
use crate::i18n::roster::RosterMsg;
use crate::i18n::{tr, use_lang};
use crate::store::PendingWrite;

#[component]
pub fn ChangeHistory(pending: Vec<PendingWrite>, me: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section class="card" aria-labelledby="history-title">
            <h3 id="history-title">{tr(RosterMsg::History)}</h3>
            {pending.is_empty().then(|| view! { <p class="muted">{tr(RosterMsg::NoPending)}</p> })}
            <ul class="list history">
                {pending.into_iter().rev().filter(|w| w.field != "id").map(|w| {
                    let (field, value) = (w.field.clone(), w.value.clone());
                    let me = me.clone();
                    view! {
                        <li class="pending-write">
                            <span class="badge pending">{tr(RosterMsg::PendingSync)}</span> " "
                            <strong>{move || household_field(&field, lang.get()).unwrap_or_else(|| field.clone())}</strong>
                            ": " {move || shown(&w.field, &value, lang.get())}
                            <span class="muted">" · " {me} " · " {tr(RosterMsg::ByMe)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

fn shown(field: &str, value: &Value, lang: crate::i18n::Lang) -> String {
    household_value(field, value, lang).unwrap_or_else(|| match value {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    })
}
