//! Visit coverage: for each household with a care tag in the grid, the visits the
//! schedule asks for in the days counted (the core's schedule, counted as the dashboard
//! counts it: `stats::visits_due`) and the visits made, at most as many as asked.

use std::collections::BTreeMap;

use super::{Figures, PerWorker, Period, World};
use crate::stats::visits_due;
use crate::{GridId, HouseholdId, PersonId};

pub(super) fn count(
    world: &World<'_>,
    period: Period,
    inside: &dyn Fn(&GridId) -> bool,
    grid: &mut Figures,
    people: &mut PerWorker,
) {
    let Some((first, last)) = period.days() else {
        return;
    };
    let days = (first.days_until(last) + 1) as u32;
    // Per household, the visits made in the period by each worker.
    let mut made: BTreeMap<&HouseholdId, BTreeMap<&PersonId, u32>> = BTreeMap::new();
    for v in world.visits.iter().filter(|v| first <= v.date && v.date <= last) {
        *made.entry(&v.household).or_default().entry(&v.worker).or_default() += 1;
    }
    for h in world.households.iter().filter(|h| inside(&h.grid)) {
        let Some(every) = world.schedule.interval_for(h) else {
            continue;
        };
        let due = visits_due(days, every);
        grid.visits.of += due;
        let Some(by_worker) = made.get(&h.id) else {
            continue;
        };
        grid.visits.count += by_worker.values().sum::<u32>().min(due);
        for (worker, n) in by_worker {
            people.entry((*worker).clone()).or_default().visits.count += (*n).min(due);
        }
    }
}
