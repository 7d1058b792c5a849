//! The windowed list of issues: every row has the same height, a spacer as tall as all
//! rows keeps the page's scroll bar honest, and only the rows in view (plus a margin) are
//! in the DOM. The page itself scrolls (not an inner box), as a phone user expects.
//! Household names are read for the rows on screen only.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::super::common::{core_label, AppLink};
use super::data::Loaded;
use super::filter::Filtered;
use crate::context::use_store;
use crate::format::ago;
use crate::i18n::issues::IssueMsg;
use crate::i18n::{use_lang, Text};
use crate::route::Route;
use crate::store::issue_queries::IssueBrief;

/// Height of one row in CSS pixels (must match `.issue-row` in `style/issues.css`).
const ROW_HEIGHT: f64 = 104.0;
/// Rows drawn above and below the visible ones, so a fling does not show blanks.
const MARGIN_ROWS: usize = 6;

#[component]
pub fn IssueRows(loaded: Loaded, filtered: Memo<Arc<Filtered>>) -> impl IntoView {
    let list_ref = NodeRef::<leptos::html::Ol>::new();
    let viewport = RwSignal::new(Viewport::read(None));
    let update = move || viewport.set(Viewport::read(list_ref.get_untracked().as_ref().map(|e| e.unchecked_ref())));
    let on_scroll = window_event_listener(leptos::ev::scroll, move |_| update());
    let on_resize = window_event_listener(leptos::ev::resize, move |_| update());
    on_cleanup(move || {
        on_scroll.remove();
        on_resize.remove();
    });
    // Once mounted, measure where the list starts on the page.
    Effect::new(move || {
        if list_ref.get().is_some() {
            update();
        }
    });
    let len = move || filtered.with(|f| f.rows.len());
    let visible = Memo::new(move |_| {
        let v = viewport.get();
        window_range(v, len())
    });
    let names = RwSignal::new(HashMap::<String, String>::new());
    load_visible_names(&loaded, filtered, visible, names);
    let briefs = loaded.briefs.clone();
    let now = loaded.now;
    let grid_names = loaded.grid_names.clone();
    view! {
        <ol class="issue-rows" node_ref=list_ref
            style:height=move || format!("{}px", len() as f64 * ROW_HEIGHT)>
            <For
                each=move || {
                    let (from, to) = visible.get();
                    filtered.with(|f| {
                        (from..to).map(|i| (i, f.rows[i])).collect::<Vec<_>>()
                    })
                }
                key=|pair| *pair
                children=move |(i, idx)| {
                    let b = briefs[idx as usize].clone();
                    let grid = grid_names.get(&b.grid).cloned().unwrap_or_default();
                    view! { <IssueRow brief=b grid position=i total=Signal::derive(len) names now/> }
                }
            />
        </ol>
    }
}

/// What decides which rows are in view: the page's scroll position, the window's height
/// and where the list starts on the page.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Viewport {
    scroll_y: f64,
    height: f64,
    list_top: f64,
}

impl Viewport {
    fn read(list: Option<&web_sys::HtmlElement>) -> Viewport {
        let w = window();
        let scroll_y = w.scroll_y().unwrap_or(0.0);
        let height = w.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(740.0);
        Viewport { scroll_y, height, list_top: list.map(page_top).unwrap_or(0.0) }
    }
}

/// The element's distance from the top of the page.
fn page_top(el: &web_sys::HtmlElement) -> f64 {
    let mut top = 0.0;
    let mut node = Some(el.clone());
    while let Some(e) = node {
        top += f64::from(e.offset_top());
        node = e.offset_parent().and_then(|p| p.dyn_into::<web_sys::HtmlElement>().ok());
    }
    top
}

/// Rows `from..to` to draw for `len` rows.
fn window_range(v: Viewport, len: usize) -> (usize, usize) {
    let into_list = (v.scroll_y - v.list_top).max(0.0);
    let first = (into_list / ROW_HEIGHT).floor() as usize;
    let last = ((v.scroll_y + v.height - v.list_top).max(0.0) / ROW_HEIGHT).ceil() as usize;
    let from = first.saturating_sub(MARGIN_ROWS).min(len);
    let to = (last + MARGIN_ROWS).min(len);
    (from, to)
}

/// Reads the household names the visible rows need and have not been read yet.
fn load_visible_names(
    loaded: &Loaded,
    filtered: Memo<Arc<Filtered>>,
    visible: Memo<(usize, usize)>,
    names: RwSignal<HashMap<String, String>>,
) {
    let store = use_store();
    let briefs = loaded.briefs.clone();
    let asked = StoredValue::new(HashSet::<String>::new());
    Effect::new(move || {
        let (from, to) = visible.get();
        let wanted: Vec<String> = filtered.with(|f| {
            f.rows[from..to]
                .iter()
                .map(|i| &briefs[*i as usize].household)
                .filter(|h| !h.is_empty() && !asked.with_value(|a| a.contains(*h)))
                .cloned()
                .collect()
        });
        if wanted.is_empty() {
            return;
        }
        asked.update_value(|a| a.extend(wanted.iter().cloned()));
        let store = store.clone();
        leptos::task::spawn_local(async move {
            if let Ok(found) = store.household_names_for_issues(&wanted).await {
                names.update(|n| n.extend(found));
            }
        });
    });
}

#[component]
fn IssueRow(
    brief: IssueBrief,
    /// The grid's name.
    grid: String,
    position: usize,
    total: Signal<usize>,
    names: RwSignal<HashMap<String, String>>,
    now: f64,
) -> impl IntoView {
    let lang = use_lang();
    let b = brief;
    let household = b.household.clone();
    // "户主 张三 · 二村": who it concerns, then where.
    let place = move || {
        let who = names.with(|n| n.get(&household).cloned());
        match who {
            Some(name) => format!("{} {name} · {grid}", IssueMsg::HouseholdOf.text(lang.get())),
            None => grid.clone(),
        }
    };
    let mark = b.flagged.then_some(if b.overdue { IssueMsg::MarkOverdue } else { IssueMsg::MarkSupervised });
    let created = b.created_at as f64;
    view! {
        <li class="issue-row" style:transform=format!("translateY({}px)", position as f64 * ROW_HEIGHT)
            aria-posinset=position + 1 aria-setsize=total>
            <AppLink to=Route::Issue(b.id.clone()) class="issue-link">
                <span class="issue-line1">
                    <span class="issue-title">{b.title.clone()}</span>
                    {mark.map(|m| view! { <span class="mark-overdue">{move || m.text(lang.get())}</span> })}
                </span>
                <span class="issue-line2">
                    <span class=format!("pill status-{}", b.status.code())>{move || core_label!(b.status, lang.get())}</span>
                    <span class="pill level">{move || core_label!(b.level, lang.get())}</span>
                    <span class="issue-cat">{move || core_label!(b.category, lang.get())}</span>
                </span>
                <span class="issue-line3 muted">
                    <span class="issue-place">{place}</span>
                    <span class="issue-age">{move || ago(created, now, lang.get())}</span>
                </span>
            </AppLink>
        </li>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn only_the_rows_in_view_and_a_margin_are_drawn() {
        let at = |scroll_y| Viewport { scroll_y, height: 740.0, list_top: 400.0 };
        // At the top of the page: the rows under the fold plus the margin below.
        assert_eq!(window_range(at(0.0), 20_000), (0, 4 + MARGIN_ROWS));
        // Deep in the list: about one screen of rows, with a margin on both sides.
        let (from, to) = window_range(at(400.0 + 1000.0 * ROW_HEIGHT), 20_000);
        assert_eq!((from, to), (1000 - MARGIN_ROWS, 1000 + 8 + MARGIN_ROWS));
        // Short lists are drawn whole; the range never passes the end.
        assert_eq!(window_range(at(0.0), 3), (0, 3));
        assert_eq!(window_range(at(1e9), 10), (10, 10));
    }
}
