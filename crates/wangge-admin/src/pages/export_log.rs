//! 导出记录: who exported which list of the administrator's part of the grid, when, in
//! which format, with which filters, and how many rows left the server (newest first).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError, ExportEntry};
use crate::format;
use crate::i18n::{lang, t, Lang};

use super::error_view;
use super::export::list_name;

/// The filters as `key=value`, or "none".
fn filters_text(e: &ExportEntry, lang: Lang) -> String {
    if e.filters.is_empty() {
        return lang.pick("无", "none").into();
    }
    let parts: Vec<String> = e
        .filters
        .iter()
        .map(|(k, v)| format!("{k}={}", v.as_str().map_or_else(|| v.to_string(), String::from)))
        .collect();
    parts.join(", ")
}

#[component]
pub(crate) fn ExportLog() -> impl IntoView {
    let list: RwSignal<Option<Result<Vec<ExportEntry>, ApiError>>> = RwSignal::new(None);
    spawn_local(async move { list.set(Some(api::export_log().await)) });
    let lang = lang();
    let heads = [
        ("时间", "When"),
        ("导出人", "Who"),
        ("表", "List"),
        ("格式", "Format"),
        ("范围", "Scope"),
        ("筛选", "Filters"),
        ("行数", "Rows"),
    ];
    view! {
        <section class="admin-export-log">
            <h2>{t("导出记录", "Export log")}</h2>
            <p class="muted">{t("您管理范围内最近的 500 次导出。", "The latest 500 exports in your part of the grid.")}</p>
            {move || match list.get() {
                None => view! { <p class="muted">{t("正在读取…", "Loading…")}</p> }.into_any(),
                Some(Err(e)) => error_view(&e).into_any(),
                Some(Ok(rows)) if rows.is_empty() => view! { <p class="muted">{t("还没有人导出过。", "No exports yet.")}</p> }.into_any(),
                Some(Ok(rows)) => view! {
                    <table class="admin-table">
                        <thead><tr>{heads.map(|(zh, en)| view! { <th>{t(zh, en)}</th> })}</tr></thead>
                        <tbody>{rows.into_iter().map(|e| {
                            let cells = [
                                format::time(Some(&e.at), lang.get()),
                                e.username.clone(),
                                list_name(&e.kind, lang.get()),
                                e.format.clone(),
                                e.grid_name.clone().unwrap_or_else(|| e.scope_grid.clone()),
                                filters_text(&e, lang.get()),
                                e.rows.to_string(),
                            ];
                            view! {
                                <tr>{cells.into_iter().zip(heads).map(|(cell, (zh, en))| view! {
                                    <td data-label=move || lang.get().pick(zh, en)>{cell}</td>
                                }).collect_view()}</tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
        </section>
    }
}
