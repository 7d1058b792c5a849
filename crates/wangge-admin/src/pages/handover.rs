//! 工作交接: when a worker leaves, hand her grid's open issues and visit schedules to a
//! successor in one step; and bring in the unsynced work from her phone's export file
//! (`wangge-{user}-{date}.json`, made in the worker app's Settings), pushed under her name.

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::api::{self, Account, ApiError, Grid};
use crate::i18n::{lang, server_message, t, Lang};

use super::{notice_view, Notice};

#[component]
pub(crate) fn Handover() -> impl IntoView {
    let users: RwSignal<Vec<Account>> = RwSignal::new(Vec::new());
    let (from, to) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let busy = RwSignal::new(false);
    let notice = RwSignal::new(Notice::None);
    let result: RwSignal<Option<serde_json::Value>> = RwSignal::new(None);
    let grids: RwSignal<Vec<Grid>> = RwSignal::new(Vec::new());
    spawn_local(async move {
        match api::users().await {
            Ok(list) => users.set(list),
            Err(e) => notice.set(Notice::Failed(e)),
        }
        // Only to name the grid in a result; ids are shown without it.
        grids.set(api::grids().await.unwrap_or_default());
    });
    let go = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let (f, s) = (from.get_untracked(), to.get_untracked());
        let lang = lang().get_untracked();
        if f.is_empty() || s.is_empty() || f == s {
            notice.set(Notice::Done(
                lang.pick(
                    "请选离开的人和接手的人（不能是同一个人）。",
                    "Choose who leaves and who takes over (two different people).",
                )
                .into(),
            ));
            return;
        }
        run(busy, notice, result, async move { api::handover(&f, &s).await });
    };
    view! {
        <section class="admin-handover">
            <h2>{t("工作交接", "Handover")}</h2>
            {notice_view(notice)}
            <form class="form card admin-form" on:submit=go>
                <h3>{t("把离开的网格员的工作交给接手的人", "Hand a departing worker's work to a successor")}</h3>
                <p class="muted">{t("她名下未办结的问题和走访安排，一次转给接手的人。", "Her open issues and visit schedules move to the successor in one step.")}</p>
                {person_picker(t("离开的人", "Leaving"), from, users)}
                {person_picker(t("接手的人", "Taking over"), to, users)}
                <div class="actions"><button class="button" type="submit" disabled=move || busy.get()>{t("交接", "Hand over")}</button></div>
            </form>
            <ImportCard busy=busy notice=notice result=result/>
            {move || result.get().map(|r| result_view(r, &users.get(), &grids.get()))}
        </section>
    }
}

fn run(
    busy: RwSignal<bool>,
    notice: RwSignal<Notice>,
    result: RwSignal<Option<serde_json::Value>>,
    fut: impl std::future::Future<Output = Result<serde_json::Value, ApiError>> + 'static,
) {
    busy.set(true);
    notice.set(Notice::None);
    result.set(None);
    spawn_local(async move {
        let answer = fut.await;
        busy.set(false);
        match answer {
            Ok(value) => result.set(Some(value)),
            Err(e) => notice.set(Notice::Failed(e)),
        }
    });
}

fn person_picker(
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    who: RwSignal<String>,
    users: RwSignal<Vec<Account>>,
) -> impl IntoView {
    view! {
        <label class="field">{label}
            <select on:change=move |e| who.set(event_target_value(&e))>
                <option value="">{t("请选择…", "Choose…")}</option>
                {move || users.get().into_iter().map(|u| {
                    let label = format!("{}（{}）", u.display_name(), u.username);
                    let name = u.username.clone();
                    view! { <option value=u.username.clone() selected=move || who.get() == name>{label}</option> }
                }).collect_view()}
            </select>
        </label>
    }
}

#[component]
fn ImportCard(
    busy: RwSignal<bool>,
    notice: RwSignal<Notice>,
    result: RwSignal<Option<serde_json::Value>>,
) -> impl IntoView {
    let file: RwSignal<Option<send_wrapper::SendWrapper<web_sys::File>>> = RwSignal::new(None);
    let pick = move |e: leptos::ev::Event| {
        // A change event always has its input as target; without one there is no file.
        let Some(target) = e.target() else { return };
        let input: web_sys::HtmlInputElement = target.unchecked_into();
        file.set(input.files().and_then(|f| f.get(0)).map(send_wrapper::SendWrapper::new));
    };
    let upload = move |_| {
        if let Some(f) = file.get_untracked() {
            let f = f.take();
            run(busy, notice, result, async move { api::handover_import(&f).await });
        }
    };
    view! {
        <div class="card admin-form">
            <h3>{t("导入离职人员手机的导出文件", "Import a departed worker's phone export")}</h3>
            <p class="muted">{t(
                "在她手机的“设置”里导出的文件（wangge-用户名-日期.json）。里面还没同步的记录会以她的名义补交，并注明由谁交接。",
                "The file exported in Settings on her phone (wangge-username-date.json). Work it holds that never synced is sent in her name, marked as handed over by you.",
            )}</p>
            <label class="field">{t("选择导出文件", "Choose the export file")}
                <input type="file" accept=".json,application/json" on:change=pick/>
            </label>
            <div class="actions">
                <button class="button" disabled=move || busy.get() || file.with(|f| f.is_none()) on:click=upload>{t("导入", "Import")}</button>
            </div>
        </div>
    }
}

/// The order the answer's fields are shown in; others follow in the server's order.
const ORDER: [&str; 9] =
    ["from", "author", "to", "grid", "grid_moved", "households", "issues_reassigned", "applied", "conflicts"];

/// The answer's figures, each under a label people read, accounts and grids by name;
/// refusals listed with their message.
fn result_view(value: serde_json::Value, users: &[Account], grids: &[Grid]) -> impl IntoView {
    let lang = lang();
    let mut fields: Vec<(String, serde_json::Value)> = value
        .as_object()
        .map(|o| o.iter().filter(|(k, _)| k.as_str() != "refused").map(|(k, v)| (k.clone(), v.clone())).collect())
        .unwrap_or_default();
    fields.sort_by_key(|(k, _)| ORDER.iter().position(|o| o == k).unwrap_or(ORDER.len()));
    for (key, value) in &mut fields {
        let Some(text) = value.as_str() else { continue };
        let named = match key.as_str() {
            "from" | "to" | "author" => {
                users.iter().find(|u| u.username == text).map(|u| format!("{}（{}）", u.display_name(), u.username))
            }
            "grid" => grids.iter().find(|g| g.id == text).map(|g| g.name.clone()),
            _ => None,
        };
        if let Some(named) = named {
            *value = named.into();
        }
    }
    let refused: Vec<(String, String)> = value["refused"]
        .as_array()
        .map(|a| {
            a.iter().map(|r| (r["seq"].to_string(), r["message"].as_str().unwrap_or_default().to_string())).collect()
        })
        .unwrap_or_default();
    view! {
        <div class="card admin-result" role="status">
            <h3>{t("结果", "Result")}</h3>
            <dl class="conflict-values">
                {fields.into_iter().map(|(k, v)| view! {
                    <dt>{move || label(&k, lang.get())}</dt>
                    <dd>{move || match &v {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Bool(b) => lang.get().pick(if *b { "是" } else { "否" }, if *b { "yes" } else { "no" }).into(),
                        other => other.to_string(),
                    }}</dd>
                }).collect_view()}
            </dl>
            {(!refused.is_empty()).then(|| view! {
                <h4>{t("没有接受的记录", "Refused")}</h4>
                <ul class="list rows">
                    {refused.into_iter().map(|(seq, msg)| view! {
                        <li>{t("第 ", "Entry ")}{seq}{t(" 条：", ": ")}{move || server_message(&msg, lang.get())}</li>
                    }).collect_view()}
                </ul>
            })}
        </div>
    }
}

fn label(key: &str, lang: Lang) -> String {
    let (zh, en) = match key {
        "from" => ("离开的人", "Leaving"),
        "to" => ("接手的人", "Taking over"),
        "author" => ("原记录人", "Original author"),
        "grid" => ("网格", "Grid"),
        "grid_moved" => ("网格已交给接手的人", "Grid handed to the successor"),
        "households" => ("网格里的住户", "Households in the grid"),
        "issues_reassigned" => ("转交的未办结问题", "Open issues reassigned"),
        "schedules_reassigned" => ("转交的走访安排", "Visit schedules reassigned"),
        "visits_reassigned" => ("转交的走访", "Visits reassigned"),
        "households_reassigned" => ("转交的住户", "Households reassigned"),
        "applied" => ("已补交的记录", "Entries applied"),
        "conflicts" => ("有冲突", "Conflicts"),
        "skipped" => ("已有，跳过", "Already there"),
        _ => return key.replace('_', " "),
    };
    lang.pick(zh, en).to_string()
}
