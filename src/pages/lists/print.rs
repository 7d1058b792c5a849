//! The list as printed for the joint meeting: one A4 table of the filtered entries, hidden
//! on screen and shown only when printing (`style/lists.css`), with the columns each list
//! needs (a need's household, issue and who took it; a project's partner and budget).

use leptos::prelude::*;
use wangge_core::lists::{ListEntry, ListKind};

use super::data::Lists;
use super::words::{kind_msg, status_label, yuan};
use crate::format::date;
use crate::i18n::lists::ListMsg;
use crate::i18n::{use_lang, Text};

#[component]
pub fn PrintSheet(lists: Lists, entries: Vec<ListEntry>, kind: ListKind) -> impl IntoView {
    let l = use_lang().get_untracked();
    let heads: Vec<ListMsg> = match kind {
        ListKind::Resource => vec![ListMsg::Name, ListMsg::Unit, ListMsg::Availability],
        ListKind::Project => vec![ListMsg::Name, ListMsg::Unit, ListMsg::Budget, ListMsg::Status],
        ListKind::Need => {
            vec![ListMsg::Name, ListMsg::FromHousehold, ListMsg::FromIssue, ListMsg::Status, ListMsg::TakenBy]
        }
    };
    let rows = entries
        .iter()
        .enumerate()
        .map(|(n, e)| {
            let mut cells = vec![e.title.to_string()];
            match kind {
                ListKind::Resource => {
                    cells.push(lists.who(e));
                    cells.push(e.availability.as_ref().map(ToString::to_string).unwrap_or_default());
                }
                ListKind::Project => {
                    cells.push(lists.who(e));
                    cells.push(e.budget_yuan.map(yuan).unwrap_or_default());
                    cells.push(status_label(e, l).unwrap_or_default().into());
                }
                ListKind::Need => {
                    cells.push(e.household.as_ref().map(|h| lists.household(h.as_str())).unwrap_or_default());
                    cells.push(e.issue.as_ref().map(|i| lists.issue(i.as_str())).unwrap_or_default());
                    cells.push(status_label(e, l).unwrap_or_default().into());
                    cells.push(lists.taken_by(e).unwrap_or_default());
                }
            }
            view! { <tr><td>{n + 1}</td>{cells.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }
        })
        .collect_view();
    let title = format!("{}·{}", ListMsg::Title.text(l), kind_msg(kind).text(l));
    view! {
        <div class="print-sheet">
            <h2>{title}</h2>
            <p>{date(crate::format::now_ms() as f64)}</p>
            <table class="print-table">
                <thead><tr><th>"#"</th>{heads.into_iter().map(|h| view! { <th>{h.text(l)}</th> }).collect_view()}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}
