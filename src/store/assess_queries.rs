//! The assessment's read (考核): everything the core's `assessment::assess` counts over,
//! from the stores the phone has — tree, people, households, units, visits, issues,
//! tasks — plus, for a past month, the events of the issues whose state at the month's
//! end differs from now (`assessment::needs_history`), so "overdue at the month's end"
//! is what it was then, not what it is today.

use std::collections::{BTreeMap, HashMap};

use wangge_core::assessment::{assess, needs_history, Assessment, Month, World};
use wangge_core::grid::GridTree;
use wangge_core::issue::{Deadlines, Issue, IssueEvent, IssueState};
use wangge_core::visit::VisitSchedule;
use wangge_core::{GridId, IssueId, Millis};

use super::{Store, StoreError};

/// An assessment and what its screen and sheet name ids with.
#[derive(Clone)]
pub struct AssessRead {
    pub assessment: Assessment,
    pub tree: GridTree,
    /// Person id → name.
    pub names: HashMap<String, String>,
}

impl Store {
    /// The assessment of `scope` for `month` at `now`; `Ok(None)` while the scope's grid
    /// is not on the phone (before the first sync).
    pub async fn assessment(
        &self,
        scope: &GridId,
        month: Month,
        now: Millis,
    ) -> Result<Option<AssessRead>, StoreError> {
        let world = self.task_world().await?;
        if world.tree.get(scope).is_none() {
            return Ok(None);
        }
        let (people, visits, rows) = futures::future::join3(self.people(), self.all_visits(), self.all_issues()).await;
        let (people, visits) = (people?, visits?);
        let issues: Vec<(Issue, IssueState)> = rows?
            .into_iter()
            .filter(|r| world.tree.contains(scope, &r.issue.grid))
            .map(|r| (r.issue, r.state))
            .collect();
        let mut histories: BTreeMap<IssueId, Vec<IssueEvent>> = BTreeMap::new();
        for (issue, _) in issues.iter().filter(|(_, s)| needs_history(s, month, now)) {
            histories.insert(issue.id.clone(), self.events_of(issue.id.as_str()).await?);
        }
        let assessment = assess(
            &World {
                tree: &world.tree,
                people: &people,
                households: &world.households,
                units: &world.units,
                visits: &visits,
                issues: &issues,
                histories: &histories,
                tasks: &world.tasks,
                schedule: &VisitSchedule::default(),
                deadlines: &Deadlines::default(),
            },
            scope,
            month,
            now,
        );
        let names = people.into_iter().map(|p| (p.id.to_string(), p.name.to_string())).collect();
        Ok(Some(AssessRead { assessment, tree: world.tree, names }))
    }
}
