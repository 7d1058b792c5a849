//! The live board (排查看板): per grid under the emergency's node, its vulnerable
//! households checked since the switch and not yet, the unchecked ones named so the
//! worker knows where to go. The core decides which are vulnerable and what counts as
//! checked (`emergency::board`).

use std::sync::Arc;

use leptos::prelude::*;
use wangge_core::emergency::Emergency;

use crate::i18n::emergency::EmergencyMsg;
use crate::i18n::tr;
use crate::store::emergency_queries::EmergencyWorld;

#[component]
pub fn Board(e: Emergency, w: Arc<EmergencyWorld>) -> impl IntoView {
    let rows = w.board(&e);
    let empty = rows.is_empty();
    let body = rows
        .into_iter()
        .map(|row| {
            let names: Vec<String> = row.unchecked.iter().map(|h| w.household_label(h)).collect();
            let complete = names.is_empty();
            view! {
                <tr class:unchecked=!complete>
                    <td>{w.grid_name(&row.grid)}</td>
                    <td class="num checked">{row.checked.len()}</td>
                    <td class="num">{row.unchecked.len()}</td>
                    <td>
                        <ul class="unchecked-list">
                            {names.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                        </ul>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="card emergency-board" aria-label=tr(EmergencyMsg::Board)>
            <h3>{tr(EmergencyMsg::Board)}</h3>
            <p class="muted">{tr(EmergencyMsg::BoardHint)}</p>
            {empty.then(|| view! { <p class="muted">{tr(EmergencyMsg::NoBoard)}</p> })}
            <table class="board-table" prop:hidden=empty>
                <thead>
                    <tr>
                        <th>{tr(EmergencyMsg::Grid)}</th>
                        <th>{tr(EmergencyMsg::Checked)}</th>
                        <th>{tr(EmergencyMsg::Unchecked)}</th>
                        <th></th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </section>
    }
}
