//! Who changed what on a household, and when: the phone's own writes still in the outbox
//! (待同步, by the logged-in worker), then the last write of each field the server told
//! the phone about (its writer and time travel with each pulled field; seeded data and
//! values from before the server kept them have none, and are not listed).

use leptos::prelude::*;
use serde_json::Value;

use super::labels::{household_field, household_value};
use crate::format::date_time;
use crate::i18n::roster::RosterMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::store::PendingWrite;

/// A field's current value on the server and who wrote it when.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerWrite {
    pub field: String,
    pub value: Value,
    /// The writer's name (their person id when the phone lacks the name).
    pub who: String,
    pub at: i64,
}

#[component]
pub fn ChangeHistory(pending: Vec<PendingWrite>, written: Vec<ServerWrite>, me: String) -> impl IntoView {
    let lang = use_lang();
    let nothing = pending.is_empty() && written.is_empty();
    let pending = pending
        .into_iter()
        .rev()
        .filter(|w| w.field != "id")
        .map(|w| {
            let me = me.clone();
            view! {
                <li class="pending-write">
                    <span class="badge pending">{tr(RosterMsg::PendingSync)}</span> " "
                    <FieldValue field=w.field value=w.value/>
                    <span class="muted">" · " {me} " · " {tr(RosterMsg::ByMe)}</span>
                </li>
            }
        })
        .collect_view();
    let written = written
        .into_iter()
        .map(|w| {
            view! {
                <li>
                    <FieldValue field=w.field value=w.value/>
                    <span class="muted">" · " {w.who} " · " {date_time(w.at as f64)}</span>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="history-title">
            <h3 id="history-title">{tr(RosterMsg::History)}</h3>
            {nothing.then(|| view! { <p class="muted">{tr(RosterMsg::NoHistory)}</p> })}
            <ul class="list history">{pending}{written}</ul>
            <p class="muted hint">{move || RosterMsg::HistoryNote.text(lang.get())}</p>
        </section>
    }
}

#[component]
fn FieldValue(field: String, value: Value) -> impl IntoView {
    let lang = use_lang();
    let name = field.clone();
    view! {
        <strong>{move || household_field(&name, lang.get()).unwrap_or_else(|| name.clone())}</strong>
        ": " {move || shown(&field, &value, lang.get())}
    }
}

fn shown(field: &str, value: &Value, lang: Lang) -> String {
    household_value(field, value, lang).unwrap_or_else(|| match value {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    })
}
