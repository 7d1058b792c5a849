//! Settings (设置): language, storage protection, the phone's data (export to a JSON file,
//! import one from another phone), the account (log out, refused while changes wait to
//! sync), app updates and the version.

use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::people::Role;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::components::update_prompt::UpdateCard;
use crate::context::{session, use_session, use_store, use_sync};
use crate::format::{date, date_time, now_ms};
use crate::i18n::settings::SettingsMsg;
use crate::i18n::{tr, use_lang, Lang, Msg, Text};
use crate::store::export::{ExportFile, ImportReport};
use crate::store::{remembered_persistence, request_persistence, Persistence};
use crate::sync::account::{log_out, LogoutBlocked};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let lang = use_lang();
    let choose = move |l: Lang| {
        l.save();
        lang.set(l);
    };
    view! {
        <section class="page settings" aria-labelledby="settings-title">
            <h2 id="settings-title">{tr(Msg::SettingsTitle)}</h2>
            <fieldset class="card">
                <legend>{tr(Msg::Language)}</legend>
                <label class="choice">
                    <input type="radio" name="lang" prop:checked=move || lang.get() == Lang::Zh
                        on:change=move |_| choose(Lang::Zh)/>
                    "中文"
                </label>
                <label class="choice">
                    <input type="radio" name="lang" prop:checked=move || lang.get() == Lang::En
                        on:change=move |_| choose(Lang::En)/>
                    "English"
                </label>
            </fieldset>
            <PersistenceCard/>
            <crate::components::photo_settings::PhotoSettings/>
            <DataCard/>
            {(!wangge_core::people::only_unit_contact(&crate::context::session().user.roles))
                .then(|| view! { <crate::pages::assess::AssessCard/> })}
            <crate::pages::export::ExportCard/>
            <AccountCard/>
            <UpdateCard/>
            <p class="muted">{tr(Msg::AppVersion)} " " {env!("CARGO_PKG_VERSION")}</p>
        </section>
    }
}

/// Where the export or import stands.
#[derive(Clone)]
enum Step {
    Idle,
    Busy(SettingsMsg),
    Exported(String),
    /// A file read and checked, waiting for the worker to confirm.
    Confirm(Arc<ExportFile>),
    Imported(ImportReport),
    Failed(String),
}

#[component]
fn DataCard() -> impl IntoView {
    let store = use_store();
    let sync = use_sync();
    let lang = use_lang();
    let me = session();
    let step = RwSignal::new(Step::Idle);
    let export = {
        let (store, username) = (store.clone(), me.username.clone());
        move |_| {
            let (store, username) = (store.clone(), username.clone());
            let l = lang.get_untracked();
            step.set(Step::Busy(SettingsMsg::Exporting));
            leptos::task::spawn_local(async move {
                let now = now_ms() as f64;
                let name = format!("wangge-{username}-{}.json", date(now));
                let done = match store.export_all(&username, now).await {
                    Ok(json) => download(&name, &json)
                        .map(|()| Step::Exported(name))
                        .unwrap_or_else(|_| Step::Failed(SettingsMsg::ExportFailed.text(l).into())),
                    Err(e) => Step::Failed(format!("{}{}", SettingsMsg::ExportFailed.text(l), e.message(l))),
                };
                step.set(done);
            });
        }
    };
    let me_name = me.username.clone();
    let chosen = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        // Cleared so choosing the same file again still fires.
        input.set_value("");
        let (l, username) = (lang.get_untracked(), me_name.clone());
        step.set(Step::Busy(SettingsMsg::ImportReading));
        leptos::task::spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
            step.set(match ExportFile::parse(&text) {
                Ok(f) if !f.exported_by.is_empty() && f.exported_by != username => {
                    Step::Failed(format!("{}{}", SettingsMsg::ImportOtherUser.text(l), f.exported_by))
                }
                Ok(f) => Step::Confirm(Arc::new(f)),
                Err(e) => Step::Failed(e.message(l)),
            });
        });
    };
    let confirm = Callback::new(move |file: Arc<ExportFile>| {
        let store = store.clone();
        let l = lang.get_untracked();
        step.set(Step::Busy(SettingsMsg::ImportReading));
        leptos::task::spawn_local(async move {
            step.set(match store.import_file(&file).await {
                Ok(report) => {
                    sync.changed();
                    Step::Imported(report)
                }
                Err(e) => Step::Failed(e.message(l)),
            });
        });
    });
    let busy = move || matches!(step.get(), Step::Busy(_) | Step::Confirm(_));
    view! {
        <section class="card data" aria-labelledby="data-title">
            <h3 id="data-title">{tr(SettingsMsg::DataTitle)}</h3>
            <p class="muted">{tr(SettingsMsg::ExportHint)}</p>
            <button type="button" class="button" on:click=export disabled=busy>{tr(SettingsMsg::ExportData)}</button>
            <p class="muted">{tr(SettingsMsg::ImportHint)}</p>
            <label class="button secondary file-button" class:disabled=busy>
                {tr(SettingsMsg::ImportData)}
                <input type="file" accept="application/json,.json" class="visually-hidden" on:change=chosen disabled=busy/>
            </label>
            {move || step.with(|st| message(st, lang.get())).map(|(text, class)| view! {
                <p class=class role=if class == "error" { "alert" } else { "status" }>{text}</p>
            })}
            <dl class="pairs">
                {move || step.with(|st| pairs(st, lang.get())).into_iter()
                    .map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect_view()}
            </dl>
            {move || match step.get() {
                Step::Confirm(file) => Some(view! {
                    <div class="actions">
                        <button type="button" class="button" on:click=move |_| confirm.run(file.clone())>{tr(SettingsMsg::ImportConfirm)}</button>
                        <button type="button" class="button secondary" on:click=move |_| step.set(Step::Idle)>{tr(SettingsMsg::ImportCancel)}</button>
                    </div>
                }),
                _ => None,
            }}
        </section>
    }
}

/// The line saying where an export or import stands, and its style.
fn message(step: &Step, l: Lang) -> Option<(String, &'static str)> {
    Some(match step {
        Step::Idle | Step::Confirm(_) => return None,
        Step::Busy(m) => (m.text(l).to_string(), "muted"),
        Step::Exported(name) => (format!("{}{name}", SettingsMsg::ExportDone.text(l)), "ok"),
        Step::Failed(e) => (e.clone(), "error"),
        Step::Imported(r) if r.other_server => {
            (format!("✓ {} {}", SettingsMsg::ImportDone.text(l), SettingsMsg::ImportOtherServer.text(l)), "ok")
        }
        Step::Imported(_) => (format!("✓ {}", SettingsMsg::ImportDone.text(l)), "ok"),
    })
}

/// What a file holds (before importing) or what importing it did.
fn pairs(step: &Step, l: Lang) -> Vec<(&'static str, String)> {
    match step {
        Step::Confirm(f) => vec![
            (SettingsMsg::ImportSummaryFrom.text(l), f.exported_by.clone()),
            (SettingsMsg::ImportSummaryAt.text(l), date_time(f.exported_at)),
            (SettingsMsg::ImportSummaryRecords.text(l), f.record_count().to_string()),
            (SettingsMsg::ImportSummaryPending.text(l), f.outbox.len().to_string()),
        ],
        Step::Imported(r) => vec![
            (SettingsMsg::ImportAdded.text(l), r.records_added.to_string()),
            (SettingsMsg::ImportKept.text(l), r.records_kept.to_string()),
            (SettingsMsg::ImportQueued.text(l), r.changes_queued.to_string()),
        ],
        _ => Vec::new(),
    }
}

/// Saves `text` as a file through a temporary object URL (works offline: nothing leaves
/// the phone).
fn download(name: &str, text: &str) -> Result<(), wasm_bindgen::JsValue> {
    let parts = js_sys::Array::of1(&text.into());
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/json");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document().create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    document().body().ok_or("no body")?.append_child(&a)?;
    a.click();
    a.remove();
    // The browser reads the URL after the click returns; let it go a little later.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(30),
    );
    Ok(())
}

#[component]
fn AccountCard() -> impl IntoView {
    let store = use_store();
    let sync = use_sync();
    let status = sync.status();
    let lang = use_lang();
    let session_signal = use_session();
    let me = session();
    let blocked = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let out = Callback::new(move |force: bool| {
        let store = store.clone();
        let l = lang.get_untracked();
        // Read now: contexts are not reachable from inside a spawned task.
        let Some(me) = session_signal.get_untracked() else {
            return;
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            match log_out(&store, &me, force).await {
                // The root shows the login screen once nobody is logged in.
                Ok(()) => session_signal.set(None),
                Err(LogoutBlocked::Pending(_)) => blocked.set(true),
                Err(LogoutBlocked::Store(e)) => {
                    error.set(Some(format!("{}{}", SettingsMsg::LogoutFailed.text(l), e.message(l))))
                }
            }
            busy.set(false);
        });
    });
    let force = move |_| {
        let sure =
            window().confirm_with_message(SettingsMsg::LogoutForceConfirm.text(lang.get_untracked())).unwrap_or(false);
        if sure {
            out.run(true);
        }
    };
    view! {
        <section class="card account" aria-labelledby="account-title">
            <h3 id="account-title">{tr(SettingsMsg::AccountTitle)}</h3>
            <p>{tr(SettingsMsg::LoggedInAs)} "：" {me.user.name.clone()} <span class="muted">" (" {me.username.clone()} ")"</span></p>
            <button type="button" class="button secondary" disabled=busy on:click=move |_| out.run(false)>
                {move || if busy.get() { SettingsMsg::LoggingOut } else { SettingsMsg::LogOut }.text(lang.get())}
            </button>
            // Administration is a separate wasm at /admin/ (crates/wangge-admin), online only:
            // the worker's download carries only this link.
            {me.user.roles.iter().any(|r| matches!(r, Role::CommunitySecretary | Role::TownStaff | Role::DistrictStaff)).then(|| view! {
                <a class="button secondary admin-link" href="/admin/">{tr(SettingsMsg::AdminLink)}</a>
            })}
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            {move || {
                let pending = status.get().pending;
                (blocked.get() && pending > 0).then(|| view! {
                    <div class="blocked" role="alert">
                        <p>{move || format!("{} {pending} {}", SettingsMsg::LogoutPendingBefore.text(lang.get()),
                            SettingsMsg::LogoutPendingAfter.text(lang.get()))}</p>
                        <div class="actions">
                            <button type="button" class="button" on:click=move |_| sync.sync_now()
                                disabled=move || status.get().running>
                                {tr(crate::i18n::sync::SyncMsg::SyncNow)}
                            </button>
                            <button type="button" class="button secondary danger" on:click=force>{tr(SettingsMsg::LogoutForce)}</button>
                        </div>
                    </div>
                })
            }}
        </section>
    }
}

/// Whether the browser keeps this phone's records when storage runs low, and a way to ask
/// again while it does not (the browser may say yes later, e.g. once the app is installed).
#[component]
fn PersistenceCard() -> impl IntoView {
    let lang = use_lang();
    let state = RwSignal::new(remembered_persistence());
    let asking = RwSignal::new(false);
    let ask = move |_| {
        asking.set(true);
        leptos::task::spawn_local(async move {
            let answer = request_persistence().await;
            let _ = state.try_set(Some(answer));
            let _ = asking.try_set(false);
        });
    };
    view! {
        <section class="card persistence" aria-labelledby="persist-title">
            <h3 id="persist-title">{tr(Msg::StoragePersistence)}</h3>
            <p role="status">{move || match state.get() {
                Some(Persistence::Granted) => Msg::PersistGranted,
                _ => Msg::PersistDenied,
            }.text(lang.get())}</p>
            {move || (state.get() != Some(Persistence::Granted)).then(|| view! {
                <button type="button" class="button small secondary" disabled=move || asking.get() on:click=ask>
                    {tr(Msg::PersistAskAgain)}
                </button>
            })}
        </section>
    }
}
