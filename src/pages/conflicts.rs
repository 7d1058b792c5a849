//! Conflicts (同步冲突): field edits that lost to a newer value on the server, for the
//! worker to settle — keep the server's value or use the one set aside — and changes the
//! server refused, with its reason. Nothing here was dropped: both sides are kept until
//! a person decides.

use leptos::prelude::*;
use serde_json::Value;
use wangge_core::issue::{Category, Priority};
use wangge_core::sync::{Collection, FieldConflict};

use crate::components::read_failed::ReadFailed;
use crate::context::{use_store, use_sync, StoreHandle};
use crate::i18n::sync::SyncMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::route::{navigate, use_route, Route};
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
            async move {
                // A failed read is shown as such: "no conflicts" would contradict the
                // count on the sync line. The names below are labels, best effort.
                let conflicts = store.open_conflicts().await?;
                let mut items = Vec::with_capacity(conflicts.len());
                for c in conflicts {
                    let name = record_name(&store, &c).await;
                    let actor = store
                        .person(&c.actor)
                        .await
                        .ok()
                        .flatten()
                        .map(|p| p.name.to_string());
                    items.push((c, name, actor));
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
                            {conflicts.into_iter().map(|(c, name, actor)| view! { <ConflictCard conflict=c name actor store=store.clone()/> }).collect_view()}
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
    let (server, mine) = (conflict.server_value.clone(), conflict.device_value.clone());
    let target = (conflict.collection == Collection::Issues)
        .then(|| Route::Issue(conflict.record_id.clone()))
        .or_else(|| {
            (conflict.collection == Collection::Households)
                .then(|| Route::Household(conflict.record_id.clone()))
        });
    // A member clash names the member ("家庭成员 · 王小军"): a household has several.
    let member = crate::pages::roster::labels::member_name(&conflict.field, &conflict.device_value);
    let field_text = move |l: Lang| match &member {
        Some(m) => format!("{} · {m}", field_label(&field, l)),
        None => field_label(&field, l),
    };
    let label = format!("{name} · {}", field_text(Lang::Zh));
    view! {
        <li class="card conflict" aria-label=label>
            <h3>{name.clone()}</h3>
            <p><strong>{tr(SyncMsg::Field)}</strong> ": " {move || field_text(lang.get())}</p>
            <dl class="conflict-values">
                <dt>{tr(SyncMsg::ServerValue)}</dt>
                <dd>{{ let (f, v) = (conflict.field.clone(), server.clone()); move || show_value(&f, &v, lang.get()) }}</dd>
                <dt>{tr(SyncMsg::MyValue)}</dt>
                <dd>{{ let (f, v) = (conflict.field.clone(), mine.clone()); move || show_value(&f, &v, lang.get()) }}</dd>
                <dt>{tr(SyncMsg::ChangedBy)}</dt>
                <dd>{actor.unwrap_or_else(|| conflict.actor.clone())}</dd>
            </dl>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="actions">
                <button class="button small" type="button" on:click=move |_| settle(false)>{tr(SyncMsg::KeepServer)}</button>
                <button class="button small secondary" type="button" on:click=move |_| settle_mine(true)>{tr(SyncMsg::UseMine)}</button>
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
    let key = change.key.clone();
    view! {
        <li class="card rejected">
            <p>{change.message.clone()}</p>
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

/// What the worker calls the record: an issue's title, a household head's name.
async fn record_name(store: &Store, c: &FieldConflict) -> String {
    match c.collection {
        Collection::Issues => store
            .issue(&c.record_id)
            .await
            .ok()
            .flatten()
            .map(|r| r.title),
        Collection::Households => store
            .household(&c.record_id)
            .await
            .ok()
            .flatten()
            .map(|h| h.name),
        _ => None,
    }
    .unwrap_or_else(|| c.record_id.clone())
}

fn field_label(field: &str, lang: Lang) -> String {
    if let Some(l) = crate::pages::roster::labels::household_field(field, lang) {
        return l;
    }
    let msg = match field {
        "title" => SyncMsg::FieldTitle,
        "description" => SyncMsg::FieldDescription,
        "priority" => SyncMsg::FieldPriority,
        "category" => SyncMsg::FieldCategory,
        "due_at" => SyncMsg::FieldDue,
        "address" => SyncMsg::FieldAddress,
        f if f.starts_with(wangge_core::household::MEMBER_FIELD_PREFIX) => SyncMsg::FieldMembers,
        "tags" => SyncMsg::FieldTags,
        "_deleted" => SyncMsg::FieldDeleted,
        other => return other.to_string(),
    };
    msg.text(lang).to_string()
}

/// A value as a person reads it: labels for codes, plain text for strings.
fn show_value(field: &str, value: &Value, lang: Lang) -> String {
    let code = value.as_str().unwrap_or_default();
    let label = match field {
        "priority" => Priority::from_code(code).map(|p| {
            if lang == Lang::Zh {
                p.label_zh()
            } else {
                p.label_en()
            }
        }),
        "category" => Category::from_code(code).map(|c| {
            if lang == Lang::Zh {
                c.label_zh()
            } else {
                c.label_en()
            }
        }),
        _ => None,
    };
    if let Some(l) = crate::pages::roster::labels::household_value(field, value, lang) {
        return l;
    }
    match (label, value) {
        (Some(l), _) => l.to_string(),
        (None, Value::String(s)) => s.clone(),
        (None, Value::Null) => "—".into(),
        (None, Value::Number(n)) if field.ends_with("_at") => {
            n.as_f64().map(crate::format::date).unwrap_or_default()
        }
        (None, other) => other.to_string(),
    }
}
