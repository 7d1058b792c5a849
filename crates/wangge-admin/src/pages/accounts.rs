//! 账号管理: every account the administrator manages (name, username, roles, grid,
//! phones, last seen, stopped or not); create one, edit it, reset its password (a
//! one-time password shown once), stop or restart it (after a confirm), and its phones.
//! Which panel is open and every input live on this page, above the list, so reloading
//! the list after an action never closes a form or drops what is typed.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, Account, AccountForm, ApiError, Grid};
use crate::format;
use crate::i18n::{lang, t};

use super::account_form::{AccountFields, Draft};
use super::devices::DevicesPanel;
use super::{error_view, notice_view, one_time_view, Notice};

/// Which panel is open, and for whom.
#[derive(Clone, Debug, PartialEq)]
enum Open {
    Nothing,
    Create,
    Edit(String),
    Devices(String),
    Reset(String),
    Toggle(String),
}

#[derive(Clone, Copy)]
struct Page {
    users: RwSignal<Option<Result<Vec<Account>, ApiError>>>,
    grids: RwSignal<Vec<Grid>>,
    open: RwSignal<Open>,
    draft: Draft,
    busy: RwSignal<bool>,
    notice: RwSignal<Notice>,
    otp: RwSignal<Option<(String, String)>>,
}

impl Page {
    fn reload(self) {
        spawn_local(async move { self.users.set(Some(api::users().await)) });
    }

    fn done(self, zh: &'static str, en: &'static str) {
        self.busy.set(false);
        self.open.set(Open::Nothing);
        self.notice.set(Notice::Done(lang().get_untracked().pick(zh, en).into()));
        self.reload();
    }

    fn failed(self, e: ApiError) {
        self.busy.set(false);
        self.notice.set(Notice::Failed(e));
    }

    /// Runs an action once at a time; `then` turns its answer into the page's state.
    fn act<T: 'static>(
        self,
        fut: impl std::future::Future<Output = Result<T, ApiError>> + 'static,
        then: impl FnOnce(Page, T) + 'static,
    ) {
        self.busy.set(true);
        self.notice.set(Notice::None);
        spawn_local(async move {
            match fut.await {
                Ok(v) => then(self, v),
                Err(e) => self.failed(e),
            }
        });
    }
}

#[component]
pub(crate) fn Accounts() -> impl IntoView {
    let page = Page {
        users: RwSignal::new(None),
        grids: RwSignal::new(Vec::new()),
        open: RwSignal::new(Open::Nothing),
        draft: Draft::new(),
        busy: RwSignal::new(false),
        notice: RwSignal::new(Notice::None),
        otp: RwSignal::new(None),
    };
    page.reload();
    // The grid list names grids and fills the picker; without it the picker takes an id.
    spawn_local(async move { page.grids.set(api::grids().await.unwrap_or_default()) });
    let start_create = move |_| {
        page.draft.clear();
        page.otp.set(None);
        page.open.set(Open::Create);
    };
    view! {
        <section class="admin-accounts">
            <div class="admin-toolbar">
                <h2>{t("账号管理", "Accounts")}</h2>
                <button class="button small" on:click=start_create>{t("新建账号", "New account")}</button>
            </div>
            {notice_view(page.notice)}
            {move || page.otp.get().map(|(u, p)| one_time_view(u, p))}
            <Show when=move || page.open.get() == Open::Create>
                <div class="card">
                    <h3>{t("新建账号", "New account")}</h3>
                    {create_form(page)}
                </div>
            </Show>
            {move || match page.users.get() {
                None => view! { <p class="muted">{t("正在读取…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => error_view(&e).into_any(),
                Some(Ok(users)) => users_table(page, users).into_any(),
            }}
        </section>
    }
}

fn create_form(page: Page) -> impl IntoView {
    let submit = move |form: AccountForm| {
        let username = page.draft.username.get_untracked().trim().to_string();
        let shown = username.clone();
        page.act(async move { api::create_user(&username, &form).await }, move |p, otp| {
            p.otp.set(Some((shown, otp)));
            p.done("账号已创建。", "Account created.");
        });
    };
    view! { <AccountFields draft=page.draft creating=true grids=page.grids busy=page.busy submit=submit cancel=move |_| page.open.set(Open::Nothing)/> }
}

fn users_table(page: Page, users: Vec<Account>) -> impl IntoView {
    if users.is_empty() {
        return view! { <p class="muted card">{t("您管辖的范围里还没有账号。", "No accounts in your part of the grid yet.")}</p> }.into_any();
    }
    view! {
        <table class="admin-table">
            <thead><tr>
                <th>{t("姓名", "Name")}</th><th>{t("用户名", "Username")}</th><th>{t("身份", "Roles")}</th>
                <th>{t("所属网格", "Grid")}</th><th>{t("登录的手机", "Phones")}</th><th>{t("最近同步", "Last seen")}</th>
                <th>{t("状态", "Status")}</th><th>{t("操作", "Actions")}</th>
            </tr></thead>
            <tbody>{users.into_iter().map(|u| user_rows(page, u)).collect_view()}</tbody>
        </table>
    }
    .into_any()
}

fn user_rows(page: Page, user: Account) -> impl IntoView {
    let lang = lang();
    let name = user.username.clone();
    let grid_name = user.grid_name.clone().unwrap_or_else(|| {
        page.grids
            .with_untracked(|gs| gs.iter().find(|g| g.id == user.grid()).map(|g| g.name.clone()))
            .unwrap_or_else(|| user.grid().to_string())
    });
    let (roles, seen, disabled) = (user.roles.clone(), user.last_seen_at.clone(), user.disabled());
    let open = {
        let name = name.clone();
        move |which: fn(String) -> Open| {
            let name = name.clone();
            move |_| {
                page.notice.set(Notice::None);
                page.open.set(which(name.clone()))
            }
        }
    };
    let edit = {
        let user = user.clone();
        move |_| {
            page.draft.fill(Some(&user));
            page.notice.set(Notice::None);
            page.open.set(Open::Edit(user.username.clone()));
        }
    };
    let panel_open = {
        let name = name.clone();
        move || matches!(page.open.get(), Open::Edit(n) | Open::Devices(n) | Open::Reset(n) | Open::Toggle(n) if n == name)
    };
    view! {
        <tr class:admin-disabled=disabled data-user=name.clone()>
            <td data-label=move || lang.get().pick("姓名", "Name")><strong>{user.display_name().to_string()}</strong></td>
            <td data-label=move || lang.get().pick("用户名", "Username")>{name.clone()}</td>
            <td data-label=move || lang.get().pick("身份", "Roles")>{move || format::roles(&roles, lang.get())}</td>
            <td data-label=move || lang.get().pick("所属网格", "Grid")>{grid_name}</td>
            <td data-label=move || lang.get().pick("登录的手机", "Phones")>{user.devices}</td>
            <td data-label=move || lang.get().pick("最近同步", "Last seen")>{move || format::time(seen.as_ref(), lang.get())}</td>
            <td data-label=move || lang.get().pick("状态", "Status")>
                {move || if disabled { lang.get().pick("已停用", "Disabled") } else { lang.get().pick("正常", "Active") }}
            </td>
            <td class="admin-actions">
                <button class="link" on:click=edit>{t("修改", "Edit")}</button>
                <button class="link" on:click=open(Open::Devices)>{t("手机", "Phones")}</button>
                <button class="link" on:click=open(Open::Reset)>{t("重置密码", "Reset password")}</button>
                <button class="link" on:click=open(Open::Toggle)>
                    {move || if disabled { lang.get().pick("启用", "Enable") } else { lang.get().pick("停用", "Disable") }}
                </button>
            </td>
        </tr>
        <Show when=panel_open>
            <tr class="admin-panel-row"><td colspan="8">{row_panel(page, name.clone(), disabled)}</td></tr>
        </Show>
    }
}

/// The open panel under a row: edit form, phones, or a confirm.
fn row_panel(page: Page, username: String, disabled: bool) -> impl IntoView {
    let user = StoredValue::new(username);
    move || {
        match page.open.get() {
        Open::Edit(_) => {
            let submit = move |form: AccountForm| {
                let username = user.get_value();
                page.act(async move { api::update_user(&username, &form).await }, |p, ()| p.done("已保存。", "Saved."));
            };
            view! { <AccountFields draft=page.draft creating=false grids=page.grids busy=page.busy submit=submit cancel=move |_| page.open.set(Open::Nothing)/> }.into_any()
        }
        Open::Devices(_) => view! { <DevicesPanel username=user.get_value()/> }.into_any(),
        Open::Reset(_) => confirm(
            page,
            t("重置后本人所有手机都要用新密码重新登录（未同步的记录不会丢）。确定重置？", "After a reset every phone of this person must log in again with the new password (unsynced work is kept). Reset?"),
            t("确定重置密码", "Reset password"),
            move || {
                let username = user.get_value();
                page.act(async move { api::reset_password(&username).await }, move |p, otp| {
                    p.otp.set(Some((user.get_value(), otp)));
                    p.done("密码已重置。", "Password reset.");
                });
            },
        )
        .into_any(),
        Open::Toggle(_) if disabled => confirm(
            page,
            t("启用后，本人的手机可以再次同步。确定启用？", "Once enabled, this person's phones can sync again. Enable?"),
            t("确定启用", "Enable"),
            move || {
                let username = user.get_value();
                page.act(async move { api::set_disabled(&username, false).await }, |p, ()| p.done("账号已启用。", "Account enabled."));
            },
        )
        .into_any(),
        Open::Toggle(_) => confirm(
            page,
            t("停用后，本人的所有手机马上停止同步，也不能再登录；记录和历史都保留。确定停用？", "Once disabled, all of this person's phones stop syncing at once and they cannot log in; records and history stay. Disable?"),
            t("确定停用", "Disable"),
            move || {
                let username = user.get_value();
                page.act(async move { api::set_disabled(&username, true).await }, |p, ()| p.done("账号已停用。", "Account disabled."));
            },
        )
        .into_any(),
        _ => ().into_any(),
    }
    }
}

fn confirm(
    page: Page,
    question: impl Fn() -> &'static str + Send + Sync + 'static,
    yes: impl Fn() -> &'static str + Send + Sync + 'static,
    run: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <div class="admin-confirm" role="group">
            <p>{question}</p>
            <div class="actions">
                <button class="button small" disabled=move || page.busy.get() on:click=move |_| run()>{yes}</button>
                <button class="button small secondary" on:click=move |_| page.open.set(Open::Nothing)>{t("取消", "Cancel")}</button>
            </div>
        </div>
    }
}
