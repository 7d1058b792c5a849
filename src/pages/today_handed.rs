//! Today's section for a unit's contact (单位联络员): the issues handed to a unit they
//! answer for and not yet done, overdue first, then by due date, each with its due day.

use leptos::prelude::*;
use wangge_core::{Millis, UnitId};

use crate::i18n::handoff::HandoffMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::pages::issues::handoff::due_text;
use crate::route::{navigate, use_route, Route};
use crate::store::IssueRow;

/// Items shown; the rest are in the issue list's "已交办单位" filter.
const SHOWN: usize = 10;

/// One handed issue: the row and when it is due.
#[derive(Clone)]
pub struct Handed {
    pub row: IssueRow,
    pub due: Option<Millis>,
}

/// The open issues handed now to one of `units`: overdue first, then the soonest due,
/// those without a date last.
pub fn handed_to(open: &[IssueRow], units: &[UnitId], now: Millis) -> Vec<Handed> {
    let mut list: Vec<Handed> = open
        .iter()
        .filter(|r| r.state.handed_to().is_some_and(|u| units.contains(u)))
        .map(|r| Handed { row: r.clone(), due: r.state.handoff.as_ref().and_then(|h| h.due) })
        .collect();
    // Not overdue sorts after overdue; no date after any date.
    wangge_core::sort::sort_by_key(&mut list, |h| {
        (h.due.is_none_or(|d| d >= now), h.due.is_none(), h.due, h.row.issue.created_at)
    });
    list
}

#[component]
pub fn HandedSection(handed: Vec<Handed>, now: Millis) -> impl IntoView {
    let lang = use_lang();
    let route = use_route();
    let count = handed.len();
    let items = handed
        .into_iter()
        .take(SHOWN)
        .map(|h| {
            let to = Route::Issue(h.row.id.clone());
            let href = to.path();
            let late = h.due.is_some_and(|d| d < now);
            let due = h.due;
            let meta = move |l: Lang| match due {
                Some(t) if late => format!("{} · {}", due_text(t, l), HandoffMsg::Overdue.text(l)),
                Some(t) => due_text(t, l),
                None => HandoffMsg::NoDue.text(l).to_string(),
            };
            view! {
                <li>
                    <a class="row-link" href=href on:click=move |ev| {
                        ev.prevent_default();
                        navigate(route, to.clone());
                    }>
                        <span class="row-title">{h.row.title.clone()}</span>
                        <span class="row-meta" class:overdue=late>{move || meta(lang.get())}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="card today-section" aria-label=tr(HandoffMsg::TodayHanded)>
            <h3>{tr(HandoffMsg::TodayHanded)} <span class="count">{count}</span></h3>
            {(count == 0).then(|| view! { <p class="empty">{tr(crate::i18n::Msg::NothingYet)}</p> })}
            <ul class="list rows">{items}</ul>
            {(count > SHOWN).then(|| view! {
                <a class="see-all" href="/issues?handed=1">{tr(crate::i18n::Msg::SeeAll)} " (" {count} ")"</a>
            })}
        </section>
    }
}
