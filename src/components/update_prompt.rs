//! The update prompt: when a new version of the app has been downloaded by the service
//! worker and is waiting, offer "有新版本，点击更新". A tap tells the waiting worker to
//! take over (`public/sw.js` listens for the message `"skip-waiting"`), and the page
//! reloads once the new worker controls it — never before, so nothing typed is lost to
//! an update the worker did not ask for.
//!
//! The state is one per page (a thread-local signal), so the banner and the Settings card
//! agree. The worker handles come through `js_sys::Reflect`: `ServiceWorker` is not among
//! the app's web-sys features and the few calls needed do not justify adding it.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration};

use crate::i18n::settings::SettingsMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::route::{use_route, Route};

/// The message `public/sw.js` answers with `skipWaiting()`.
const SKIP_WAITING: &str = "skip-waiting";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateState {
    /// No service worker here (an old browser, or not a secure context).
    Unsupported,
    /// Running the newest version known.
    Current,
    Checking,
    /// A new version is installed and waiting.
    Ready,
    Applying,
}

thread_local! {
    static STATE: ArcRwSignal<UpdateState> = ArcRwSignal::new(UpdateState::Current);
    static REGISTRATION: RefCell<Option<ServiceWorkerRegistration>> = const { RefCell::new(None) };
    static WATCHING: Cell<bool> = const { Cell::new(false) };
}

fn state() -> ArcRwSignal<UpdateState> {
    STATE.with(Clone::clone)
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    let present = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    present.then(|| navigator.service_worker())
}

fn get(target: &JsValue, name: &str) -> Option<JsValue> {
    js_sys::Reflect::get(target, &name.into()).ok().filter(|v| !v.is_null() && !v.is_undefined())
}

/// Starts watching the registration, once per page.
fn watch() {
    if WATCHING.with(|w| w.replace(true)) {
        return;
    }
    let Some(container) = container() else {
        state().set(UpdateState::Unsupported);
        return;
    };
    leptos::task::spawn_local(async move {
        let Ok(ready) = container.ready() else { return };
        let Ok(reg) = JsFuture::from(ready).await else {
            return;
        };
        let reg: ServiceWorkerRegistration = reg.unchecked_into();
        REGISTRATION.with(|r| *r.borrow_mut() = Some(reg.clone()));
        check_waiting(&reg);
        let on_found = {
            let reg = reg.clone();
            Closure::<dyn Fn()>::new(move || {
                let Some(installing) = get(&reg, "installing") else {
                    return;
                };
                let (reg, worker) = (reg.clone(), installing.clone());
                let on_state = Closure::<dyn Fn()>::new(move || {
                    if get(&worker, "state").and_then(|s| s.as_string()).as_deref() == Some("installed") {
                        check_waiting(&reg);
                    }
                });
                let target: web_sys::EventTarget = installing.unchecked_into();
                let _ = target.add_event_listener_with_callback("statechange", on_state.as_ref().unchecked_ref());
                on_state.forget();
            })
        };
        let _ = reg.add_event_listener_with_callback("updatefound", on_found.as_ref().unchecked_ref());
        // The listener lives as long as the page.
        on_found.forget();
    });
}

/// Ready when a worker waits *and* an older one controls the page: the very first
/// install has nothing to replace, so it is not an update.
fn check_waiting(reg: &ServiceWorkerRegistration) {
    let controlled = container().and_then(|c| get(&c, "controller")).is_some();
    if controlled && get(reg, "waiting").is_some() {
        state().set(UpdateState::Ready);
    }
}

/// Asks the server whether there is a newer version (Settings' "检查更新").
fn check_now() {
    let Some(reg) = REGISTRATION.with(|r| r.borrow().clone()) else {
        return;
    };
    let s = state();
    s.set(UpdateState::Checking);
    leptos::task::spawn_local(async move {
        if let Ok(p) = reg.update() {
            let _ = JsFuture::from(p).await;
        }
        check_waiting(&reg);
        s.update(|st| {
            if *st == UpdateState::Checking {
                *st = UpdateState::Current;
            }
        });
    });
}

/// Lets the waiting worker take over, then reloads into the new version.
fn apply() {
    let (Some(container), Some(reg)) = (container(), REGISTRATION.with(|r| r.borrow().clone())) else {
        return;
    };
    let Some(waiting) = get(&reg, "waiting") else {
        return;
    };
    state().set(UpdateState::Applying);
    let reload = Closure::<dyn Fn()>::new(|| {
        let _ = window().location().reload();
    });
    let _ = container.add_event_listener_with_callback("controllerchange", reload.as_ref().unchecked_ref());
    reload.forget();
    if let Some(post) = get(&waiting, "postMessage").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let _ = post.call1(&waiting, &JsValue::from_str(SKIP_WAITING));
    }
}

/// The banner over every screen while a new version waits (Settings shows its own card).
#[component]
pub fn UpdatePrompt() -> impl IntoView {
    watch();
    let route = use_route();
    let s = state();
    move || {
        let st = s.get();
        let show = matches!(st, UpdateState::Ready | UpdateState::Applying) && route.get() != Route::Settings;
        show.then(|| view! {
            <div class="update-banner no-print" role="status">
                <button type="button" class="button small" disabled={st == UpdateState::Applying} on:click=|_| apply()>
                    {tr(if st == UpdateState::Applying { SettingsMsg::UpdateApplying } else { SettingsMsg::UpdateReady })}
                </button>
            </div>
        })
    }
}

/// Settings' card: the state in words, "check for updates", and "update" when ready.
#[component]
pub fn UpdateCard() -> impl IntoView {
    watch();
    let lang = use_lang();
    let s = state();
    view! {
        <section class="card" aria-labelledby="update-title">
            <h3 id="update-title">{tr(SettingsMsg::UpdateTitle)}</h3>
            {move || {
                let l = lang.get();
                match s.get() {
                    UpdateState::Unsupported => view! { <p class="muted">{SettingsMsg::UpdateUnsupported.text(l)}</p> }.into_any(),
                    UpdateState::Ready | UpdateState::Applying => view! {
                        <button type="button" class="button" on:click=|_| apply()>{SettingsMsg::UpdateReady.text(l)}</button>
                    }.into_any(),
                    st => view! {
                        <p class="muted" role="status">{SettingsMsg::UpToDate.text(l)}</p>
                        <button type="button" class="button secondary small" disabled={st == UpdateState::Checking}
                            on:click=|_| check_now()>
                            {if st == UpdateState::Checking { SettingsMsg::Checking } else { SettingsMsg::CheckUpdate }.text(l)}
                        </button>
                    }.into_any(),
                }
            }}
        </section>
    }
}
