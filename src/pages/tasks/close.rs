//! Closing a sending (结束任务) from its board: staff say a closing note, see how many
//! targets are still not done (they stay listed on the board: "a task closes when done or
//! at its deadline with what was not done listed"), and confirm. Every open record of the
//! sending on this phone gets the same `closed` in one transaction (`Store::close_sending`).
//! The form's signals are owned here, above what a sync re-renders, so a background sync
//! never closes it or drops the note being typed.

use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::task::Closed;
use wangge_core::{CommentText, TaskId};

use crate::context::{session, use_store, use_sync};
use crate::format::{date_time, now_ms};
use crate::i18n::tasks::TaskMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::core_message;

/// "已结束 · 12-07 15:00 · 王书记 · note" under the board's title.
#[component]
pub fn ClosedLine(closed: Closed, names: Arc<HashMap<String, String>>) -> impl IntoView {
    let by = names.get(closed.by.as_str()).cloned().unwrap_or_else(|| closed.by.to_string());
    let note = closed.note.map(|n| format!(" · {n}"));
    view! {
        <p class="closed-line" role="note">
            <strong>{tr(TaskMsg::ClosedBy)}</strong> " · " {date_time(closed.at as f64)} " · " {by} {note}
        </p>
    }
}

/// 结束任务 and its confirmation. `open`: (open records of the sending on this phone,
/// targets not reached), read with the board; the button shows while any record is open.
#[component]
pub fn CloseForm(batch: Option<TaskId>, open: Signal<(usize, usize)>) -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let sync = use_sync();
    let shown = RwSignal::new(false);
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let offer = move || open.get().0 != 0 && !shown.get();
    let confirm = move |_| {
        let Some(batch) = batch.clone() else { return };
        let l = lang.get_untracked();
        let note_value = match note.get_untracked().trim() {
            "" => None,
            t => match CommentText::parse(t) {
                Ok(n) => Some(n),
                Err(e) => return message.set(Some(core_message!(e, l))),
            },
        };
        let closed = Closed { at: now_ms(), by: session().user.person_id, note: note_value };
        let store = store.clone();
        leptos::task::spawn_local(async move {
            match store.close_sending(&batch, &closed).await {
                Ok(n) => {
                    sync.changed();
                    shown.set(false);
                    note.set(String::new());
                    message.set(Some(format!("{n} {}", TaskMsg::ClosedCount.text(l))));
                }
                Err(e) => message.set(Some(e.message(l))),
            }
        });
    };
    view! {
        <div class="close-sending">
            {move || message.get().map(|m| view! { <p class="note" role="status">{m}</p> })}
            <Show when=offer>
                <button type="button" class="button secondary" on:click=move |_| shown.set(true)>
                    {tr(TaskMsg::CloseSending)}
                </button>
            </Show>
            <div class="card close-form" prop:hidden=move || !shown.get()>
                <h3>{tr(TaskMsg::CloseSending)}</h3>
                <p>
                    {move || match open.get().1 {
                        0 => TaskMsg::CloseLeftNone.text(lang.get()).to_string(),
                        n => format!("{}{n}", TaskMsg::CloseLeft.text(lang.get())),
                    }}
                </p>
                <p class="muted">{tr(TaskMsg::CloseKeeps)}</p>
                <label class="field">{tr(TaskMsg::CloseNote)}
                    <textarea prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                </label>
                <div class="actions">
                    <button type="button" class="button" on:click=confirm>{tr(TaskMsg::CloseConfirm)}</button>
                    <button type="button" class="button secondary" on:click=move |_| shown.set(false)>
                        {tr(TaskMsg::CloseCancel)}
                    </button>
                </div>
            </div>
        </div>
    }
}
