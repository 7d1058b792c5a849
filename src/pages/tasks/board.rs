//! The committee's 任务 screen (beside 会议|三张清单|调解): the sendings on the phone, newest
//! first, each with 已完成 x / 共 y and its deadline, and 下发任务 for staff; and a
//! sending's board (进度看板): per grid node, done / total, overdue ones highlighted, and
//! the targets not reached yet listed by name and address (the core's `task::board`; a
//! forwarded node sums the grids below it). Wide enough to read at a desk too. Staff
//! close a sending there (结束任务, `close.rs`): what was not done stays listed under it.

use leptos::prelude::*;
use wangge_core::TaskId;

use super::close::{CloseForm, ClosedLine};
use super::{due_text, TaskRow};
use crate::components::read_failed::ReadFailed;
use crate::components::roster_link::AppLink;
use crate::components::roster_load::reload;
use crate::context::{session, use_store};
use crate::format::now_ms;
use crate::i18n::tasks::TaskMsg;
use crate::i18n::tr;
use crate::pages::meetings::subnav::MeetNav;

#[component]
pub fn TasksPage() -> impl IntoView {
    let store = use_store();
    let data = reload(move || {
        let store = store.clone();
        Box::pin(async move { store.task_sendings(now_ms()).await })
    });
    view! {
        <section class="page tasks-page" aria-labelledby="tasks-title">
            <MeetNav/>
            <h2 id="tasks-title">{tr(TaskMsg::Sendings)}</h2>
            {session().is_staff().then(|| view! { <AppLink href="/tasks/new" class="button">{tr(TaskMsg::Send)}</AppLink> })}
            {move || data.get().map(|d| match d {
                Ok(lines) if lines.is_empty() => view! { <p class="empty">{tr(TaskMsg::NoSendings)}</p> }.into_any(),
                Ok(lines) => {
                    let rows = lines
                        .into_iter()
                        .map(|line| {
                            let href = format!("/tasks/{}/board", line.task.batch);
                            view! { <TaskRow line href/> }
                        })
                        .collect_view();
                    view! { <ul class="list card rows">{rows}</ul> }.into_any()
                }
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
            })}
        </section>
    }
}

#[component]
pub fn BoardPage(batch: String) -> impl IntoView {
    let store = use_store();
    let id = TaskId::parse(&batch).ok();
    let data = reload(move || {
        let (store, batch) = (store.clone(), batch.clone());
        Box::pin(async move {
            let id = TaskId::parse(&batch).map_err(|e| crate::store::StoreError::Invalid(e.to_string()))?;
            let names = std::sync::Arc::new(store.people_names().await);
            let (rows, world) = store.task_board(&id, now_ms()).await?;
            Ok((rows, world, names))
        })
    });
    // Open records of the sending on this phone, and their targets not reached: what the
    // close form says will be listed as not done.
    let of_batch = id.clone();
    let open = Signal::derive(move || {
        data.with(|d| match d {
            Some(Ok((rows, w, _))) => {
                let open = w.tasks.iter().filter(|t| of_batch.as_ref() == Some(&t.batch) && t.closed.is_none()).count();
                let missing = rows.iter().filter(|r| !r.forwarded).map(|r| r.not_reached.len()).sum();
                (open, missing)
            }
            _ => (0, 0),
        })
    });
    view! {
        <section class="page task-board" aria-labelledby="board-title">
            <AppLink href="/tasks" class="back-link">"‹ " {tr(TaskMsg::Back)}</AppLink>
            {move || data.get().map(|d| match d {
                Err(e) => view! { <ReadFailed error=e/> }.into_any(),
                Ok((rows, w, names)) => {
                    let Some(first) = rows.first().and_then(|r| w.tasks.iter().find(|t| t.id == r.task)) else {
                        return view! { <p class="empty" id="board-title">{tr(TaskMsg::NotFound)}</p> }.into_any();
                    };
                    let head = view! {
                        <h2 id="board-title">
                            {first.emergency.then(|| view! { <span class="badge urgent">{tr(TaskMsg::Urgent)}</span> " " })}
                            {first.title.to_string()} " · " {tr(TaskMsg::Board)}
                        </h2>
                        <p class="row-meta">{tr(TaskMsg::Due)} " " {due_text(first.due)}</p>
                        {first.closed.as_ref().map(|c| view! { <ClosedLine closed=c.clone() names=names.clone()/> })}
                    };
                    let body = rows
                        .into_iter()
                        .map(|r| {
                            let missing: Vec<String> = r.not_reached.iter().map(|(g, t)| w.label(g, t)).collect();
                            let complete = missing.is_empty();
                            let (href, place) = (format!("/tasks/{}", r.task), w.grid_name(&r.grid));
                            view! {
                                <tr class:overdue=r.overdue>
                                    <td><AppLink href>{place}</AppLink></td>
                                    <td class="num">{r.done} " / " {r.total}</td>
                                    <td>
                                        {r.overdue.then(|| view! { <span class="overdue">{tr(TaskMsg::Overdue)}</span> " " })}
                                        {if complete { view! { <span>{tr(TaskMsg::AllReached)}</span> }.into_any() }
                                         else { view! { <span class="muted">{missing.join("、")}</span> }.into_any() }}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view();
                    view! {
                        {head}
                        <table class="card board-table">
                            <thead><tr><th>{tr(TaskMsg::Grid)}</th><th>{tr(TaskMsg::DoneOf)}</th><th>{tr(TaskMsg::Unreached)}</th></tr></thead>
                            <tbody>{body}</tbody>
                        </table>
                    }
                    .into_any()
                }
            })}
            {session().is_staff().then(|| view! { <CloseForm batch=id.clone() open/> })}
        </section>
    }
}
