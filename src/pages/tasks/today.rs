//! Today's 任务 section, at the top of the screen: the open tasks of the user's node,
//! emergency first (marked 紧急 in red), then the nearest deadline (the core's
//! `task::today`), each with 已完成 x / 共 y and its deadline. It reads the tasks itself,
//! so Today's own read is unchanged; with no open task it shows nothing.

use leptos::prelude::*;

use super::TaskRow;
use crate::components::read_failed::ReadFailed;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::format::now_ms;
use crate::i18n::tasks::TaskMsg;
use crate::i18n::tr;

#[component]
pub fn TodayTasks() -> impl IntoView {
    let store = use_store();
    let home = session().user.home_grid;
    let data = reload(move || {
        let (store, home) = (store.clone(), home.clone());
        Box::pin(async move { store.todays_tasks(&home, now_ms()).await })
    });
    move || {
        data.get().map(|d| match d {
            Ok(lines) if lines.is_empty() => ().into_any(),
            Ok(lines) => {
                let count = lines.len();
                let urgent = lines.iter().any(|l| l.task.emergency);
                let rows = lines
                    .into_iter()
                    .map(|line| {
                        let href = format!("/tasks/{}", line.task.id);
                        view! { <TaskRow line href/> }
                    })
                    .collect_view();
                view! {
                    <section class="card today-section today-tasks" class:urgent=urgent aria-label=tr(TaskMsg::Title)>
                        <h3>{tr(TaskMsg::Title)} <span class="count">{count}</span></h3>
                        <ul class="list rows">{rows}</ul>
                    </section>
                }
                .into_any()
            }
            Err(e) => view! { <ReadFailed error=e/> }.into_any(),
        })
    }
}
