//! The export screen's filters: for issues those of the issue list (status, rung,
//! category, overdue) and the report dates; the dates for visits and mediation cases;
//! the grid for every list. Each control shows only for the lists that take it.

use leptos::prelude::*;
use wangge_core::export::{Filter, Kind, StatusFilter};
use wangge_core::grid::{EscalationLevel, Grid};
use wangge_core::issue::Category;
use wangge_core::{Date, GridId};

use crate::context::use_store;
use crate::i18n::export::ExportMsg;
use crate::i18n::issues::IssueMsg;
use crate::i18n::{tr, use_lang, Text};
use crate::pages::issues::common::core_label;
use crate::pages::issues::list::filter::STATUSES;

#[component]
pub fn ExportFields(kind: RwSignal<Kind>, filter: RwSignal<Filter>) -> impl IntoView {
    let lang = use_lang();
    let store = use_store();
    let grids = LocalResource::new(move || {
        let store = (*store).clone();
        async move { store.grids().await.unwrap_or_default() }
    });
    let takes = move |key: &str| kind.get().filters().contains(&key);
    let any = move || IssueMsg::FilterAny.text(lang.get());
    let status_is = move |s: Option<StatusFilter>| filter.with(|f| f.status == s);
    let day = move |ev: leptos::ev::Event| Date::parse(&event_target_value(&ev)).ok();
    view! {
        <fieldset class="card export-filters">
            <legend>{tr(ExportMsg::Filters)}</legend>
            <Show when=move || takes("status")>
                <div class="filter-grid">
                    <div class="field">
                        <label for="export-status">{tr(IssueMsg::FilterStatus)}</label>
                        <select id="export-status" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            filter.update(|f| f.status = StatusFilter::from_code(&v));
                        }>
                            <option value="" prop:selected=move || status_is(None)>{any}</option>
                            <option value="open" prop:selected=move || status_is(Some(StatusFilter::Open))>
                                {tr(IssueMsg::StatusOpen)}
                            </option>
                            {STATUSES.into_iter().map(|s| view! {
                                <option value=s.code() prop:selected=move || status_is(Some(StatusFilter::Is(s)))>
                                    {move || core_label!(s, lang.get())}
                                </option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="export-level">{tr(IssueMsg::FilterLevel)}</label>
                        <select id="export-level" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            filter.update(|f| f.level = EscalationLevel::from_code(&v));
                        }>
                            <option value="" prop:selected=move || filter.with(|f| f.level.is_none())>{any}</option>
                            {EscalationLevel::ALL.into_iter().map(|l| view! {
                                <option value=l.code() prop:selected=move || filter.with(|f| f.level == Some(l))>
                                    {move || core_label!(l, lang.get())}
                                </option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="export-category">{tr(IssueMsg::FilterCategory)}</label>
                        <select id="export-category" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            filter.update(|f| f.category = Category::from_code(&v));
                        }>
                            <option value="" prop:selected=move || filter.with(|f| f.category.is_none())>{any}</option>
                            {Category::ALL.into_iter().map(|c| view! {
                                <option value=c.code() prop:selected=move || filter.with(|f| f.category == Some(c))>
                                    {move || core_label!(c, lang.get())}
                                </option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
                <label class="choice">
                    <input type="checkbox" prop:checked=move || filter.with(|f| f.overdue)
                        on:change=move |ev| filter.update(|f| f.overdue = event_target_checked(&ev))/>
                    {tr(ExportMsg::OverdueOnly)}
                </label>
            </Show>
            <Show when=move || takes("from")>
                <div class="filter-grid">
                    <div class="field">
                        <label for="export-from">{tr(ExportMsg::From)}</label>
                        <input type="date" id="export-from"
                            prop:value=move || filter.with(|f| f.from.map(|d| d.to_string()).unwrap_or_default())
                            on:change=move |ev| { let d = day(ev); filter.update(|f| f.from = d) }/>
                    </div>
                    <div class="field">
                        <label for="export-to">{tr(ExportMsg::To)}</label>
                        <input type="date" id="export-to"
                            prop:value=move || filter.with(|f| f.to.map(|d| d.to_string()).unwrap_or_default())
                            on:change=move |ev| { let d = day(ev); filter.update(|f| f.to = d) }/>
                    </div>
                </div>
            </Show>
            <div class="field">
                <label for="export-grid">{tr(ExportMsg::Grid)}</label>
                <select id="export-grid" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    filter.update(|f| f.grid = GridId::parse(&v).ok());
                }>
                    <option value="" prop:selected=move || filter.with(|f| f.grid.is_none())>{tr(ExportMsg::AnyGrid)}</option>
                    {move || grids.get().unwrap_or_default().into_iter().map(|g: Grid| {
                        let id = g.id.clone();
                        view! {
                            <option value=g.id.to_string() prop:selected=move || filter.with(|f| f.grid.as_ref() == Some(&id))>
                                {g.name.to_string()}
                            </option>
                        }
                    }).collect_view()}
                </select>
            </div>
        </fieldset>
    }
}
