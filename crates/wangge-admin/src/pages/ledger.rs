//! 住户台账导入: the community's own household ledger (.xlsx or .csv) into the server, or
//! its people list (人员: 楼栋长、红色管家、志愿者 … who do not log in; a choice at the top
//! switches the template and the endpoint). Download the template; upload a file; match columns whose headers differ from the
//! template's; read the dry run (to add / update / unchanged / refused, each refused row
//! with its row number and reason); confirm, which writes the good rows in one go.

use leptos::prelude::*;
use leptos::task::spawn_local;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use crate::api::{self, ImportReport};
use crate::i18n::{lang, server_message, t};

use super::{notice_view, Notice};

/// Which ledger: the API's `kind`.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Households,
    People,
}

impl Kind {
    fn api(self) -> &'static str {
        match self {
            Kind::Households => "households",
            Kind::People => "people",
        }
    }

    fn template_name(self) -> &'static str {
        match self {
            Kind::Households => "住户台账模板.xlsx",
            Kind::People => "人员名册模板.xlsx",
        }
    }
}

#[derive(Clone, Copy)]
struct Import {
    kind: RwSignal<Kind>,
    file: RwSignal<Option<SendWrapper<web_sys::File>>>,
    /// File header → field key, for the headers the server could not place.
    mapping: RwSignal<Vec<(String, String)>>,
    report: RwSignal<Option<ImportReport>>,
    busy: RwSignal<bool>,
    notice: RwSignal<Notice>,
}

impl Import {
    /// The chosen columns as the API's `columns` parameter, when any is chosen.
    fn columns(self) -> Option<String> {
        let chosen: serde_json::Map<String, serde_json::Value> = self
            .mapping
            .get_untracked()
            .into_iter()
            .filter(|(_, key)| !key.is_empty())
            .map(|(header, key)| (header, key.into()))
            .collect();
        (!chosen.is_empty()).then(|| serde_json::Value::Object(chosen).to_string())
    }

    fn send(self, confirm: bool) {
        let Some(file) = self.file.get_untracked() else { return };
        let columns = self.columns();
        let kind = self.kind.get_untracked();
        self.busy.set(true);
        self.notice.set(Notice::None);
        spawn_local(async move {
            let answer = api::import_ledger(kind.api(), &file, confirm, columns.as_deref()).await;
            self.busy.set(false);
            match answer {
                Ok(report) => {
                    if !confirm {
                        // Keep choices already made; add a blank choice per new unmapped header.
                        self.mapping.update(|m| {
                            for h in &report.unmapped {
                                if !m.iter().any(|(x, _)| x == h) {
                                    m.push((h.clone(), String::new()));
                                }
                            }
                        });
                    }
                    self.report.set(Some(report));
                }
                Err(e) => self.notice.set(Notice::Failed(e)),
            }
        });
    }
}

#[component]
pub(crate) fn Ledger() -> impl IntoView {
    let im = Import {
        kind: RwSignal::new(Kind::Households),
        file: RwSignal::new(None),
        mapping: RwSignal::new(Vec::new()),
        report: RwSignal::new(None),
        busy: RwSignal::new(false),
        notice: RwSignal::new(Notice::None),
    };
    let template = move |_| {
        spawn_local(async move {
            let kind = im.kind.get_untracked();
            if let Err(e) = api::download_template(kind.api(), kind.template_name()).await {
                im.notice.set(Notice::Failed(e));
            }
        })
    };
    let pick = move |e: leptos::ev::Event| {
        // A change event always has its input as target; without one there is no file.
        let Some(target) = e.target() else { return };
        let input: web_sys::HtmlInputElement = target.unchecked_into();
        im.file.set(input.files().and_then(|f| f.get(0)).map(SendWrapper::new));
        im.mapping.set(Vec::new());
        im.report.set(None);
        im.send(false);
    };
    // Another kind: the same file is checked again as that kind, from scratch.
    let choose = move |kind: Kind| {
        im.kind.set(kind);
        im.mapping.set(Vec::new());
        im.report.set(None);
        im.send(false);
    };
    let choice = move |kind: Kind, zh: &'static str, en: &'static str| {
        view! {
            <label class="choice">
                <input type="radio" name="ledger-kind" prop:checked=move || im.kind.get() == kind on:change=move |_| choose(kind)/>
                {t(zh, en)}
            </label>
        }
    };
    view! {
        <section class="admin-ledger">
            <h2>{t("住户台账导入", "Household ledger import")}</h2>
            <div class="card">
                <fieldset class="admin-roles">
                    <legend>{t("导入哪一种", "Which ledger")}</legend>
                    {choice(Kind::Households, "住户", "Households")}
                    {choice(Kind::People, "人员（楼栋长、红色管家、志愿者等）", "People (building heads, red stewards, volunteers …)")}
                </fieldset>
                <h3>{t("第一步：准备文件", "Step 1: the file")}</h3>
                <p class="muted">{t(
                    "可以直接用社区现有的Excel台账；表头和模板不一样也没关系，下一步可以对应。",
                    "The community's own Excel ledger will do; if its headers differ from the template's, you match them in the next step.",
                )}</p>
                {move || (im.kind.get() == Kind::People).then(|| view! {
                    <p class="muted">{t(
                        "这里只登记不登录系统的人员。网格员、社区书记等工作人员请在账号管理里建账号。",
                        "Only people who do not log in. Grid workers, secretaries and other staff get an account in Accounts.",
                    )}</p>
                })}
                <div class="actions">
                    <button class="button secondary small" on:click=template>{t("下载导入模板", "Download the template")}</button>
                </div>
                <label class="field">{t("选择台账文件（.xlsx 或 .csv）", "Choose the ledger (.xlsx or .csv)")}
                    <input type="file" accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" on:change=pick/>
                </label>
            </div>
            {notice_view(im.notice)}
            {move || im.busy.get().then(|| view! { <p class="muted" role="status">{t("正在检查文件…", "Checking the file…")}</p> })}
            {move || (!im.mapping.with(Vec::is_empty)).then(|| mapping_view(im))}
            {move || im.report.get().map(|r| report_view(im, r))}
        </section>
    }
}

fn mapping_view(im: Import) -> impl IntoView {
    let fields = im.report.with(|r| r.as_ref().map(|r| r.fields.clone()).unwrap_or_default());
    let rows = im.mapping.get_untracked().into_iter().enumerate().map(|(i, (header, _))| {
        let fields = fields.clone();
        view! {
            <label class="field">{format!("“{header}”")}{t(" 对应：", " is:")}
                <select on:change=move |e| { let v = event_target_value(&e); im.mapping.update(|m| m[i].1 = v) }>
                    <option value="">{t("不导入这一列", "Do not import this column")}</option>
                    {fields.into_iter().map(|f| {
                        let key = f.key.clone();
                        let selected = move || im.mapping.with(|m| m.get(i).is_some_and(|(_, k)| *k == key));
                        view! { <option value=f.key.clone() selected=selected>{f.label.clone()}{f.required.then_some(" *")}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
    }).collect_view();
    view! {
        <div class="card admin-form">
            <h3>{t("第二步：对应表头", "Step 2: match the headers")}</h3>
            <p class="muted">{t("这些表头和模板对不上，请告诉系统它们是什么（带 * 的必须有）。", "These headers are not the template's: say what each one is (* is required).")}</p>
            {rows}
            <div class="actions">
                <button class="button small" disabled=move || im.busy.get() on:click=move |_| im.send(false)>{t("按这个对应重新检查", "Check again with these")}</button>
            </div>
        </div>
    }
}

fn report_view(im: Import, r: ImportReport) -> impl IntoView {
    let lang = lang();
    let confirmed = r.confirmed;
    let figures = [
        (("新增", "To add"), ("已新增", "Added"), r.added),
        (("更新", "To update"), ("已更新", "Updated"), r.updated),
        (("不变", "Unchanged"), ("不变", "Unchanged"), r.unchanged),
        (("不能导入", "Refused"), ("未导入", "Refused"), r.refused.len() as u64),
    ];
    let writable = r.added + r.updated > 0;
    view! {
        <div class="card admin-result" role="status">
            <h3>{move || if confirmed { lang.get().pick("导入完成", "Imported") } else { lang.get().pick("第三步：检查结果（还没有写入）", "Step 3: the dry run (nothing written yet)") }}</h3>
            <p>{t("共 ", "")}{r.rows}{t(" 行", " rows")}</p>
            <dl class="conflict-values admin-figures">
                {figures.map(|(dry, done, n)| view! {
                    <dt>{move || if confirmed { lang.get().pick(done.0, done.1) } else { lang.get().pick(dry.0, dry.1) }}</dt><dd>{n}</dd>
                })}
            </dl>
            {(!r.refused.is_empty()).then(|| view! {
                <table class="admin-table admin-refused">
                    <thead><tr><th>{t("行号", "Row")}</th><th>{t("列", "Column")}</th><th>{t("原因", "Reason")}</th></tr></thead>
                    <tbody>{r.refused.into_iter().map(|x| {
                        let reason = x.reason.clone();
                        view! {
                            <tr>
                                <td data-label=move || lang.get().pick("行号", "Row")>{x.row}</td>
                                <td data-label=move || lang.get().pick("列", "Column")>{x.column.unwrap_or_default()}</td>
                                <td data-label=move || lang.get().pick("原因", "Reason")>{move || server_message(&reason, lang.get())}</td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            })}
            {(!confirmed).then(|| view! {
                <p class="muted">{t("确认后，能导入的行一次写入；不能导入的行不写，改好后可以再导一次（已导入的不会重复）。", "On confirm the good rows are written in one go; refused rows are not. Fix them and import again (rows already in are not duplicated).")}</p>
                <div class="actions">
                    <button class="button" disabled=move || im.busy.get() || !writable on:click=move |_| im.send(true)>{t("确认导入", "Confirm import")}</button>
                </div>
            })}
        </div>
    }
}
