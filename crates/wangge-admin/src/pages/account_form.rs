//! The account form, for a new account and for an edit: username (new only), display
//! name, phone, roles and home grid. Its inputs are signals owned by the accounts page,
//! so a reload of the list never drops what is typed.

use leptos::prelude::*;
use wangge_core::people::Role;
use wangge_core::Phone;

use crate::api::{Account, AccountForm, Grid};
use crate::i18n::{lang, t};

use super::grids::tree_order;

/// The form's inputs.
#[derive(Clone, Copy)]
pub(crate) struct Draft {
    pub(crate) username: RwSignal<String>,
    pub(crate) display_name: RwSignal<String>,
    pub(crate) phone: RwSignal<String>,
    pub(crate) roles: RwSignal<Vec<Role>>,
    pub(crate) grid: RwSignal<String>,
    pub(crate) problem: RwSignal<Option<&'static str>>,
}

impl Draft {
    pub(crate) fn new() -> Draft {
        Draft {
            username: RwSignal::new(String::new()),
            display_name: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            roles: RwSignal::new(vec![Role::GridWorker]),
            grid: RwSignal::new(String::new()),
            problem: RwSignal::new(None),
        }
    }

    pub(crate) fn clear(self) {
        self.fill(None);
    }

    /// Starts from an account (edit) or from blank (create).
    pub(crate) fn fill(self, account: Option<&Account>) {
        self.username.set(account.map(|a| a.username.clone()).unwrap_or_default());
        self.display_name.set(account.map(|a| a.display_name().to_string()).unwrap_or_default());
        self.phone.set(account.and_then(|a| a.phone.clone()).unwrap_or_default());
        self.roles.set(account.map(|a| a.roles.clone()).unwrap_or_else(|| vec![Role::GridWorker]));
        self.grid.set(account.map(|a| a.grid().to_string()).unwrap_or_default());
        self.problem.set(None);
    }

    /// The form as the API takes it, or what to fix first (zh, en), checked as the core checks.
    pub(crate) fn read(self, creating: bool) -> Result<AccountForm, (&'static str, &'static str)> {
        let username = self.username.get_untracked();
        if creating && !valid_username(username.trim()) {
            return Err((
                "用户名只能用字母、数字、点、横线和下划线，3到32位",
                "The username takes 3–32 letters, digits, dots, dashes or underscores",
            ));
        }
        let display_name = self.display_name.get_untracked().trim().to_string();
        if display_name.is_empty() {
            return Err(("请填写姓名", "Enter the person's name"));
        }
        let phone = self.phone.get_untracked().trim().to_string();
        if !phone.is_empty() && Phone::parse(&phone).is_err() {
            return Err(("手机号码格式不对", "The phone number is not valid"));
        }
        let roles = self.roles.get_untracked();
        if roles.is_empty() {
            return Err(("至少选一个身份", "Choose at least one role"));
        }
        let grid = self.grid.get_untracked();
        if grid.trim().is_empty() {
            return Err(("请选所属网格", "Choose the home grid"));
        }
        Ok(AccountForm {
            display_name,
            phone: (!phone.is_empty()).then_some(phone),
            roles,
            grid: grid.trim().to_string(),
        })
    }
}

fn valid_username(u: &str) -> bool {
    (3..=32).contains(&u.len()) && u.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

/// The form's fields and buttons; `submit` is called when the inputs read well.
#[component]
pub(crate) fn AccountFields(
    draft: Draft,
    creating: bool,
    grids: RwSignal<Vec<Grid>>,
    busy: RwSignal<bool>,
    #[prop(into)] submit: Callback<AccountForm>,
    #[prop(into)] cancel: Callback<()>,
) -> impl IntoView {
    let lang = lang();
    let on_submit = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        match draft.read(creating) {
            Ok(form) => {
                draft.problem.set(None);
                submit.run(form);
            }
            Err((zh, en)) => draft.problem.set(Some(lang.get_untracked().pick(zh, en))),
        }
    };
    view! {
        <form class="form admin-form" on:submit=on_submit>
            {creating.then(|| view! {
                <label class="field">{t("用户名（登录用）", "Username (to log in)")}
                    <input autocomplete="off" prop:value=move || draft.username.get()
                        on:input=move |e| draft.username.set(event_target_value(&e))/>
                </label>
            })}
            <label class="field">{t("姓名", "Name")}
                <input prop:value=move || draft.display_name.get() on:input=move |e| draft.display_name.set(event_target_value(&e))/>
            </label>
            <label class="field">{t("手机号（可不填）", "Phone (optional)")}
                <input type="tel" inputmode="tel" prop:value=move || draft.phone.get() on:input=move |e| draft.phone.set(event_target_value(&e))/>
            </label>
            <fieldset class="admin-roles">
                <legend>{t("身份（可多选）", "Roles (any number)")}</legend>
                {Role::ALL.map(|role| role_box(role, draft.roles))}
            </fieldset>
            {grid_picker(draft.grid, grids)}
            {move || draft.problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            <div class="actions">
                <button class="button" type="submit" disabled=move || busy.get()>
                    {move || if creating { lang.get().pick("创建账号", "Create account") } else { lang.get().pick("保存", "Save") }}
                </button>
                <button class="button secondary" type="button" on:click=move |_| cancel.run(())>{t("取消", "Cancel")}</button>
            </div>
        </form>
    }
}

fn role_box(role: Role, roles: RwSignal<Vec<Role>>) -> impl IntoView {
    let lang = lang();
    let toggle = move |_| {
        roles.update(|rs| match rs.iter().position(|r| *r == role) {
            Some(i) => {
                rs.remove(i);
            }
            None => rs.push(role),
        })
    };
    view! {
        <label class="choice">
            <input type="checkbox" prop:checked=move || roles.with(|rs| rs.contains(&role)) on:change=toggle/>
            {move || lang.get().pick(role.label_zh(), role.label_en())}
        </label>
    }
}

/// The home grid: a picker over the grid tree (indented), or a plain input for the grid's
/// id when the grid list could not be read.
pub(crate) fn grid_picker(grid: RwSignal<String>, grids: RwSignal<Vec<Grid>>) -> impl IntoView {
    move || {
        let list = grids.get();
        if list.is_empty() {
            return view! {
                <label class="field">{t("所属网格（网格编号）", "Home grid (grid id)")}
                    <input prop:value=move || grid.get() on:input=move |e| grid.set(event_target_value(&e))/>
                </label>
            }
            .into_any();
        }
        let options = tree_order(&list)
            .into_iter()
            .filter(|(_, g)| !g.retired)
            .map(|(depth, g)| {
                let label = format!("{}{}", "　".repeat(depth), g.name);
                let id = g.id.clone();
                let selected = {
                    let id = id.clone();
                    move || grid.get() == id
                };
                view! { <option value=id selected=selected>{label}</option> }
            })
            .collect_view();
        view! {
            <label class="field">{t("所属网格", "Home grid")}
                <select on:change=move |e| grid.set(event_target_value(&e))>
                    <option value="" selected=move || grid.get().is_empty()>{t("请选择…", "Choose…")}</option>
                    {options}
                </select>
            </label>
        }
        .into_any()
    }
}
