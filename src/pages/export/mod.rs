//! The export screen (导出表格): a community secretary's lists as a spreadsheet. Offline,
//! "导出表格(CSV)" writes what the phone holds through the core's export rules (the
//! server's columns, labels, filters and formula neutralising: `wangge_core::export`) and
//! logs it on the phone (`store/export_log.rs`); online, staff can download the server's
//! `.xlsx` of their whole scope (the server logs that). Reached from Settings and from
//! the issue list (carrying its filters); the kind and filters live in the URL query.

pub(crate) mod build;
pub mod fields;
pub mod log;

use leptos::prelude::*;
use wangge_core::export::{csv, Filter, Kind, StatusFilter};
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::Category;
use wangge_core::people::only_unit_contact;
use wangge_core::{Date, GridId, Millis};

use crate::context::{session, use_store};
use crate::format::now_ms;
use crate::i18n::export::ExportMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::route::{navigate, query_param, replace_query, use_route, Route};
use crate::store::export_log::LocalExport;
use crate::sync::api::ApiError;
use fields::ExportFields;
use log::ExportLog;

/// Where an export stands.
#[derive(Clone, PartialEq)]
enum Step {
    Idle,
    Busy,
    /// The file's name and, for a CSV, its rows.
    Done(String, Option<usize>),
    Failed(String),
}

pub fn kind_msg(kind: Kind) -> ExportMsg {
    match kind {
        Kind::Issues => ExportMsg::KindIssues,
        Kind::Households => ExportMsg::KindHouseholds,
        Kind::Visits => ExportMsg::KindVisits,
        Kind::Mediations => ExportMsg::KindMediations,
        Kind::Lists => ExportMsg::KindLists,
    }
}

/// The kind and filters in the URL (the issue list's own filter names are the same).
fn from_query() -> (Kind, Filter) {
    let kind = query_param("kind").and_then(|k| Kind::from_code(&k)).unwrap_or(Kind::Issues);
    let day = |k: &str| query_param(k).and_then(|d| Date::parse(&d).ok());
    let filter = Filter {
        status: query_param("status").and_then(|c| StatusFilter::from_code(&c)),
        level: query_param("level").and_then(|c| EscalationLevel::from_code(&c)),
        category: query_param("category").and_then(|c| Category::from_code(&c)),
        overdue: query_param("overdue").as_deref() == Some("1"),
        from: day("from"),
        to: day("to"),
        grid: query_param("grid").and_then(|g| GridId::parse(&g).ok()),
    };
    (kind, filter)
}

/// The filters a list takes, as query parameters (`kind.filters()` names them).
fn params(kind: Kind, filter: &Filter) -> Vec<(&'static str, String)> {
    filter.to_params().into_iter().filter(|(k, _)| kind.filters().contains(k)).collect()
}

fn file_name(kind: Kind, now: Millis, ext: &str) -> String {
    format!("{}-{}.{ext}", kind.file_names().1, Date::of_millis(now))
}

#[component]
pub fn ExportPage() -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let me = session();
    let contact_only = only_unit_contact(&me.user.roles);
    let staff = me.user.roles.iter().any(|r| r.handles_at().is_some());
    let (kind0, filter0) = from_query();
    let kind = RwSignal::new(kind0);
    let filter = RwSignal::new(filter0);
    Effect::new(move || {
        let k = kind.get();
        let mut p = vec![("kind", k.code().to_string())];
        p.extend(filter.with(|f| params(k, f)));
        replace_query(&p);
    });
    let step = RwSignal::new(Step::Idle);
    let logged = RwSignal::new(0u32);
    let online = RwSignal::new(window().navigator().on_line());
    let up = window_event_listener(leptos::ev::online, move |_| online.set(true));
    let down = window_event_listener(leptos::ev::offline, move |_| online.set(false));
    on_cleanup(move || {
        up.remove();
        down.remove();
    });
    let bad_dates = move || filter.with(|f| matches!((f.from, f.to), (Some(a), Some(b)) if a > b));
    let busy = move || step.get() == Step::Busy;

    let csv_store = store.clone();
    let run_csv = move |_| {
        if bad_dates() {
            return;
        }
        let (store, k, f, l) =
            ((*csv_store).clone(), kind.get_untracked(), filter.get_untracked(), lang.get_untracked());
        step.set(Step::Busy);
        leptos::task::spawn_local(async move {
            let now = now_ms();
            let done = match build::table(&store, k, &f, now, contact_only).await {
                Ok(table) => {
                    let name = file_name(k, now, "csv");
                    let rows = table.rows.len();
                    match build::csv_blob(&csv(&table)).and_then(|b| build::save(&name, &b)) {
                        Ok(()) => {
                            let filters = params(k, &f).iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>();
                            let entry = LocalExport {
                                at: now as f64,
                                kind: k.code().into(),
                                rows: rows as u32,
                                filters: filters.join("&"),
                            };
                            // The file is saved either way; a log that failed to write
                            // must not make the worker think it was not.
                            let _ = store.log_local_export(entry).await;
                            logged.update(|n| *n += 1);
                            Step::Done(name, Some(rows))
                        }
                        Err(_) => Step::Failed(ExportMsg::Failed.text(l).into()),
                    }
                }
                Err(e) => Step::Failed(format!("{}{}", ExportMsg::Failed.text(l), e.message(l))),
            };
            step.set(done);
        });
    };
    let token = me.token.clone();
    let run_xlsx = move |_| {
        if bad_dates() {
            return;
        }
        let (k, f, l, token) = (kind.get_untracked(), filter.get_untracked(), lang.get_untracked(), token.clone());
        step.set(Step::Busy);
        leptos::task::spawn_local(async move {
            let mut url = format!("/api/v1/export/{}?format=xlsx", k.code());
            if let Ok(search) = web_sys::UrlSearchParams::new() {
                for (key, value) in params(k, &f) {
                    search.append(key, &value);
                }
                let q: String = search.to_string().into();
                if !q.is_empty() {
                    url = format!("{url}&{q}");
                }
            }
            let name = file_name(k, now_ms(), "xlsx");
            let done = match crate::sync::download::file(&token, &url).await {
                Ok(blob) => match build::save(&name, &blob) {
                    Ok(()) => Step::Done(name, None),
                    Err(_) => Step::Failed(ExportMsg::Failed.text(l).into()),
                },
                Err(e) => Step::Failed(xlsx_error(&e, l, online)),
            };
            step.set(done);
        });
    };
    view! {
        <section class="page export-page" aria-labelledby="export-title">
            <h2 id="export-title">{tr(ExportMsg::Title)}</h2>
            <p class="muted">{tr(ExportMsg::Hint)}</p>
            {contact_only.then(|| view! { <p class="notice">{tr(ExportMsg::ContactOnly)}</p> })}
            <div class="field">
                <label for="export-kind">{tr(ExportMsg::Which)}</label>
                <select id="export-kind" on:change=move |ev| {
                    if let Some(k) = Kind::from_code(&event_target_value(&ev)) {
                        kind.set(k);
                        step.set(Step::Idle);
                    }
                }>
                    {Kind::ALL.into_iter().map(|k| view! {
                        <option value=k.code() prop:selected=move || kind.get() == k>{tr(kind_msg(k))}</option>
                    }).collect_view()}
                </select>
            </div>
            <ExportFields kind filter/>
            {move || bad_dates().then(|| view! { <p class="error" role="alert">{tr(ExportMsg::BadDates)}</p> })}
            <div class="actions">
                <button type="button" class="button export-csv" disabled=busy on:click=run_csv>{tr(ExportMsg::Csv)}</button>
                {staff.then(|| view! {
                    <button type="button" class="button secondary export-xlsx" on:click=run_xlsx
                        disabled=move || busy() || !online.get()>{tr(ExportMsg::Xlsx)}</button>
                })}
            </div>
            {move || (staff && !online.get()).then(|| view! { <p class="muted">{tr(ExportMsg::XlsxOffline)}</p> })}
            {move || (staff && online.get()).then(|| view! { <p class="muted">{tr(ExportMsg::XlsxHint)}</p> })}
            {move || status_line(&step.get(), lang.get())}
            <ExportLog logged/>
        </section>
    }
}

/// Why the server's file did not come, as the worker can act on it.
fn xlsx_error(e: &ApiError, l: Lang, online: RwSignal<bool>) -> String {
    match e {
        ApiError::Offline => {
            online.set(false);
            ExportMsg::XlsxOffline.text(l).into()
        }
        ApiError::Unauthorized { .. } => ExportMsg::Expired.text(l).into(),
        ApiError::Refused { message, .. } => format!("{}{message}", ExportMsg::Failed.text(l)),
        ApiError::EpochMismatch { .. } | ApiError::Server { .. } => {
            ExportMsg::Failed.text(l).trim_end_matches(['：', ':', ' ']).into()
        }
    }
}

fn status_line(step: &Step, l: Lang) -> Option<impl IntoView> {
    let (text, class, role) = match step {
        Step::Idle => return None,
        Step::Busy => (ExportMsg::Working.text(l).to_string(), "muted", "status"),
        Step::Done(name, rows) => {
            let rows = rows.map(|n| format!("（{n} {}）", ExportMsg::Rows.text(l))).unwrap_or_default();
            (format!("✓ {}{name}{rows}", ExportMsg::Done.text(l)), "ok", "status")
        }
        Step::Failed(e) => (e.clone(), "error", "alert"),
    };
    Some(view! { <p class=class role=role>{text}</p> })
}

/// The way in from Settings: one card with a link (its own block, beside the others).
#[component]
pub fn ExportCard() -> impl IntoView {
    let route = use_route();
    view! {
        <section class="card export-card" aria-labelledby="export-card-title">
            <h3 id="export-card-title">{tr(ExportMsg::Title)}</h3>
            <p class="muted">{tr(ExportMsg::SettingsHint)}</p>
            <a href="/export" class="button secondary" on:click=move |ev| {
                ev.prevent_default();
                navigate(route, Route::Export);
            }>{tr(ExportMsg::Link)}</a>
        </section>
    }
}

/// The way in from the issue list: the export screen opens on the issues with the list's
/// status, rung, category and overdue filters (its other filters have no column to
/// match on the server and are left out).
#[component]
pub fn ExportIssuesLink() -> impl IntoView {
    let route = use_route();
    view! {
        <a href="/export" class="link export-link" on:click=move |ev| {
            ev.prevent_default();
            // The page reads its filters from the URL when it opens, so the URL carries
            // them before the route changes.
            let Ok(search) = web_sys::UrlSearchParams::new() else { return };
            search.append("kind", "issues");
            for key in ["status", "level", "category", "overdue"] {
                if let Some(v) = query_param(key) {
                    search.append(key, &v);
                }
            }
            let url = format!("/export?{}", String::from(search.to_string()));
            if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
                let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
            route.set(Route::Export);
        }>{tr(ExportMsg::Link)}</a>
    }
}
