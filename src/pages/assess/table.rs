//! The assessment as one table: a `<tbody>` per grid (the grid's row, then its people's),
//! the total last. Every figure is "count / of" under a header saying what each side
//! counts; on a phone `style/assess.css` turns each grid's `<tbody>` into a card whose
//! cells carry their header as a label (`data-label`), so nothing is cut off at 360 px.

use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::assessment::{Figures, Share};

use super::Viewer;
use crate::i18n::assess::AssessMsg;
use crate::i18n::{tr, use_lang, Lang, Text};
use crate::store::assess_queries::AssessRead;

/// The figure columns, in order: (key for tests and CSS, header).
const COLUMNS: [(&str, AssessMsg); 8] = [
    ("visits", AssessMsg::Visits),
    ("reported", AssessMsg::Reported),
    ("closed", AssessMsg::ClosedLow),
    ("overdue", AssessMsg::Overdue),
    ("ratings", AssessMsg::Ratings),
    ("task-reached", AssessMsg::TaskReached),
    ("task-on-time", AssessMsg::TaskOnTime),
    ("task-records", AssessMsg::TaskRecords),
];

/// One shown row: its two name cells and figures; `whole`: a grid's or the total's.
struct Line {
    grid: String,
    who: String,
    figures: Figures,
    whole: bool,
    class: &'static str,
}

/// The rows `viewer` sees, grouped per grid (the total as a group of its own).
fn groups(read: &AssessRead, viewer: &Viewer, l: Lang) -> Vec<Vec<Line>> {
    let a = &read.assessment;
    let grid_name = |id: &wangge_core::GridId| read.tree.get(id).map_or_else(|| id.to_string(), |g| g.name.to_string());
    let mut out: Vec<Vec<Line>> = a
        .grids
        .iter()
        .map(|g| {
            let name = grid_name(&g.grid);
            let mut lines = vec![Line {
                grid: name.clone(),
                who: AssessMsg::WholeGrid.text(l).into(),
                figures: g.figures,
                whole: true,
                class: "grid-row",
            }];
            let people = g.workers.iter().filter(|w| match viewer {
                Viewer::Worker(me) => w.person.as_str() == me,
                Viewer::Staff => true,
            });
            lines.extend(people.map(|w| {
                let mut who = read.names.get(w.person.as_str()).cloned().unwrap_or_else(|| w.person.to_string());
                if !w.assigned {
                    who.push_str(AssessMsg::NotAssigned.text(l));
                }
                Line { grid: name.clone(), who, figures: w.figures, whole: false, class: "person-row" }
            }));
            lines
        })
        .collect();
    if a.grids.len() > 1 {
        let total = Line {
            grid: AssessMsg::Total.text(l).into(),
            who: String::new(),
            figures: a.total,
            whole: true,
            class: "total-row",
        };
        out.push(vec![total]);
    }
    out
}

fn pair(s: Share) -> String {
    format!("{} / {}", s.count, s.of)
}

/// "5分 3 · 4分 1" (only the scores given), or "暂无评价".
fn ratings(f: &Figures, l: Lang) -> String {
    let given: Vec<String> = (1..=5usize)
        .rev()
        .filter(|score| f.ratings[score - 1] > 0)
        .map(|score| format!("{score}{} {}", AssessMsg::Points.text(l), f.ratings[score - 1]))
        .collect();
    if given.is_empty() {
        AssessMsg::NoRatings.text(l).into()
    } else {
        given.join(" · ")
    }
}

/// Each figure cell's text, in `COLUMNS` order; `None` for a grid's figure on a person.
fn cells(line: &Line, l: Lang) -> [Option<String>; 8] {
    let f = &line.figures;
    [
        Some(pair(f.visits)),
        Some(pair(f.reported)),
        Some(pair(f.closed_low)),
        Some(pair(f.overdue)),
        Some(ratings(f, l)),
        Some(pair(f.task_reached)),
        Some(pair(f.task_on_time)),
        line.whole.then(|| pair(f.task_records)),
    ]
}

fn row(line: Line, l: Lang) -> impl IntoView {
    let overdue = line.figures.overdue.count > 0;
    let figures = cells(&line, l).into_iter().zip(COLUMNS).map(|(text, (key, label))| {
        let red = key == "overdue" && overdue;
        let text = text.unwrap_or_else(|| format!("— ({})", AssessMsg::GridOnly.text(l)));
        view! { <td data-figure=key data-label=label.text(l) class:alert=red>{text}</td> }
    });
    view! {
        <tr class=line.class>
            <th scope="row" class="assess-who" data-label=AssessMsg::Grid.text(l)>
                <span class="assess-grid">{line.grid}</span>
                <span class="assess-person">{line.who}</span>
            </th>
            {figures.collect_view()}
        </tr>
    }
}

#[component]
pub fn AssessTable(read: Arc<AssessRead>, viewer: Viewer) -> impl IntoView {
    let lang = use_lang();
    let cutoff = read.assessment.cutoff;
    move || {
        let l = lang.get();
        let bodies = groups(&read, &viewer, l)
            .into_iter()
            .map(|lines| view! { <tbody>{lines.into_iter().map(|line| row(line, l)).collect_view()}</tbody> })
            .collect_view();
        view! {
            <p class="muted assess-cutoff">
                {AssessMsg::CountedTo.text(l)} " " {crate::format::date_time((cutoff - 1) as f64)}
            </p>
            <div class="assess-wrap">
                <table class="assess-table">
                    <thead>
                        <tr>
                            <th scope="col">{tr(AssessMsg::Grid)} " · " {tr(AssessMsg::Person)}</th>
                            {COLUMNS.iter().map(|(key, label)| view! {
                                <th scope="col" data-figure=*key>{label.text(l)}</th>
                            }).collect_view()}
                        </tr>
                    </thead>
                    {bodies}
                </table>
            </div>
        }
    }
}
