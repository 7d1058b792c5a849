//! The issue list's search box and filters, each option with how many issues it would show.
//! Two toggles a worker uses all day (督办/超期, 我的) stay in sight; status, level and
//! category fold away under "筛选" so the list keeps most of a 360 px screen.

use leptos::prelude::*;
use wangge_core::grid::EscalationLevel;
use wangge_core::issue::Category;

use super::super::common::core_label;
use super::filter::{Counts, IssueFilter, StatusChoice, STATUSES};
use crate::i18n::issues::IssueMsg;
use crate::i18n::{tr, use_lang, Lang, Text};

#[component]
pub fn FilterBar(filter: RwSignal<IssueFilter>, counts: Signal<Counts>) -> impl IntoView {
    let lang = use_lang();
    let folded_open = filter.with_untracked(|f| f.status.is_some() || f.level.is_some() || f.category.is_some());
    let selects_active = move || {
        filter.with(|f| {
            usize::from(f.status.is_some()) + usize::from(f.level.is_some()) + usize::from(f.category.is_some())
        })
    };
    let summary = move || match selects_active() {
        0 => IssueMsg::MoreFilters.text(lang.get()).to_string(),
        n => format!("{} · {n}", IssueMsg::MoreFilters.text(lang.get())),
    };
    view! {
        <div class="issue-filters">
            <input type="search" class="issue-search" enterkeyhint="search"
                aria-label=tr(IssueMsg::SearchLabel) placeholder=tr(IssueMsg::SearchPlaceholder)
                prop:value=move || filter.with(|f| f.query.clone())
                on:input=move |ev| filter.update(|f| f.query = event_target_value(&ev))/>
            <div class="issue-chips">
                <Toggle label=IssueMsg::FilterOverdue count=Signal::derive(move || counts.with(|c| c.flagged))
                    on=Signal::derive(move || filter.with(|f| f.flagged))
                    set=Callback::new(move |v| filter.update(|f| f.flagged = v))/>
                <Toggle label=IssueMsg::FilterMine count=Signal::derive(move || counts.with(|c| c.mine))
                    on=Signal::derive(move || filter.with(|f| f.mine))
                    set=Callback::new(move |v| filter.update(|f| f.mine = v))/>
                <Toggle label=IssueMsg::FilterHanded count=Signal::derive(move || counts.with(|c| c.handed))
                    on=Signal::derive(move || filter.with(|f| f.handed))
                    set=Callback::new(move |v| filter.update(|f| f.handed = v))/>
            </div>
            <details class="more-filters" open=folded_open>
                <summary>{summary}</summary>
                <div class="filter-grid">
                    <StatusSelect filter counts/>
                    <div class="field">
                        <label for="filter-level">{tr(IssueMsg::FilterLevel)}</label>
                        <select id="filter-level" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            filter.update(|f| f.level = EscalationLevel::from_code(&v));
                        }>
                            <option value="" prop:selected=move || filter.with(|f| f.level.is_none())>
                                {move || any_option(lang.get(), counts.with(|c| c.any_level))}
                            </option>
                            {EscalationLevel::ALL.into_iter().enumerate().map(|(i, l)| view! {
                                <option value=l.code() prop:selected=move || filter.with(|f| f.level == Some(l))>
                                    {move || format!("{} ({})", core_label!(l, lang.get()), counts.with(|c| c.level[i]))}
                                </option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-category">{tr(IssueMsg::FilterCategory)}</label>
                        <select id="filter-category" on:change=move |ev| {
                            let v = event_target_value(&ev);
                            filter.update(|f| f.category = Category::from_code(&v));
                        }>
                            <option value="" prop:selected=move || filter.with(|f| f.category.is_none())>
                                {move || any_option(lang.get(), counts.with(|c| c.any_category))}
                            </option>
                            {Category::ALL.into_iter().enumerate().map(|(i, c)| view! {
                                <option value=c.code() prop:selected=move || filter.with(|f| f.category == Some(c))>
                                    {move || format!("{} ({})", core_label!(c, lang.get()), counts.with(|n| n.category[i]))}
                                </option>
                            }).collect_view()}
                        </select>
                    </div>
                </div>
            </details>
        </div>
    }
}

#[component]
fn StatusSelect(filter: RwSignal<IssueFilter>, counts: Signal<Counts>) -> impl IntoView {
    let lang = use_lang();
    let is = move |choice: Option<StatusChoice>| filter.with(|f| f.status == choice);
    view! {
        <div class="field">
            <label for="filter-status">{tr(IssueMsg::FilterStatus)}</label>
            <select id="filter-status" on:change=move |ev| {
                let v = event_target_value(&ev);
                filter.update(|f| f.status = StatusChoice::from_code(&v));
            }>
                <option value="" prop:selected=move || is(None)>
                    {move || any_option(lang.get(), counts.with(|c| c.any_status))}
                </option>
                <option value="open" prop:selected=move || is(Some(StatusChoice::Open))>
                    {move || format!("{} ({})", IssueMsg::StatusOpen.text(lang.get()), counts.with(|c| c.open))}
                </option>
                {STATUSES.into_iter().enumerate().map(|(i, s)| view! {
                    <option value=s.code() prop:selected=move || is(Some(StatusChoice::Is(s)))>
                        {move || format!("{} ({})", core_label!(s, lang.get()), counts.with(|c| c.status[i]))}
                    </option>
                }).collect_view()}
            </select>
        </div>
    }
}

/// A filter that is on or off, shown as a chip with its count.
#[component]
fn Toggle(label: IssueMsg, count: Signal<u32>, on: Signal<bool>, set: Callback<bool>) -> impl IntoView {
    view! {
        <label class="issue-chip" class:on=move || on.get()>
            <input type="checkbox" prop:checked=move || on.get()
                on:change=move |ev| set.run(event_target_checked(&ev))/>
            <span>{tr(label)}</span>
            <span class="issue-chip-count">{move || count.get()}</span>
        </label>
    }
}

fn any_option(lang: Lang, n: u32) -> String {
    format!("{} ({n})", IssueMsg::FilterAny.text(lang))
}
