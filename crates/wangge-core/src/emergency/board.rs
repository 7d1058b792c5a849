//! Which emergencies are on where, and the live board: per grid under the switched node,
//! the vulnerable households checked since the switch and those not yet.
//!
//! **Vulnerable** means living there with one of [`VULNERABLE_TAGS`] — the care tags the
//! default visit schedule visits (独居老人, 残疾, 重病, 留守儿童, 低保): the households a
//! storm puts at risk. Veterans, floating population and retired staff are tags for
//! counting, not for a door-to-door check.
//!
//! **Checked** means reached since the emergency started: a result that reached the
//! household on an *emergency* task sent since then, or a visit on or after the day it
//! started (a visit carries only its day, so a visit that morning counts).

use std::collections::{BTreeMap, BTreeSet};

use super::Emergency;
use crate::grid::{GridLevel, GridTree};
use crate::household::{Household, HouseholdStatus, HouseholdTag};
use crate::task::{Target, Task};
use crate::visit::Visit;
use crate::{Date, GridId, HouseholdId};

/// The care tags that make a household one to check in an emergency.
pub const VULNERABLE_TAGS: [HouseholdTag; 5] = [
    HouseholdTag::LivingAloneElderly,
    HouseholdTag::Disabled,
    HouseholdTag::SeriousIllness,
    HouseholdTag::LeftBehindChild,
    HouseholdTag::LowIncome,
];

/// One grid's line on the board.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardRow {
    /// The grid the households live in.
    pub grid: GridId,
    /// Checked since the emergency started, by id.
    pub checked: Vec<HouseholdId>,
    /// Not checked yet, by id: the ones to go to.
    pub unchecked: Vec<HouseholdId>,
}

/// The emergencies on at `node`: open ones placed at the node or above it, the most
/// recent first.
pub fn active<'a>(emergencies: &'a [Emergency], tree: &GridTree, node: &GridId) -> Vec<&'a Emergency> {
    let mut on: Vec<&Emergency> =
        emergencies.iter().filter(|e| e.is_active() && tree.contains(&e.grid, node)).collect();
    crate::sort::sort_by_key(&mut on, |e| (std::cmp::Reverse(e.started_at), e.id.clone()));
    on
}

/// The households reached since `e` started, by an emergency task's result or a visit.
pub fn checked_households(e: &Emergency, tasks: &[Task], visits: &[Visit]) -> BTreeSet<HouseholdId> {
    let since_day = Date::of_millis(e.started_at);
    let by_task = tasks
        .iter()
        .filter(|t| t.emergency && t.sent_at >= e.started_at)
        .flat_map(|t| t.entries.results.values())
        .filter(|r| r.outcome.reached() && r.at >= e.started_at)
        .filter_map(|r| match &r.target {
            Target::Household(h) => Some(h.clone()),
            Target::Grid | Target::Unit(_) => None,
        });
    let by_visit = visits.iter().filter(|v| v.date >= since_day).map(|v| v.household.clone());
    crate::sort::insert_all(by_task.chain(by_visit))
}

/// The board of `e`: a row per worker's grid at or under its node holding vulnerable
/// households living there, in the tree's order (depth first, siblings by code). A
/// household in a building counts in the group the building belongs to ([`worker_grid`]):
/// the board is read per worker, and a town's would be hundreds of buildings long.
pub fn board(
    e: &Emergency,
    tree: &GridTree,
    households: &[Household],
    tasks: &[Task],
    visits: &[Visit],
) -> Vec<BoardRow> {
    let checked = checked_households(e, tasks, visits);
    let vulnerable = |h: &&Household| {
        h.status == HouseholdStatus::Present
            && VULNERABLE_TAGS.iter().any(|t| h.has_tag(*t))
            && tree.contains(&e.grid, &h.grid)
    };
    let mut rows: BTreeMap<GridId, BoardRow> = BTreeMap::new();
    for h in households.iter().filter(vulnerable) {
        let grid = worker_grid(tree, &h.grid);
        let row =
            rows.entry(grid.clone()).or_insert_with(|| BoardRow { grid, checked: Vec::new(), unchecked: Vec::new() });
        match checked.contains(&h.id) {
            true => row.checked.push(h.id.clone()),
            false => row.unchecked.push(h.id.clone()),
        }
    }
    let order = tree.get(&e.grid).into_iter().chain(tree.descendants(&e.grid));
    order
        .filter_map(|g| rows.remove(&g.id))
        .map(|mut row| {
            crate::sort::sort_by(&mut row.checked, Ord::cmp);
            crate::sort::sort_by(&mut row.unchecked, Ord::cmp);
            row
        })
        .collect()
}

/// The worker's grid a household's grid belongs to: the group above a building, else the
/// grid itself (a group, or a household kept at a community node).
pub fn worker_grid(tree: &GridTree, grid: &GridId) -> GridId {
    let mut at = grid;
    while let Some(g) = tree.get(at) {
        match (&g.parent, g.level.depth() > GridLevel::Group.depth()) {
            (Some(parent), true) => at = parent,
            _ => break,
        }
    }
    at.clone()
}
