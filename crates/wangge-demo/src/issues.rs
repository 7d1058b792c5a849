//! Demo issues: first the seed reports' cases, then as many everyday issues as asked for,
//! from templates in every category, with lives planned to cover every status, every
//! rung of the ladder, returns, reopenings, supervision and ratings.

use std::collections::HashMap;

use super::cases::{Case, CASES};
use super::story::{self, Step, Step::*};
use super::templates::{self, Template};
use super::world::World;
use wangge_core::grid::GridLevel;
use wangge_core::household::Household;
use wangge_core::issue::{Issue, IssueEvent, Priority, Source};
use wangge_core::unit::Unit;
use wangge_core::{
    Description, GridId, HouseholdId, IssueId, IssueTitle, Location, Millis, PersonId, UnitId, DAY_MILLIS, HOUR_MILLIS,
};

/// Households and units by grid, to attach issues to them.
pub(super) struct Index {
    pub(super) households: HashMap<GridId, Vec<HouseholdId>>,
    pub(super) units: HashMap<GridId, Vec<UnitId>>,
    pub(super) unit_names: HashMap<String, UnitId>,
    /// The household prepared for the welfare case.
    pub(super) welfare_household: Option<HouseholdId>,
}

impl Index {
    pub(super) fn new(households: &[Household], units: &[Unit], welfare: Option<HouseholdId>) -> Index {
        let mut index = Index {
            households: HashMap::new(),
            units: HashMap::new(),
            unit_names: HashMap::new(),
            welfare_household: welfare,
        };
        for h in households {
            index.households.entry(h.grid.clone()).or_default().push(h.id.clone());
        }
        for u in units {
            index.units.entry(u.grid.clone()).or_default().push(u.id.clone());
            index.unit_names.insert(u.name.to_string(), u.id.clone());
        }
        index
    }
}

/// `count` issues with their histories: the seeds' cases first, then random ones.
pub(super) fn issues(world: &mut World, index: &Index, count: u32) -> (Vec<Issue>, Vec<IssueEvent>) {
    let mut issues = Vec::with_capacity(count as usize);
    let mut events = Vec::new();
    for c in CASES.iter().take(count as usize) {
        let (issue, history) = seeded(world, index, c);
        issues.push(issue);
        events.extend(history);
    }
    for n in issues.len()..count as usize {
        let (issue, history) = everyday(world, index, n);
        issues.push(issue);
        events.extend(history);
    }
    (issues, events)
}

fn seeded(world: &mut World, index: &Index, c: &Case) -> (Issue, Vec<IssueEvent>) {
    let grid = super::places::grid_id(c.grid);
    let created_at = world.now - c.days_ago * DAY_MILLIS + world.rng.between(8, 11) * HOUR_MILLIS;
    let mut issue = record(world, &grid, c.source, (c.title, c.description), created_at);
    issue.category = c.category;
    issue.priority = c.priority;
    issue.unit = c.unit.and_then(|name| index.unit_names.get(name).cloned());
    issue.household = c.household.then(|| index.welfare_household.clone()).flatten();
    let events = story::play(world, &issue, c.steps, c.gap_hours * HOUR_MILLIS);
    (issue, events)
}

/// A new issue record, reported by whoever brings issues from `source`.
fn record(world: &mut World, grid: &GridId, source: Source, text: (&str, &str), at: Millis) -> Issue {
    Issue {
        id: IssueId::generate(at, world.rng.id_bytes()),
        title: IssueTitle::parse(text.0).expect("demo titles are within limits"),
        description: Description::parse(text.1).expect("demo descriptions are within limits"),
        category: wangge_core::issue::Category::Other,
        source,
        grid: grid.clone(),
        household: None,
        unit: None,
        location: location(world, grid),
        reporter: reporter(world, grid, source),
        priority: Priority::Normal,
        due_at: None,
        created_at: at,
    }
}

fn reporter(world: &mut World, grid: &GridId, source: Source) -> PersonId {
    let community = world.up(grid, GridLevel::Community);
    match source {
        Source::RedSteward => world.rng.pick(&world.staff.red_stewards[&community]).clone(),
        // What the party branch or the community's monitoring flags in a grid, the grid
        // worker records there, so the story starts at the grid rung like the others.
        Source::PartyBranch | Source::Monitoring | Source::Visit | Source::OnlineGrid | Source::WalkIn => {
            world.worker(grid).0
        }
    }
}

/// A point near the district's centre for about two issues in three.
fn location(world: &mut World, grid: &GridId) -> Option<Location> {
    if !world.rng.chance(650) {
        return None;
    }
    let district = world.tree.get(&world.up(grid, GridLevel::District)).expect("in tree");
    let (lat, lon) = if district.code.as_ref().is_some_and(|c| c.county() == "500155") {
        (30.672, 107.800)
    } else {
        (29.028, 106.651)
    };
    let jitter = |rng: &mut super::SplitMix64| rng.between(-20_000, 20_000) as f64 / 1_000_000.0;
    let (dlat, dlon) = (jitter(&mut world.rng), jitter(&mut world.rng));
    Location::parse(lat + dlat, lon + dlon).ok()
}

fn everyday(world: &mut World, index: &Index, n: usize) -> (Issue, Vec<IssueEvent>) {
    let grid = world.homes[world.rng.below(world.homes.len() as u64) as usize].clone();
    let t: &Template = templates::pick(&mut world.rng);
    let plan = plan(world, t, n);
    let open = !plan.iter().any(|s| matches!(s, Verify)) || matches!(plan.last(), Some(Reopen(_)));
    let age_days = if open { world.rng.between(1, 40) } else { world.rng.between(5, 365) };
    let created_at = world.now - age_days * DAY_MILLIS + world.rng.between(0, DAY_MILLIS / 2);
    let source = world.rng.weighted_pick(t.sources);
    let mut issue = record(world, &grid, source, (t.title, t.description), created_at);
    issue.category = t.category;
    issue.priority = world.rng.weighted_pick(&[
        (Priority::Low, 15),
        (Priority::Normal, 60),
        (Priority::High, 20),
        (Priority::Urgent, 5),
    ]);
    issue.due_at = world.rng.chance(150).then_some(created_at + 2 * DAY_MILLIS);
    let households = index.households.get(&grid).map(Vec::as_slice).unwrap_or(&[]);
    if t.household && !households.is_empty() {
        issue.household = Some(world.rng.pick(households).clone());
    }
    if let Some(units) = index.units.get(&grid).filter(|_| t.unit) {
        issue.unit = Some(world.rng.pick(units).clone());
    }
    let events = story::play(world, &issue, &plan, story::TYPICAL_GAP);
    (issue, events)
}

/// Where an everyday issue's life ends. The first few issues walk through every ending
/// in turn so that even a small demo shows them all.
#[derive(Clone, Copy)]
enum Ending {
    Reported,
    Accepted,
    InProgress,
    Resolved,
    Closed,
    Rated,
    Returned,
    Resubmitted,
    Reopened,
    /// Taken back by its reporter before anyone accepted it (a duplicate, a mistake).
    Withdrawn,
}

const ENDINGS: [(Ending, u32); 10] = [
    (Ending::Reported, 8),
    (Ending::Accepted, 6),
    (Ending::InProgress, 12),
    (Ending::Resolved, 6),
    (Ending::Closed, 22),
    (Ending::Rated, 30),
    (Ending::Returned, 4),
    (Ending::Resubmitted, 4),
    (Ending::Reopened, 8),
    (Ending::Withdrawn, 2),
];

fn plan(world: &mut World, t: &Template, n: usize) -> Vec<Step> {
    let ending = match n.checked_sub(CASES.len()) {
        Some(i) if i < 4 * ENDINGS.len() => ENDINGS[i % ENDINGS.len()].0,
        _ => world.rng.weighted_pick(&ENDINGS),
    };
    let mut steps = Vec::new();
    if matches!(ending, Ending::Withdrawn) {
        steps.push(Withdraw(world.rng.pick_copied(templates::WITHDRAW_REASONS)));
        return steps;
    }
    if matches!(ending, Ending::Returned | Ending::Resubmitted) {
        steps.push(Return(world.rng.pick_copied(templates::RETURN_REASONS)));
        if matches!(ending, Ending::Resubmitted) {
            steps.extend([Resubmit, Accept, Assign]);
        }
        return steps;
    }
    let climbs = world.rng.weighted_pick(&[(0, 660), (1, 220), (2, 90), (3, 30)]);
    for rung in 0..climbs {
        if world.rng.chance(500) {
            steps.push(Accept);
        }
        steps.push(Escalate(templates::ESCALATION_REASONS[rung]));
    }
    handle(world, t, ending, &mut steps);
    steps
}

fn handle(world: &mut World, t: &Template, ending: Ending, steps: &mut Vec<Step>) {
    let reached = match ending {
        Ending::Reported => 0,
        Ending::Accepted => 1,
        Ending::InProgress => 2,
        Ending::Resolved => 3,
        Ending::Closed => 4,
        _ => 5,
    };
    let lifecycle = [Accept, Assign, Resolve(t.summary), Verify, Rate(0, None)];
    for step in lifecycle.into_iter().take(reached) {
        if world.rng.chance(120) {
            steps.push(Comment(world.rng.pick_copied(templates::COMMENTS)));
        }
        steps.push(match step {
            Rate(..) => rate(world),
            other => other,
        });
    }
    if matches!(ending, Ending::Reopened) {
        steps.pop();
        steps.push(Reopen(world.rng.pick_copied(templates::REOPEN_REASONS)));
    }
    if reached < 3 && world.rng.chance(250) {
        steps.push(Supervise("超期未办结,请加快办理"));
    }
}

fn rate(world: &mut World) -> Step {
    let score = world.rng.weighted_pick(&[(5, 55), (4, 28), (3, 10), (2, 5), (1, 2)]);
    let comment = world.rng.chance(300).then(|| world.rng.pick_copied(templates::RATING_COMMENTS));
    Rate(score, comment)
}
