//! What the dashboard and the meeting list read: the grid tree with, for the figures, the
//! lean facts of every issue, household and visit on the phone (a staff member's phone
//! holds exactly their scope) and the core's figures over them; for the meeting list,
//! the scope's full issue rows. The figures are the core's pure functions, so the phone and
//! any report built on the server count the same way.

use std::sync::Arc;

use wangge_core::grid::GridTree;
use wangge_core::issue::Deadlines;
use wangge_core::stats::{issue_figures_of, visit_figures_of, IssueFigures, VisitFigures};
use wangge_core::visit::VisitSchedule;
use wangge_core::{Date, GridId, Millis, DAY_MILLIS, HOUR_MILLIS};

use crate::i18n::dashboard::DashMsg;
use crate::i18n::{Lang, Text};
use crate::store::{FigureFacts, IssueRow, Store, StoreError};

/// The figures for the signed-in person's scope.
#[derive(Clone)]
pub struct Figures {
    pub scope_name: String,
    pub issues: IssueFigures,
    pub visits: VisitFigures,
    pub today: Date,
}

/// Issues in scope with the tree, for the meeting list.
#[derive(Clone)]
pub struct ScopeIssues {
    pub scope_name: String,
    pub tree: Arc<GridTree>,
    pub rows: Vec<IssueRow>,
}

/// `Ok(None)`: the scope's grid is not on the phone yet (before the first sync). A
/// storage failure is an error for the screen to show, never an empty board that would
/// read as "no issues".
pub async fn load_issues(store: &Store, scope: &GridId) -> Result<Option<ScopeIssues>, StoreError> {
    let tree = GridTree::build(store.grids().await?).map_err(|e| StoreError::Corrupt(format!("grid tree: {e}")))?;
    let Some(scope_grid) = tree.get(scope) else {
        return Ok(None);
    };
    let scope_name = scope_grid.name.to_string();
    let rows = store.all_issues().await?.into_iter().filter(|r| tree.contains(scope, &r.issue.grid)).collect();
    Ok(Some(ScopeIssues { scope_name, tree: Arc::new(tree), rows }))
}

/// The figures over the lean facts of every issue, household and visit
/// (`Store::figure_facts`), never the whole rows: 20,000 issues in well under the
/// 150 ms a worker waits for the board.
pub async fn load_figures(store: &Store, scope: &GridId, now: Millis) -> Result<Option<Figures>, StoreError> {
    // Both reads at once: IndexedDB fetches the facts while wasm builds the tree.
    let (grids, facts) = futures::future::join(store.grids(), store.figure_facts()).await;
    let tree = GridTree::build(grids?).map_err(|e| StoreError::Corrupt(format!("grid tree: {e}")))?;
    let Some(scope_grid) = tree.get(scope) else {
        return Ok(None);
    };
    let FigureFacts { issues, households, visits } = facts?;
    let issues = issue_figures_of(&tree, scope, issues, &Deadlines::default(), now);
    let today = Date::of_millis(now);
    let month = (today.first_of_month(), today);
    let visits = visit_figures_of(&tree, scope, &households, &visits, &VisitSchedule::default(), month);
    Ok(Some(Figures { scope_name: scope_grid.name.to_string(), issues, visits, today }))
}

/// "3.5 天" for a duration of days, "5 小时" under a day.
pub fn duration(ms: Millis, l: Lang) -> String {
    if ms >= DAY_MILLIS {
        let days = ms as f64 / DAY_MILLIS as f64;
        format!("{days:.1} {}", DashMsg::Days.text(l))
    } else {
        let hours = (ms as f64 / HOUR_MILLIS as f64).round();
        format!("{hours} {}", DashMsg::Hours.text(l))
    }
}

/// "62%".
pub fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}
