//! Login (登录): the one screen that needs a connection. Also shown over the app when a
//! token expired, with the username filled in; the phone's data stays put meanwhile.

use leptos::prelude::*;

use crate::context::StoreHandle;
use crate::i18n::login::LoginMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::session::Session;
use crate::sync::account::{log_in, LoginError};
use crate::sync::api::ApiError;

#[component]
pub fn LoginPage(
    store: StoreHandle,
    session: RwSignal<Option<Session>>,
    /// Called once logged in.
    #[prop(into)]
    on_done: Callback<()>,
    /// Shown when re-logging in over the app, so the worker can go back to it.
    #[prop(optional, into)]
    on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let lang = use_lang();
    let previous = session.get_untracked();
    // What the worker typed into index.html's form while the app was still loading.
    let early = crate::early_login::take().unwrap_or_default();
    let remembered = previous.as_ref().map(|s| s.username.clone()).unwrap_or_default();
    let username = RwSignal::new(if early.username.is_empty() { remembered } else { early.username.clone() });
    let password = RwSignal::new(early.password.clone());
    let error = RwSignal::new(early.said.clone());
    let busy = RwSignal::new(false);
    let go = move || {
        let (u, p) = (username.get_untracked(), password.get_untracked());
        let l = lang.get_untracked();
        if u.trim().is_empty() {
            error.set(Some(LoginMsg::NeedUsername.text(l).into()));
            return;
        }
        if p.is_empty() {
            error.set(Some(LoginMsg::NeedPassword.text(l).into()));
            return;
        }
        busy.set(true);
        error.set(None);
        let store = store.clone();
        leptos::task::spawn_local(async move {
            let previous = session.get_untracked();
            match log_in(&store, previous.as_ref(), &u, &p).await {
                Ok(s) => {
                    session.set(Some(s));
                    on_done.run(());
                }
                Err(e) => error.set(Some(message(&e, l))),
            }
            busy.set(false);
        });
    };
    let go_early = go.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        go();
    };
    // Put the cursor back where it was, and send a login pressed before the app was here.
    let (user_input, pass_input) = (NodeRef::<leptos::html::Input>::new(), NodeRef::<leptos::html::Input>::new());
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        // Runs again once the inputs are in the page.
        let (Some(user), Some(pass)) = (user_input.get(), pass_input.get()) else {
            return false;
        };
        match early.focused.as_deref() {
            Some("username") => drop(user.focus()),
            Some("password") => drop(pass.focus()),
            _ => {}
        }
        if early.submitted {
            go_early();
        }
        true
    });
    view! {
        <section class="page login" aria-labelledby="login-title">
            <h2 id="login-title">{tr(LoginMsg::LoginTitle)}</h2>
            <p class="muted">{tr(LoginMsg::LoginIntro)}</p>
            <form class="card form" on:submit=submit novalidate>
                <label class="field">
                    <span>{tr(LoginMsg::Username)}</span>
                    <input type="text" name="username" autocomplete="username" autocapitalize="off" node_ref=user_input
                        prop:value=username on:input=move |ev| username.set(event_target_value(&ev))/>
                </label>
                <label class="field">
                    <span>{tr(LoginMsg::Password)}</span>
                    <input type="password" name="password" autocomplete="current-password" node_ref=pass_input
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                </label>
                {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
                <button class="button" type="submit" disabled=busy>
                    {move || if busy.get() { LoginMsg::LoggingIn } else { LoginMsg::LogIn }.text(lang.get())}
                </button>
                {on_cancel.map(|cancel| view! {
                    <button class="button secondary" type="button" on:click=move |_| cancel.run(())>
                        {tr(LoginMsg::Cancel)}
                    </button>
                })}
            </form>
        </section>
    }
}

fn message(e: &LoginError, lang: crate::i18n::Lang) -> String {
    match e {
        LoginError::Api(ApiError::Offline) => LoginMsg::NeedConnection.text(lang).into(),
        LoginError::Api(ApiError::Unauthorized { code, message } | ApiError::Refused { code, message, .. }) => {
            let reason = crate::i18n::core_text::refusal_text(code, message, lang);
            format!("{}{reason}", LoginMsg::LoginFailed.text(lang))
        }
        LoginError::Api(ApiError::Server { .. } | ApiError::EpochMismatch { .. }) => {
            LoginMsg::ServerTrouble.text(lang).into()
        }
        LoginError::Store(s) => s.message(lang),
        LoginError::OtherUsersPending { .. } => LoginMsg::OtherUserPending.text(lang).into(),
    }
}
