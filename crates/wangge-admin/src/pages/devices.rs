//! One person's phones: when each signed in and was last seen, and revoking one — the
//! lost-phone case ("手机丢了"). A revoked phone stops syncing at once; what it recorded
//! stays on it for the next login.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError, Device};
use crate::format;
use crate::i18n::{lang, t};

use super::{error_view, notice_view, Notice};

#[component]
pub(crate) fn DevicesPanel(username: String) -> impl IntoView {
    let list: RwSignal<Option<Result<Vec<Device>, ApiError>>> = RwSignal::new(None);
    let confirm: RwSignal<Option<String>> = RwSignal::new(None);
    let notice = RwSignal::new(Notice::None);
    let user = StoredValue::new(username);
    let reload = move || {
        let username = user.get_value();
        spawn_local(async move { list.set(Some(api::devices(&username).await)) });
    };
    reload();
    let revoke = move |device_id: String| {
        spawn_local(async move {
            match api::revoke(&device_id).await {
                Ok(()) => {
                    confirm.set(None);
                    notice.set(Notice::Done(
                        lang()
                            .get_untracked()
                            .pick("已吊销，这台手机不能再同步。", "Revoked: that phone can no longer sync.")
                            .into(),
                    ));
                    reload();
                }
                Err(e) => notice.set(Notice::Failed(e)),
            }
        })
    };
    view! {
        <section class="admin-devices" aria-label=move || lang().get().pick("登录过的手机", "Signed-in phones")>
            <h4>{t("登录过的手机", "Signed-in phones")}</h4>
            <p class="muted">{t("手机丢了或换了，把那台吊销：它马上不能再同步，本人用新手机重新登录即可。", "A phone lost or replaced: revoke it. It stops syncing at once; the person logs in again on the new phone.")}</p>
            {notice_view(notice)}
            {move || match list.get() {
                None => view! { <p class="muted">{t("正在读取…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => error_view(&e).into_any(),
                Some(Ok(devices)) if devices.is_empty() => view! { <p class="muted">{t("还没有在任何手机上登录过。", "Never signed in on any phone.")}</p> }.into_any(),
                Some(Ok(devices)) => view! {
                    <ul class="list rows">{devices.into_iter().map(|d| device_row(d, confirm, revoke)).collect_view()}</ul>
                }.into_any(),
            }}
        </section>
    }
}

fn device_row(
    d: Device,
    confirm: RwSignal<Option<String>>,
    revoke: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = lang();
    let id = d.device_id.clone();
    let (id_ask, id_yes, id_is) = (id.clone(), id.clone(), id.clone());
    let live = d.revoked_at.is_none();
    let state = move || match (live, d.expired) {
        (false, _) => lang.get().pick("已吊销", "revoked"),
        (true, true) => lang.get().pick("长期未用，已过期", "expired (unused)"),
        (true, false) => lang.get().pick("可同步", "active"),
    };
    let (created, seen) = (d.created_at.clone(), d.last_seen_at.clone());
    view! {
        <li class="admin-device">
            <p class="row-title">{if d.name.is_empty() { id.clone() } else { d.name.clone() }}" · "{state}</p>
            <p class="row-meta">
                {t("登录于 ", "Signed in ")}{move || format::time(created.as_ref(), lang.get())}
                {t("，最近同步 ", ", last seen ")}{move || format::time(seen.as_ref(), lang.get())}
            </p>
            {live.then(|| view! {
                <Show when=move || confirm.get().as_deref() == Some(id_is.as_str())
                    fallback=move || { let id = id_ask.clone(); view! {
                        <button class="button small secondary" on:click=move |_| confirm.set(Some(id.clone()))>{t("吊销这台手机", "Revoke this phone")}</button>
                    } }>
                    {let id = id_yes.clone(); view! {
                        <div class="actions" role="group">
                            <span>{t("确定吊销？这台手机会马上停止同步。", "Revoke? This phone stops syncing at once.")}</span>
                            <button class="button small" on:click={ let id = id.clone(); move |_| revoke(id.clone()) }>{t("确定吊销", "Revoke")}</button>
                            <button class="button small secondary" on:click=move |_| confirm.set(None)>{t("取消", "Cancel")}</button>
                        </div>
                    }}
                </Show>
            })}
        </li>
    }
}
