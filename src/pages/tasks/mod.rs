//! Tasks sent down the grid (任务下发) on the phone: Today's 任务 section (`today.rs`), the
//! task screen with its targets and the tick form (`task.rs`), the staff's sending form
//! and forward (`send.rs`), and the sendings list with each sending's board (`board.rs`),
//! where staff close a sending (`close.rs`).
//! Every save is checked with the core (`task::check` …) and written by `store` in one
//! transaction with its outbox entries; progress is the core's (`progress`, `board`).

pub mod board;
pub mod close;
pub mod send;
pub mod targets;
pub mod task;
pub mod today;

pub use board::{BoardPage, TasksPage};
pub use send::SendTaskPage;
pub use task::TaskPage;

use leptos::prelude::*;

use crate::components::roster_link::AppLink;
use crate::i18n::tasks::TaskMsg;
use crate::i18n::tr;
use crate::store::task_queries::TaskLine;

/// A deadline as a worker reads it: `12-07 18:00`.
pub fn due_text(at: wangge_core::Millis) -> String {
    let s = crate::format::date_time(at as f64);
    s.get(5..).map_or(s.clone(), str::to_string)
}

/// One task as a row: title (紧急 in red first), 已完成 x / 共 y, the deadline.
#[component]
pub fn TaskRow(line: TaskLine, href: String) -> impl IntoView {
    let t = line.task;
    let (urgent, overdue, closed) = (t.emergency, line.overdue, t.closed.is_some());
    let (title, due) = (t.title.to_string(), due_text(t.due));
    view! {
        <li>
            <AppLink href=href class="row-link">
                <span class="row-title">
                    {urgent.then(|| view! { <span class="badge urgent">{tr(TaskMsg::Urgent)}</span> " " })}
                    {title}
                </span>
                <span class="row-meta">
                    {tr(TaskMsg::DoneOf)} " " {line.done} " / " {tr(TaskMsg::OfTotal)} " " {line.total}
                    " · " <span class:overdue=overdue>{tr(TaskMsg::Due)} " " {due}</span>
                    {overdue.then(|| view! { " · " <span class="overdue">{tr(TaskMsg::Overdue)}</span> })}
                    {closed.then(|| view! { " · " {tr(TaskMsg::Closed)} })}
                </span>
            </AppLink>
        </li>
    }
}
