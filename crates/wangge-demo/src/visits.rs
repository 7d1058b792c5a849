//! Demo visits: scheduled households visited roughly on rhythm (some falling behind, so
//! the due list has something to show), a few others visited now and then, and a visit
//! on the day of every issue a worker found while visiting.

use super::world::World;
use wangge_core::household::Household;
use wangge_core::issue::{Issue, Source};
use wangge_core::visit::{Visit, VisitSchedule};
use wangge_core::{Date, HouseholdId, IssueId, Notes, PersonId, VisitId, HOUR_MILLIS};

/// How far back the visit history goes.
const HISTORY_DAYS: i64 = 120;

const NOTES: &[&str] = &[
    "上门走访,身体状况良好,无特殊诉求",
    "了解家庭近况,宣传防诈骗知识",
    "查看居住安全,检查燃气和用电",
    "电话联系不上,上门确认人员安好",
    "",
];

/// Visits for every household according to the default schedule, plus issue visits.
pub(super) fn visits(world: &mut World, households: &[Household], issues: &[Issue]) -> Vec<Visit> {
    let schedule = VisitSchedule::default();
    let mut out = Vec::new();
    for h in households {
        let worker = world.worker(&h.grid).0;
        match schedule.interval_for(h) {
            Some(every) => rhythm(world, h, &worker, i64::from(every), &mut out),
            None if world.rng.chance(300) => {
                let date = world.today.add_days(-world.rng.between(1, 180));
                out.push(visit(world, &h.id, &worker, date, vec![]));
            }
            None => {}
        }
    }
    for issue in issues.iter().filter(|i| i.source == Source::Visit) {
        if let Some(h) = &issue.household {
            let date = Date::of_millis(issue.created_at);
            out.push(visit(world, h, &issue.reporter, date, vec![issue.id.clone()]));
        }
    }
    out
}

/// Visits every `every` days give or take a quarter, the last one up to 1.6 intervals ago.
fn rhythm(world: &mut World, h: &Household, worker: &PersonId, every: i64, out: &mut Vec<Visit>) {
    let mut date = world.today.add_days(-world.rng.between(0, every * 8 / 5));
    let oldest = world.today.add_days(-HISTORY_DAYS);
    while date >= oldest {
        out.push(visit(world, &h.id, worker, date, vec![]));
        let jitter = world.rng.between(-every / 4, every / 4);
        date = date.add_days(-(every + jitter).max(1));
    }
}

fn visit(world: &mut World, household: &HouseholdId, worker: &PersonId, date: Date, issues: Vec<IssueId>) -> Visit {
    let at = date.start_millis() + world.rng.between(9, 17) * HOUR_MILLIS;
    let note = world.rng.pick_copied(NOTES);
    Visit {
        id: VisitId::generate(at, world.rng.id_bytes()),
        household: household.clone(),
        worker: worker.clone(),
        date,
        notes: Notes::parse(note).expect("demo notes are short"),
        issues,
        photos: Vec::new(),
    }
}
