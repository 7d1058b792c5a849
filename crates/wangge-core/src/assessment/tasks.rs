//! The task figures: results recorded in the month, reached and on time (the core's
//! `task::month_figures`, per worker, over the grid's task records), and the grid's task
//! records due in the month completed by their deadline.

use std::collections::BTreeSet;

use super::{Figures, PerWorker, Period, Share, World};
use crate::task::{month_figures, progress, resolve_targets, Task};
use crate::{GridId, TaskId};

pub(super) fn count(
    world: &World<'_>,
    period: Period,
    inside: &dyn Fn(&GridId) -> bool,
    grid: &mut Figures,
    people: &mut PerWorker,
) {
    let here: Vec<Task> = world.tasks.iter().filter(|t| inside(&t.grid)).cloned().collect();
    let month = period.month;
    for (person, m) in month_figures(&here, month.year(), month.month()) {
        let reached = Share { count: m.reached as u32, of: m.results as u32 };
        let on_time = Share { count: m.on_time as u32, of: m.reached as u32 };
        let f = Figures { task_reached: reached, task_on_time: on_time, ..Figures::default() };
        grid.add(&f);
        people.entry(person).or_default().add(&f);
    }
    // A record forwarded further down is done by the records below it: count those.
    let forwarded: BTreeSet<&TaskId> = crate::sort::insert_all(world.tasks.iter().filter_map(|t| t.parent.as_ref()));
    let due = here.iter().filter(|t| !forwarded.contains(&t.id) && period.holds(t.due));
    for t in due {
        let p = progress(t, &resolve_targets(t, world.tree, world.households, world.units), period.cutoff);
        grid.task_records.of += 1;
        grid.task_records.count += u32::from(p.complete() && p.late == 0);
    }
}
