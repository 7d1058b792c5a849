//! Editing an issue's own fields (title, category, priority, due date). Only the fields
//! that changed are sent, each with the server version it was based on
//! (`Store::edit`), so an edit of the same field on two phones surfaces as a conflict
//! instead of one silently overwriting the other.

use leptos::prelude::*;
use send_wrapper::SendWrapper;
use serde_json::{Map, Value};
use wangge_core::issue::{Category, Priority};
use wangge_core::sync::Collection;
use wangge_core::{Date, DomainError, IssueTitle};

use super::common::{core_label, core_message};
use super::new::parse_due;
use crate::context::{use_store, use_sync};
use crate::format::date;
use crate::i18n::issues::IssueMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::store::IssueRow;

#[component]
pub fn EditPanel(row: IssueRow) -> impl IntoView {
    let lang = use_lang();
    let store = SendWrapper::new(use_store());
    let sync = use_sync();
    let issue = row.issue;
    let open = RwSignal::new(false);
    let title = RwSignal::new(issue.title.to_string());
    let category = RwSignal::new(issue.category);
    let priority = RwSignal::new(issue.priority);
    let due = RwSignal::new(
        issue
            .due_at
            .map(|t| Date::of_millis(t).to_string())
            .unwrap_or_default(),
    );
    let title_error = RwSignal::new(None::<DomainError>);
    let due_error = RwSignal::new(None::<DomainError>);
    let failure = RwSignal::new(None::<String>);
    let id = issue.id.to_string();
    let before = issue.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let t = IssueTitle::parse(&title.get_untracked());
        let d = parse_due(&due.get_untracked());
        title_error.set(t.as_ref().err().cloned());
        due_error.set(d.as_ref().err().cloned());
        let (Ok(t), Ok(d)) = (t, d) else { return };
        // Only what differs from the record as shown, as the record serialises it.
        let mut fields = Map::new();
        if t != before.title {
            fields.insert("title".into(), Value::from(t.as_str()));
        }
        let (c, p) = (category.get_untracked(), priority.get_untracked());
        if c != before.category {
            fields.insert("category".into(), Value::from(c.code()));
        }
        if p != before.priority {
            fields.insert("priority".into(), Value::from(p.code()));
        }
        if d != before.due_at {
            fields.insert("due_at".into(), d.map_or(Value::Null, Value::from));
        }
        if fields.is_empty() {
            open.set(false);
            return;
        }
        let (store, id) = ((*store).clone(), id.clone());
        leptos::task::spawn_local(async move {
            match store.edit(Collection::Issues, &id, fields).await {
                Ok(changed) => {
                    open.set(false);
                    if changed {
                        sync.changed();
                    }
                }
                Err(e) => failure.set(Some(e.message(lang.get_untracked()))),
            }
        });
    };
    view! {
        <section class="issue-edit">
            <button type="button" class="button small secondary" aria-expanded=move || open.get().to_string()
                on:click=move |_| open.update(|o| *o = !*o)>
                {tr(IssueMsg::EditIssue)}
            </button>
            {move || open.get().then(|| { let submit = submit.clone(); view! {
                <form class="form" novalidate on:submit=submit aria-label=tr(IssueMsg::EditIssue)>
                    <div class="field">
                        <label for="edit-title">{tr(IssueMsg::FieldTitle)}</label>
                        <input type="text" id="edit-title" aria-describedby="edit-title-error" prop:value=move || title.get()
                            aria-invalid=move || title_error.with(Option::is_some).to_string()
                            on:input=move |ev| title.set(event_target_value(&ev))/>
                        {move || title_error.get().map(|e| view! { <p class="field-error" id="edit-title-error">{core_message!(e, lang.get())}</p> })}
                    </div>
                    <div class="field">
                        <label for="edit-category">{tr(IssueMsg::FieldCategory)}</label>
                        <select id="edit-category" on:change=move |ev| if let Some(c) = Category::from_code(&event_target_value(&ev)) { category.set(c) }>
                            {Category::ALL.into_iter().map(|c| view! {
                                <option value=c.code() prop:selected=move || category.get() == c>{move || core_label!(c, lang.get())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="edit-priority">{tr(IssueMsg::FieldPriority)}</label>
                        <select id="edit-priority" on:change=move |ev| if let Some(p) = Priority::from_code(&event_target_value(&ev)) { priority.set(p) }>
                            {Priority::ALL.into_iter().map(|p| view! {
                                <option value=p.code() prop:selected=move || priority.get() == p>{move || core_label!(p, lang.get())}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="edit-due">{tr(IssueMsg::FieldDue)}</label>
                        <input type="date" id="edit-due" aria-describedby="edit-due-error" prop:value=move || due.get()
                            aria-invalid=move || due_error.with(Option::is_some).to_string()
                            on:input=move |ev| due.set(event_target_value(&ev))/>
                        {move || due_error.get().map(|e| view! { <p class="field-error" id="edit-due-error">{core_message!(e, lang.get())}</p> })}
                    </div>
                    {move || failure.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
                    <div class="form-buttons">
                        <button type="submit" class="button">{tr(IssueMsg::SaveChanges)}</button>
                        <button type="button" class="button secondary" on:click=move |_| open.set(false)>{tr(IssueMsg::Cancel)}</button>
                    </div>
                </form>
            }})}
        </section>
    }
}

/// The label of an issue field named in a sync conflict.
pub fn field_label(field: &str, lang: Lang) -> String {
    let msg = match field {
        "title" => IssueMsg::FieldTitle,
        "category" => IssueMsg::FieldCategory,
        "priority" => IssueMsg::FieldPriority,
        "due_at" => IssueMsg::FieldDue,
        "description" => IssueMsg::FieldDescription,
        "grid" => IssueMsg::FieldGrid,
        other => return other.to_string(),
    };
    msg.text(lang).to_string()
}

/// A field's value from a sync conflict, as a person reads it.
pub fn value_label(field: &str, value: &Value, lang: Lang) -> String {
    let code = value.as_str().unwrap_or_default();
    match (field, value) {
        (_, Value::Null) => "—".into(),
        ("category", _) => {
            Category::from_code(code).map_or(code.into(), |c| core_label!(c, lang).into())
        }
        ("priority", _) => {
            Priority::from_code(code).map_or(code.into(), |p| core_label!(p, lang).into())
        }
        ("due_at", Value::Number(n)) => n.as_f64().map(date).unwrap_or_default(),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}
