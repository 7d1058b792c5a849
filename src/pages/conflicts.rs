//! Conflicts (同步冲突): field edits that lost to a newer value on the server, for the
//! worker to settle — keep the server's value or use the one set aside — and changes the
//! server refused, with its reason. Nothing here was dropped: both sides are kept until
//! a person decides.

use leptos::prelude::*;
use serde_json::Value;
use wangge_core::issue::may_edit_issue;
use wangge_core::people::{keeps_roster, only_unit_contact};
use wangge_core::record_type::{describe, member_name, Shown};
use wangge_core::refusal::{Forbidden, Refusal};
use wangge_core::sync::{Collection, FieldConflict};
use wangge_core::UnitId;

use crate::components::read_failed::ReadFailed;
use crate::context::{session, use_store, use_sync, StoreHandle};
use crate::i18n::core_text::refusal_text;
use crate::i18n::sync::SyncMsg;
use crate::i18n::{tr, use_lang, Lang};
use crate::route::{navigate, use_route, Route};
use crate::session::Session;
use crate::store::{RejectedChange, Store, StoreError};

#[component]
pub fn ConflictsPage() -> impl IntoView {
    let store = use_store();
    let sync = use_sync();
    let data = {
        let store = store.clone();
        LocalResource::new(move || {
            sync.data_version().track();
            let store = store.clone();
            let me = session();
            async move {
                // A failed read is shown as such: "no conflicts" would contradict the
                // count on the sync line. The names below are labels, best effort.
                let conflicts = store.open_conflicts().await?;
                // Read once for every card: which units the user answers for.
                let units = store.my_units(&me.user.person_id).await?;
                let mut items = Vec::with_capacity(conflicts.len());
                for c in conflicts {
                    let name = record_name(&store, &c).await;
                    let actor = store.person(&c.actor).await.ok().flatten().map(|p| p.name.to_string());
                    let refused = edit_refusal(&store, &me, &units, &c).await?;
                    items.push((c, name, actor, refused));
                }
                let rejected = store.rejected_changes().await?;
                Ok::<_, StoreError>((items, rejected))
            }
        })
    };
    view! {
        <section class="page" aria-labelledby="conflicts-title">
            <h2 id="conflicts-title">{tr(SyncMsg::ConflictsTitle)}</h2>
            <Transition>
                {move || data.get().map(|read| match read {
                    Err(e) => view! { <ReadFailed error=e/> }.into_any(),
                    Ok((conflicts, rejected)) => view! {
                        {conflicts.is_empty().then(|| view! { <p class="empty">{tr(SyncMsg::ConflictsNone)}</p> })}
                        {(!conflicts.is_empty()).then(|| view! { <p class="muted">{tr(SyncMsg::ConflictIntro)}</p> })}
                        <ul class="list">
                            {conflicts.into_iter().map(|(c, name, actor, refused)| view! { <ConflictCard conflict=c name actor refused store=store.clone()/> }).collect_view()}
                        </ul>
                        {(!rejected.is_empty()).then(|| view! { <h3>{tr(SyncMsg::RejectedTitle)}</h3> })}
                        <ul class="list">
                            {rejected.into_iter().map(|r| view! { <RejectedCard change=r store=store.clone()/> }).collect_view()}
                        </ul>
                    }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ConflictCard(
    conflict: FieldConflict,
    name: String,
    actor: Option<String>,
    /// Why the value set aside cannot be put back by this user (the server would refuse
    /// it): then only the server's value is offered, with the reason.
    refused: Option<Refusal>,
    store: StoreHandle,
) -> impl IntoView {
    let lang = use_lang();
    let sync = use_sync();
    let route = use_route();
    let error = RwSignal::new(None::<String>);
    let settle = {
        let conflict = conflict.clone();
        move |keep_mine: bool| {
            let (store, conflict) = (store.clone(), conflict.clone());
            leptos::task::spawn_local(async move {
                match store.settle_conflict(&conflict, keep_mine).await {
                    Ok(()) => sync.changed(),
                    Err(e) => error.set(Some(e.message(lang.get_untracked()))),
                }
            });
        }
    };
    let settle_mine = settle.clone();
    let field = conflict.field.clone();
    let collection = conflict.collection;
    let (server, mine) = (conflict.server_value.clone(), conflict.device_value.clone());
    let target = screen_of(collection, &conflict.record_id);
    // A member clash names the member ("家庭成员 · 王小军"): a household has several.
    let member = member_name(&conflict.field, &conflict.device_value);
    let field_text = move |l: Lang| {
        let label = describe(collection).field_label(&field, l.into());
        match &member {
            Some(m) => format!("{label} · {m}"),
            None => label,
        }
    };
    let label = format!("{name} · {}", field_text(Lang::Zh));
    view! {
        <li class="card conflict" aria-label=label>
            <h3>{name.clone()}</h3>
            <p><strong>{tr(SyncMsg::Field)}</strong> ": " {move || field_text(lang.get())}</p>
            <dl class="conflict-values">
                <dt>{tr(SyncMsg::ServerValue)}</dt>
                <dd>{{ let (f, v) = (conflict.field.clone(), server.clone()); move || show_value(collection, &f, &v, lang.get()) }}</dd>
                <dt>{tr(SyncMsg::MyValue)}</dt>
                <dd>{{ let (f, v) = (conflict.field.clone(), mine.clone()); move || show_value(collection, &f, &v, lang.get()) }}</dd>
                <dt>{tr(SyncMsg::ChangedBy)}</dt>
                <dd>{actor.unwrap_or_else(|| conflict.actor.clone())}</dd>
            </dl>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {refused.clone().map(|r| view! {
                <p class="muted">{move || if lang.get() == Lang::Zh { r.message_zh() } else { r.message_en() }}</p>
            })}
            <div class="actions">
                <button class="button small" type="button" on:click=move |_| settle(false)>{tr(SyncMsg::KeepServer)}</button>
                {refused.is_none().then(|| view! {
                    <button class="button small secondary" type="button" on:click=move |_| settle_mine(true)>{tr(SyncMsg::UseMine)}</button>
                })}
                {target.map(|to| view! {
                    <a class="link" href=to.path() on:click=move |ev| { ev.prevent_default(); navigate(route, to.clone()); }>
                        {tr(SyncMsg::OpenRecord)}
                    </a>
                })}
            </div>
        </li>
    }
}

#[component]
fn RejectedCard(change: RejectedChange, store: StoreHandle) -> impl IntoView {
    let sync = use_sync();
    let lang = use_lang();
    let key = change.key.clone();
    // The server's Chinese as sent, or the core's English for its code.
    let (code, message) = (change.code.clone(), change.message.clone());
    view! {
        <li class="card rejected">
            <p>{move || refusal_text(&code, &message, lang.get())}</p>
            <p class="muted">{change.code.clone()}</p>
            <button class="button small secondary" type="button" on:click=move |_| {
                let (store, key) = (store.clone(), key.clone());
                leptos::task::spawn_local(async move {
                    if store.dismiss_rejected(&key).await.is_ok() {
                        sync.changed();
                    }
                });
            }>{tr(SyncMsg::Dismiss)}</button>
        </li>
    }
}

/// What the worker calls the record (an issue's title, a household head's name), as
/// its record type's description reads it from the fields on this phone.
async fn record_name(store: &Store, c: &FieldConflict) -> String {
    store
        .record_fields(c.collection, &c.record_id)
        .await
        .ok()
        .flatten()
        .and_then(|fields| (describe(c.collection).name_of)(&fields))
        .unwrap_or_else(|| c.record_id.clone())
}

/// Why this user may not put the value set aside back, by the rules the server checks:
/// an issue's own fields follow the core's `may_edit` (its reporter, or whoever handles
/// its rung or above), so a secretary is not offered an edit of an issue now at the town;
/// people on the roster and meetings are kept by community staff and above; grids
/// through administration only; a task's own fields are its senders' (community staff and
/// above); a unit's contact writes no record at all. Households,
/// visits, units, mediation cases and list entries are anyone's in scope to edit.
async fn edit_refusal(
    store: &Store,
    me: &Session,
    units: &[UnitId],
    c: &FieldConflict,
) -> Result<Option<Refusal>, StoreError> {
    let keeps = keeps_roster(&me.user.roles);
    if only_unit_contact(&me.user.roles) {
        return Ok(Some(Refusal::ForbiddenRole(Forbidden::UnitContactOnly)));
    }
    Ok(match c.collection {
        Collection::Households | Collection::Visits | Collection::Units | Collection::Mediations => None,
        Collection::Grids => Some(Refusal::GridAdminOnly),
        Collection::People if !keeps => Some(Refusal::ForbiddenRole(Forbidden::PersonWrite)),
        Collection::Meetings if !keeps => Some(Refusal::ForbiddenRole(Forbidden::MeetingWrite)),
        Collection::Tasks if !keeps => Some(Refusal::ForbiddenRole(Forbidden::TaskSend)),
        // Reports are keyed by their reporter and never clash; a clash is on the switch.
        Collection::Emergencies if !crate::pages::emergency::switches(&me.user.roles) => {
            Some(Refusal::ForbiddenRole(Forbidden::EmergencySwitch))
        }
        Collection::People
        | Collection::Meetings
        | Collection::ListEntries
        | Collection::Tasks
        | Collection::Emergencies => None,
        Collection::Issues => {
            // The row keeps the state its events derive (updated with every step).
            let Some(row) = store.issue(&c.record_id).await? else { return Ok(None) };
            let actor = crate::pages::issues::detail::actor(me, &row.state, units);
            (!may_edit_issue(&actor, &row.issue, &row.state))
                .then_some(Refusal::EditNotAllowed { level: row.state.level })
        }
    })
}

/// The screen that shows a record of `collection`, for the types that have one.
fn screen_of(collection: Collection, id: &str) -> Option<Route> {
    match collection {
        Collection::Issues => Some(Route::Issue(id.to_string())),
        Collection::Households => Some(Route::Household(id.to_string())),
        Collection::Tasks => Some(Route::Task(id.to_string())),
        Collection::Emergencies => Some(Route::Emergency),
        Collection::Grids
        | Collection::People
        | Collection::Units
        | Collection::Visits
        | Collection::Meetings
        | Collection::Mediations
        | Collection::ListEntries => None,
    }
}

/// A value as a person reads it: the description's labels for codes, dates for times,
/// plain text for strings.
fn show_value(collection: Collection, field: &str, value: &Value, lang: Lang) -> String {
    if field == wangge_core::sync::WHOLE_RECORD {
        return wangge_core::record_type::whole_record_side(value, lang.into()).to_string();
    }
    let shown = describe(collection).field(field).map(|f| f.shown);
    if let Some(Shown::Labelled(label)) = shown {
        if let Some(l) = label(value, lang.into()) {
            return l;
        }
    }
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        Value::Number(n) if matches!(shown, Some(Shown::Time)) => {
            n.as_f64().map(crate::format::date).unwrap_or_default()
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn a_conflict_reads_in_the_ui_language_from_the_record_types_description() {
        let label = |c, f: &str, l: Lang| describe(c).field_label(f, l.into());
        assert_eq!(label(Collection::Issues, "priority", Lang::Zh), "紧急程度");
        assert_eq!(label(Collection::Issues, "priority", Lang::En), "Priority");
        assert_eq!(label(Collection::Households, "member:m3", Lang::En), "Members");
        assert_eq!(label(Collection::Households, wangge_core::sync::WHOLE_RECORD, Lang::Zh), "删除");
        let kept = json!({"id": "h1", "name": "王芳"});
        assert_eq!(show_value(Collection::Households, "*", &kept, Lang::Zh), "保留这条记录(含他人后来的修改)");
        assert_eq!(show_value(Collection::Households, "*", &Value::Null, Lang::En), "Delete the record");
        assert_eq!(show_value(Collection::Issues, "priority", &json!("urgent"), Lang::En), "Urgent");
        assert_eq!(show_value(Collection::Households, "status", &json!("moved_out"), Lang::Zh), "已迁出");
        assert_eq!(show_value(Collection::Issues, "title", &json!("路灯"), Lang::En), "路灯");
        assert_eq!(show_value(Collection::Issues, "due_at", &Value::Null, Lang::En), "—");
        assert_eq!(screen_of(Collection::Visits, "v1"), None);
    }
}
