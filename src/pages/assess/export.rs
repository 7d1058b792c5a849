//! 导出表格(CSV) of the assessment on screen: the core's sheet (`assessment::table`, the
//! same columns a server export would have) written by the core's `export::csv` — BOM,
//! neutralised cells — saved offline like the export screen's files and logged in this
//! phone's export log (kind `assessment`, the month as its filter). A worker's file holds
//! what her screen shows: her grid and her own row.

use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::assessment::{table, Assessment};
use wangge_core::export::{csv, Names};

use super::Viewer;
use crate::context::use_store;
use crate::format::now_ms;
use crate::i18n::assess::AssessMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::export::build::{csv_blob, save};
use crate::store::assess_queries::AssessRead;
use crate::store::export_log::LocalExport;
use crate::store::StoreError;

/// The export log's kind code for this sheet.
pub(crate) const LOG_KIND: &str = "assessment";

#[derive(Clone, PartialEq)]
pub enum Step {
    Idle,
    Busy,
    /// The file's name and its rows.
    Done(String, usize),
    Failed,
}

type Data = RwSignal<Option<Result<Option<Arc<AssessRead>>, StoreError>>>;

/// The assessment as `viewer` sees it: a worker's own row only under her grid.
fn visible(a: &Assessment, viewer: &Viewer) -> Assessment {
    let mut a = a.clone();
    if let Viewer::Worker(me) = viewer {
        for g in &mut a.grids {
            g.workers.retain(|w| w.person.as_str() == me);
        }
    }
    a
}

#[component]
pub fn ExportButton(data: Data, step: RwSignal<Step>, viewer: Viewer) -> impl IntoView {
    let store = use_store();
    let ready = move || data.with(|d| matches!(d, Some(Ok(Some(_)))));
    let run = move |_| {
        let Some(Ok(Some(read))) = data.get_untracked() else { return };
        let store = (*store).clone();
        let viewer = viewer.clone();
        step.set(Step::Busy);
        leptos::task::spawn_local(async move {
            let none = Default::default();
            let names = Names { tree: &read.tree, people: &read.names, units: &none };
            let sheet = table(&visible(&read.assessment, &viewer), &names);
            let month = read.assessment.month;
            let name = format!("考核-{month}.csv");
            let rows = sheet.rows.len();
            let saved = csv_blob(&csv(&sheet)).and_then(|b| save(&name, &b));
            if saved.is_err() {
                step.set(Step::Failed);
                return;
            }
            let entry = LocalExport {
                at: now_ms() as f64,
                kind: LOG_KIND.into(),
                rows: rows as u32,
                filters: format!("month={month}"),
            };
            // The file is saved either way; a log that failed to write must not make the
            // worker think it was not.
            let _ = store.log_local_export(entry).await;
            step.set(Step::Done(name, rows));
        });
    };
    view! {
        <button type="button" class="button assess-csv" disabled=move || !ready() || step.get() == Step::Busy
            on:click=run>{tr(AssessMsg::Csv)}</button>
    }
}

/// What became of the last export.
pub fn status_line(step: &Step) -> Option<impl IntoView> {
    let lang = use_lang();
    let step = step.clone();
    let (class, role) = match step {
        Step::Idle => return None,
        Step::Busy | Step::Done(..) => ("muted no-print", "status"),
        Step::Failed => ("error no-print", "alert"),
    };
    let text = move || {
        let l = lang.get();
        match &step {
            Step::Idle => String::new(),
            Step::Busy => AssessMsg::Working.text(l).into(),
            Step::Done(name, rows) => {
                format!("✓ {}{name}（{rows} {}）", AssessMsg::Exported.text(l), AssessMsg::Rows.text(l))
            }
            Step::Failed => AssessMsg::Failed.text(l).trim_end_matches(['：', ':', ' ']).into(),
        }
    };
    Some(view! { <p class=class role=role>{text}</p> })
}
