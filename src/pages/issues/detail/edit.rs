//! Editing an issue's own fields (title, category, priority, due date). Only the fields
//! the worker changed are sent, each with the server version it was based on
//! (`Store::edit_seen`), so an edit of the same field on two phones surfaces as a conflict
//! instead of one silently overwriting the other.

use leptos::prelude::*;
use serde_json::{Map, Value};
use wangge_core::issue::{Category, Issue, Priority};
use wangge_core::sync::Collection;
use wangge_core::{Date, DomainError, IssueTitle, Millis};

use super::super::common::{core_label, core_message};
use super::super::new::parse_due;
use super::{editable, Detail, Shown};
use crate::context::{session, use_store, use_sync};
use crate::format::date;
use crate::i18n::issues::IssueMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::store::Bases;

/// The edit form's state, owned by the page (above what a data change re-renders) so a
/// sync never closes the form or drops what is typed.
#[derive(Clone, Copy)]
pub struct EditDraft {
    open: RwSignal<bool>,
    /// The issue and its field bases as the form opened on them: what the worker's
    /// changes are measured against (see the submit handler).
    seen: StoredValue<Option<(Issue, Bases)>>,
    title: RwSignal<String>,
    category: RwSignal<Category>,
    priority: RwSignal<Priority>,
    due: RwSignal<String>,
    title_error: RwSignal<Option<DomainError>>,
    due_error: RwSignal<Option<DomainError>>,
    failure: RwSignal<Option<String>>,
}

impl Default for EditDraft {
    fn default() -> EditDraft {
        EditDraft {
            open: RwSignal::new(false),
            seen: StoredValue::new(None),
            title: RwSignal::new(String::new()),
            category: RwSignal::new(Category::Other),
            priority: RwSignal::new(Priority::Normal),
            due: RwSignal::new(String::new()),
            title_error: RwSignal::new(None),
            due_error: RwSignal::new(None),
            failure: RwSignal::new(None),
        }
    }
}

impl EditDraft {
    /// Opens the form on the issue as it is now, and remembers it.
    fn open_on(self, d: &Detail) {
        let issue = &d.row.issue;
        self.title.set(issue.title.to_string());
        self.category.set(issue.category);
        self.priority.set(issue.priority);
        self.due.set(due_text(issue.due_at));
        self.title_error.set(None);
        self.due_error.set(None);
        self.failure.set(None);
        self.seen.set_value(Some((issue.clone(), d.bases.clone())));
        self.open.set(true);
    }

    fn close(self) {
        self.open.set(false);
        self.seen.set_value(None);
    }
}

/// A due date as the date field shows it.
fn due_text(due_at: Option<Millis>) -> String {
    due_at.map(|t| Date::of_millis(t).to_string()).unwrap_or_default()
}

/// The edit button and form, while the user may edit the issue (a sync can move it out of
/// their hands; what was typed then waits in the draft).
#[component]
pub fn EditPanel(detail: Shown, draft: EditDraft) -> impl IntoView {
    let me = session();
    let allowed = Memo::new(move |_| detail.with(|d| d.is_some_and(|d| editable(&me, d))));
    move || allowed.get().then(|| view! { <EditForm detail draft/> })
}

#[component]
fn EditForm(detail: Shown, draft: EditDraft) -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let sync = use_sync();
    let EditDraft { open, title, category, priority, due, title_error, due_error, failure, .. } = draft;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((before, bases)) = draft.seen.get_value() else {
            return;
        };
        let t = IssueTitle::parse(&title.get_untracked());
        let d = parse_due(&due.get_untracked());
        title_error.set(t.as_ref().err().cloned());
        due_error.set(d.as_ref().err().cloned());
        let (Ok(t), Ok(d)) = (t, d) else { return };
        let fields = changes(&before, &t, d, draft);
        if fields.is_empty() {
            draft.close();
            return;
        }
        let (store, id) = (store.clone(), before.id.to_string());
        leptos::task::spawn_local(async move {
            match store.edit_seen(Collection::Issues, &id, fields, Some(&bases)).await {
                Ok(changed) => {
                    draft.close();
                    if changed {
                        sync.changed();
                    }
                }
                Err(e) => failure.set(Some(e.message(lang.get_untracked()))),
            }
        });
    };
    let toggle = move |_| {
        if open.get_untracked() {
            draft.close();
        } else {
            detail.with_untracked(|d| d.map(|d| draft.open_on(d)));
        }
    };
    view! {
        <section class="issue-edit">
            <button type="button" class="button small secondary" aria-expanded=move || open.get().to_string()
                on:click=toggle>
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
                        <button type="button" class="button secondary" on:click=move |_| draft.close()>{tr(IssueMsg::Cancel)}</button>
                    </div>
                </form>
            }})}
        </section>
    }
}

/// The fields the worker changed, as the record serialises them, measured against the
/// issue as the form opened on it (`before`) — never against a newer copy a sync brought
/// in meanwhile: a field the worker left alone would differ from that copy and be sent
/// back with the old value, silently undoing another device's change. What is sent goes
/// with the bases the form saw (`Store::edit_seen`), so a field another device also
/// changed meanwhile becomes a conflict to settle rather than being replaced by a value
/// chosen without seeing it. The due date is compared as the field showed it, since a
/// date keeps only the day of a stored time.
fn changes(before: &Issue, title: &IssueTitle, due: Option<Millis>, draft: EditDraft) -> Map<String, Value> {
    let mut fields = Map::new();
    if *title != before.title {
        fields.insert("title".into(), Value::from(title.as_str()));
    }
    let (c, p) = (draft.category.get_untracked(), draft.priority.get_untracked());
    if c != before.category {
        fields.insert("category".into(), Value::from(c.code()));
    }
    if p != before.priority {
        fields.insert("priority".into(), Value::from(p.code()));
    }
    if draft.due.with_untracked(|t| t.trim() != due_text(before.due_at)) {
        fields.insert("due_at".into(), due.map_or(Value::Null, Value::from));
    }
    fields
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
        ("category", _) => Category::from_code(code).map_or(code.into(), |c| core_label!(c, lang).into()),
        ("priority", _) => Priority::from_code(code).map_or(code.into(), |p| core_label!(p, lang).into()),
        ("due_at", Value::Number(n)) => n.as_f64().map(date).unwrap_or_default(),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}
