//! 导出表格: the community's lists for Excel — issues (with the issue list's filters:
//! status, rung, category, reported between two days, grid), households, visits and
//! mediation cases (between two days, grid), the three lists (grid) — downloaded as .xlsx or CSV. The server scopes every export to the
//! administrator's part of the grid and records it in the export log (导出记录).

use leptos::prelude::*;
use leptos::task::spawn_local;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::{Category, Status};

use crate::api::{self, ApiError, Grid};
use crate::i18n::{lang, t, Lang};

use super::{notice_view, Notice};

/// Which list: the API's path segment, its Chinese and English names.
const LISTS: [(&str, &str, &str); 5] = [
    ("issues", "问题清单", "Issues"),
    ("households", "住户台账", "Households"),
    ("visits", "走访记录", "Visits"),
    ("mediations", "调解案件", "Mediation cases"),
    ("lists", "三张清单", "Resources, projects and needs"),
];

/// The filters as typed; empty means "all".
#[derive(Clone, Debug, Default, PartialEq)]
struct Filters {
    status: String,
    level: String,
    category: String,
    /// "1": only issues flagged for supervision.
    overdue: String,
    from: String,
    to: String,
    grid: String,
}

/// Which filters a list takes (the server refuses the others with `bad_query`).
fn takes(list: &str, key: &str) -> bool {
    match list {
        "issues" => true,
        "visits" | "mediations" => matches!(key, "from" | "to" | "grid"),
        _ => key == "grid",
    }
}

/// A query value percent-encoded (codes, dates and grid ids are ASCII already; anything
/// else is escaped byte by byte).
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The query string of an export: the format and the filters the list takes that are set.
fn query(list: &str, format: &str, f: &Filters) -> String {
    let pairs = [
        ("status", &f.status),
        ("level", &f.level),
        ("category", &f.category),
        ("overdue", &f.overdue),
        ("from", &f.from),
        ("to", &f.to),
        ("grid", &f.grid),
    ];
    let mut out = format!("format={format}");
    for (key, value) in pairs {
        if !value.is_empty() && takes(list, key) {
            out.push_str(&format!("&{key}={}", encode(value)));
        }
    }
    out
}

fn today() -> String {
    let d = js_sys::Date::new_0();
    format!("{}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

/// A choice of codes with their labels, "all" first.
fn picker(
    label: (&'static str, &'static str),
    options: Vec<(&'static str, &'static str, &'static str)>,
    value: RwSignal<Filters>,
    field: fn(&mut Filters) -> &mut String,
) -> impl IntoView {
    let lang = lang();
    view! {
        <label class="field">{t(label.0, label.1)}
            <select on:change=move |e| { let v = event_target_value(&e); value.update(|f| *field(f) = v) }>
                <option value="">{t("全部", "All")}</option>
                {options.into_iter().map(|(code, zh, en)| view! {
                    <option value=code>{move || lang.get().pick(zh, en)}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

fn day(
    label: (&'static str, &'static str),
    value: RwSignal<Filters>,
    field: fn(&mut Filters) -> &mut String,
) -> impl IntoView {
    view! {
        <label class="field">{t(label.0, label.1)}
            <input type="date" on:change=move |e| { let v = event_target_value(&e); value.update(|f| *field(f) = v) }/>
        </label>
    }
}

#[component]
pub(crate) fn Export() -> impl IntoView {
    let list = RwSignal::new("issues");
    let filters = RwSignal::new(Filters::default());
    let grids: RwSignal<Vec<Grid>> = RwSignal::new(Vec::new());
    let notice = RwSignal::new(Notice::None);
    let busy = RwSignal::new(false);
    spawn_local(async move {
        if let Ok(list) = api::grids().await {
            grids.set(list.into_iter().filter(|g| !g.retired).collect());
        }
    });
    let download = move |format: &'static str| {
        let kind = list.get_untracked();
        let q = query(kind, format, &filters.get_untracked());
        let zh = LISTS.iter().find(|l| l.0 == kind).map_or(kind, |l| l.1);
        let name = format!("{zh}-{}.{format}", today());
        busy.set(true);
        notice.set(Notice::None);
        spawn_local(async move {
            let answer: Result<(), ApiError> = api::download_export(kind, &q, &name).await;
            busy.set(false);
            notice.set(match answer {
                Ok(()) => Notice::Done(format!("{}{name}", lang().get_untracked().pick("已下载 ", "Downloaded "))),
                Err(e) => Notice::Failed(e),
            });
        });
    };
    // 未结案 first, as on the phone's issue list; then every status an issue can be in.
    let statuses: Vec<_> = std::iter::once(("open", "未结案", "Not closed"))
        .chain(Status::ALL.iter().skip(1).map(|s| (s.code(), s.label_zh(), s.label_en())))
        .collect();
    let levels: Vec<_> = EscalationLevel::ALL.iter().map(|l| (l.code(), l.label_zh(), l.label_en())).collect();
    let categories: Vec<_> = Category::ALL.iter().map(|c| (c.code(), c.label_zh(), c.label_en())).collect();
    let shows = move |key: &'static str| move || takes(list.get(), key);
    view! {
        <section class="admin-export">
            <h2>{t("导出表格", "Export to Excel")}</h2>
            <div class="card admin-form">
                <fieldset class="admin-roles">
                    <legend>{t("导出哪一张表", "Which list")}</legend>
                    {LISTS.map(|(code, zh, en)| view! {
                        <label class="choice">
                            <input type="radio" name="export-list" prop:checked=move || list.get() == code on:change=move |_| list.set(code)/>
                            {t(zh, en)}
                        </label>
                    })}
                </fieldset>
                <Show when=shows("status")>{picker(("状态", "Status"), statuses.clone(), filters, |f| &mut f.status)}</Show>
                <Show when=shows("level")>{picker(("当前层级", "Current level"), levels.clone(), filters, |f| &mut f.level)}</Show>
                <Show when=shows("category")>{picker(("类别", "Category"), categories.clone(), filters, |f| &mut f.category)}</Show>
                <Show when=shows("overdue")>
                    <label class="choice">
                        <input type="checkbox" on:change=move |e| {
                            let on = event_target_checked(&e);
                            filters.update(|f| f.overdue = if on { "1".into() } else { String::new() })
                        }/>
                        {t("只导出超期或被督办的问题", "Only overdue or supervised issues")}
                    </label>
                </Show>
                <Show when=shows("from")>
                    {day(("从（上报、走访或受理日期）", "From (reported, visit or accepted day)"), filters, |f| &mut f.from)}
                    {day(("到", "To"), filters, |f| &mut f.to)}
                </Show>
                <label class="field">{t("网格", "Grid")}
                    <select on:change=move |e| { let v = event_target_value(&e); filters.update(|f| f.grid = v) }>
                        <option value="">{t("我管理的全部网格", "All of my grids")}</option>
                        {move || grids.get().into_iter().map(|g| view! { <option value=g.id.clone()>{g.name.clone()}</option> }).collect_view()}
                    </select>
                </label>
                <p class="muted">{t(
                    "导出的表格含居民信息，每次导出都会记录（谁、何时、哪张表、多少行），请妥善保管文件。",
                    "Exports hold residents' data; each one is recorded (who, when, which list, how many rows). Keep the file safe.",
                )}</p>
                <div class="actions">
                    <button class="button" disabled=move || busy.get() on:click=move |_| download("xlsx")>{t("下载 .xlsx", "Download .xlsx")}</button>
                    <button class="button secondary" disabled=move || busy.get() on:click=move |_| download("csv")>{t("下载 .csv", "Download .csv")}</button>
                </div>
            </div>
            {notice_view(notice)}
        </section>
    }
}

/// The list's name in `lang` (the export log shows it).
pub(crate) fn list_name(code: &str, lang: Lang) -> String {
    LISTS.iter().find(|l| l.0 == code).map_or(code.to_string(), |l| lang.pick(l.1, l.2).to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_filters_a_list_takes_reach_the_query() {
        let f = Filters {
            status: "open".into(),
            overdue: "1".into(),
            from: "2026-12-01".into(),
            grid: "g1".into(),
            ..Filters::default()
        };
        assert_eq!(query("issues", "xlsx", &f), "format=xlsx&status=open&overdue=1&from=2026-12-01&grid=g1");
        assert_eq!(query("visits", "csv", &f), "format=csv&from=2026-12-01&grid=g1");
        assert_eq!(query("households", "csv", &f), "format=csv&grid=g1");
        assert_eq!(query("mediations", "xlsx", &f), "format=xlsx&from=2026-12-01&grid=g1");
        assert_eq!(query("lists", "csv", &f), "format=csv&grid=g1");
        assert_eq!(encode("a b/中"), "a%20b%2F%E4%B8%AD");
    }
}
