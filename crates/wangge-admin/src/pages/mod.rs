//! One module per screen, and the few pieces they share: a server refusal shown in the
//! current language, a one-time password shown once with a copy button, and a result
//! slot a screen fills after each call.

mod account_form;
pub(crate) mod accounts;
mod devices;
pub(crate) mod export;
pub(crate) mod export_log;
mod grid_panel;
pub(crate) mod grids;
pub(crate) mod handover;
pub(crate) mod ledger;

use leptos::prelude::*;

use crate::api::ApiError;
use crate::i18n::{lang, server_message, t};

/// What the last action left to say: nothing, a success line, or the server's refusal.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Notice {
    None,
    Done(String),
    Failed(ApiError),
}

/// The notice line (`role=alert` for a refusal, `status` for a success).
pub(crate) fn notice_view(notice: RwSignal<Notice>) -> impl IntoView {
    let lang = lang();
    move || match notice.get() {
        Notice::None => ().into_any(),
        Notice::Done(text) => view! { <p class="admin-ok" role="status">{text}</p> }.into_any(),
        Notice::Failed(err) => {
            view! { <p class="error" role="alert">{server_message(&err.message, lang.get())}</p> }.into_any()
        }
    }
}

/// A refusal from a read, in place of the list it would have filled.
pub(crate) fn error_view(err: &ApiError) -> impl IntoView {
    let message = err.message.clone();
    let lang = lang();
    view! { <p class="error card" role="alert">{move || server_message(&message, lang.get())}</p> }
}

/// A one-time password: shown now and never again, with a copy button.
pub(crate) fn one_time_view(username: String, password: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let to_copy = password.clone();
    let copy = move |_| {
        let clipboard = window().navigator().clipboard();
        let _ = clipboard.write_text(&to_copy);
        copied.set(true);
    };
    view! {
        <div class="card admin-otp" role="status">
            <p>{t("账号 ", "Account ")}<strong>{username}</strong>{t(" 的一次性密码：", " — one-time password:")}</p>
            <p class="admin-otp-value"><code data-otp="">{password}</code></p>
            <p class="muted">{t(
                "只显示这一次。请现在复制或抄下来交给本人，本人首次登录后应改成自己的密码。",
                "Shown only this once. Copy it or write it down for the person now; they should change it after their first login.",
            )}</p>
            <button class="button small" on:click=copy>
                {move || if copied.get() { lang().get().pick("已复制", "Copied") } else { lang().get().pick("复制密码", "Copy password") }}
            </button>
        </div>
    }
}
