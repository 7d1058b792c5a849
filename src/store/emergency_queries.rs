//! Reads for emergency mode (平急转换): the emergency on at the user's node (the banner,
//! the send form's default and the sync loop's shorter retry read it), and the emergency
//! screen's world — the records, the roster, the households, emergency tasks and visits —
//! over which the core's `roster` and `board` run. Read once per screen.

use wangge_core::emergency::{active, board, roster, BoardRow, Emergency, RosterEntry};
use wangge_core::grid::GridTree;
use wangge_core::household::Household;
use wangge_core::people::Person;
use wangge_core::task::Task;
use wangge_core::unit::Unit;
use wangge_core::visit::Visit;
use wangge_core::GridId;

use super::schema::{EMERGENCIES, TASKS, VISITS};
use super::{Store, StoreError};

/// Everything the emergency screen reads.
#[derive(Clone)]
pub struct EmergencyWorld {
    /// Every emergency on the phone, on or ended.
    pub emergencies: Vec<Emergency>,
    /// The grid tree.
    pub tree: GridTree,
    /// The roster's people.
    pub people: Vec<Person>,
    /// The units.
    pub units: Vec<Unit>,
    /// The households.
    pub households: Vec<Household>,
    /// The tasks (the board counts emergency tasks' results).
    pub tasks: Vec<Task>,
    /// The visits (a visit since the switch checks a household too).
    pub visits: Vec<Visit>,
}

impl EmergencyWorld {
    /// The emergency on at `node` (the most recent, if several are).
    pub fn active_at(&self, node: &GridId) -> Option<&Emergency> {
        active(&self.emergencies, &self.tree, node).into_iter().next()
    }

    /// The emergency the screen shows someone at `node`: the one on there (or above),
    /// else the most recent one on below it — the town official who switched one of her
    /// communities follows it from her own node.
    pub fn shown_at(&self, node: &GridId) -> Option<&Emergency> {
        self.active_at(node).or_else(|| {
            let below = self.emergencies.iter().filter(|e| e.is_active() && self.tree.contains(node, &e.grid));
            below.max_by_key(|e| (e.started_at, e.id.clone()))
        })
    }

    /// Ended emergencies at `node`, above it or below it, the most recent first.
    pub fn history(&self, node: &GridId) -> Vec<&Emergency> {
        let related = |e: &&Emergency| self.tree.contains(&e.grid, node) || self.tree.contains(node, &e.grid);
        let mut out: Vec<&Emergency> = self.emergencies.iter().filter(|e| !e.is_active()).filter(related).collect();
        wangge_core::sort::sort_by_key(&mut out, |e| std::cmp::Reverse(e.started_at));
        out
    }

    /// Who can be called in `e`'s scope, reported first.
    pub fn roster(&self, e: &Emergency) -> Vec<RosterEntry> {
        roster(e, &self.tree, &self.people, &self.units)
    }

    /// `e`'s live board, per grid.
    pub fn board(&self, e: &Emergency) -> Vec<BoardRow> {
        board(e, &self.tree, &self.households, &self.tasks, &self.visits)
    }

    /// A grid node's name.
    pub fn grid_name(&self, grid: &GridId) -> String {
        self.tree.get(grid).map_or_else(|| grid.to_string(), |g| g.name.to_string())
    }

    /// A household as a worker finds it: the head's name and the address.
    pub fn household_label(&self, id: &wangge_core::HouseholdId) -> String {
        self.households.iter().find(|h| &h.id == id).map_or_else(
            || id.to_string(),
            |h| {
                let name = h.head().map(|m| m.name.to_string()).unwrap_or_default();
                format!("{name} {}", h.address)
            },
        )
    }
}

impl Store {
    /// The emergency on at `node`, if any: only the emergencies and the tree are read.
    pub async fn active_emergency(&self, node: &GridId) -> Result<Option<Emergency>, StoreError> {
        let emergencies: Vec<Emergency> = self.all_of(EMERGENCIES).await?;
        if emergencies.iter().all(|e| !e.is_active()) {
            return Ok(None);
        }
        let tree = self.tree().await?;
        Ok(active(&emergencies, &tree, node).into_iter().next().cloned())
    }

    /// Everything the emergency screen reads.
    pub async fn emergency_world(&self) -> Result<EmergencyWorld, StoreError> {
        Ok(EmergencyWorld {
            emergencies: self.all_of(EMERGENCIES).await?,
            tree: self.tree().await?,
            people: self.people().await?,
            units: self.units().await?,
            households: self.all_households().await?,
            tasks: self.all_of(TASKS).await?,
            visits: self.all_of(VISITS).await?,
        })
    }

    async fn tree(&self) -> Result<GridTree, StoreError> {
        GridTree::build(self.grids().await?).map_err(|e| StoreError::Corrupt(format!("grid tree: {e}")))
    }
}
