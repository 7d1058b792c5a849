//! Household visits (走访) and the schedule that decides which households are due one:
//! the vulnerable are visited on a fixed rhythm (an elderly person living alone weekly),
//! and a household never visited is due at once.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::household::{Household, HouseholdStatus, HouseholdTag};
use crate::photo::PhotoRef;
use crate::{Date, GridId, HouseholdId, IssueId, Notes, PersonId, VisitId};

/// One visit to a household.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    /// Id.
    pub id: VisitId,
    /// The household visited.
    pub household: HouseholdId,
    /// The worker who went.
    pub worker: PersonId,
    /// The day of the visit.
    pub date: Date,
    /// What they found.
    pub notes: Notes,
    /// Issues raised during the visit.
    pub issues: Vec<IssueId>,
    /// Photos taken at the visit (at most `photo::MAX_PHOTOS_PER_STEP`); absent on older
    /// visits.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<PhotoRef>,
}

/// How often households with each tag must be visited, in days. A household with several
/// tags follows the most frequent; a household with none of them is not scheduled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitSchedule {
    /// Days between visits, per tag.
    pub every_days: BTreeMap<HouseholdTag, u32>,
}

impl Default for VisitSchedule {
    /// Elderly living alone every 7 days; disabled, seriously ill and left-behind children
    /// every 14; low-income every 30. Veterans, floating population and retired staff are
    /// not scheduled unless configured with [`VisitSchedule::with`].
    fn default() -> Self {
        VisitSchedule::empty()
            .with(HouseholdTag::LivingAloneElderly, 7)
            .with(HouseholdTag::Disabled, 14)
            .with(HouseholdTag::SeriousIllness, 14)
            .with(HouseholdTag::LeftBehindChild, 14)
            .with(HouseholdTag::LowIncome, 30)
    }
}

impl VisitSchedule {
    /// A schedule with no tags.
    pub fn empty() -> VisitSchedule {
        VisitSchedule { every_days: BTreeMap::new() }
    }

    /// This schedule with households tagged `tag` visited every `days` days (at least 1).
    pub fn with(mut self, tag: HouseholdTag, days: u32) -> VisitSchedule {
        self.every_days.insert(tag, days.max(1));
        self
    }

    /// Days between visits for this household, or `None` if it is not scheduled (a
    /// household that moved out or merged into another is never due).
    pub fn interval_for(&self, household: &Household) -> Option<u32> {
        self.interval_of(household.status, &household.tags)
    }

    /// [`Self::interval_for`] from the two things it reads of a household (the dashboard
    /// holds only those).
    pub fn interval_of(&self, status: HouseholdStatus, tags: &BTreeSet<HouseholdTag>) -> Option<u32> {
        if status != HouseholdStatus::Present {
            return None;
        }
        tags.iter().filter_map(|t| self.every_days.get(t)).min().copied()
    }
}

/// A household due (or overdue) a visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueVisit {
    /// The household.
    pub household: HouseholdId,
    /// Its grid.
    pub grid: GridId,
    /// Its last visit, if any.
    pub last_visit: Option<Date>,
    /// When the next visit was due (today if never visited).
    pub due: Date,
    /// Days past due, 0 if due today.
    pub days_overdue: i64,
    /// Its schedule's interval.
    pub every_days: u32,
}

/// The last visit day of each household.
pub fn last_visits<'a>(visits: impl IntoIterator<Item = &'a Visit>) -> HashMap<&'a HouseholdId, Date> {
    let mut last: HashMap<&HouseholdId, Date> = HashMap::new();
    for v in visits {
        let entry = last.entry(&v.household).or_insert(v.date);
        *entry = (*entry).max(v.date);
    }
    last
}

/// When a household scheduled every `every` days and last visited on `last` is next due:
/// `today` if it was never visited.
pub fn next_due(last: Option<Date>, every: u32, today: Date) -> Date {
    last.map_or(today, |d| d.add_days(i64::from(every)))
}

/// Scheduled households due a visit on `today`, most overdue first; among equally overdue
/// ones the more frequently scheduled (more vulnerable) first, then by id for stability.
pub fn due_visits<'a>(
    households: impl IntoIterator<Item = &'a Household>,
    visits: impl IntoIterator<Item = &'a Visit>,
    schedule: &VisitSchedule,
    today: Date,
) -> Vec<DueVisit> {
    let last = last_visits(visits);
    let mut due: Vec<DueVisit> = households
        .into_iter()
        .filter_map(|h| {
            let every_days = schedule.interval_for(h)?;
            let last_visit = last.get(&h.id).copied();
            let due = next_due(last_visit, every_days, today);
            (due <= today).then(|| DueVisit {
                household: h.id.clone(),
                grid: h.grid.clone(),
                last_visit,
                due,
                days_overdue: due.days_until(today),
                every_days,
            })
        })
        .collect();
    crate::sort::sort_by(&mut due, |a, b| {
        (b.days_overdue, a.every_days, &a.household).cmp(&(a.days_overdue, b.every_days, &b.household))
    });
    due
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Address;

    fn household(id: &str, tags: &[HouseholdTag]) -> Household {
        Household {
            id: HouseholdId::parse(id).unwrap(),
            grid: GridId::parse("g").unwrap(),
            address: Address::parse("长塘村3组12号").unwrap(),
            members: Default::default(),
            status: Default::default(),
            merged_into: None,
            tags: tags.iter().copied().collect(),
        }
    }

    fn visit(household: &str, date: &str) -> Visit {
        Visit {
            id: VisitId::parse(format!("v-{household}-{date}")).unwrap(),
            household: HouseholdId::parse(household).unwrap(),
            worker: PersonId::parse("w").unwrap(),
            date: Date::parse(date).unwrap(),
            notes: Notes::parse("").unwrap(),
            issues: vec![],
            photos: vec![],
        }
    }

    fn today() -> Date {
        Date::parse("2024-06-20").unwrap()
    }

    #[test]
    fn a_household_never_visited_is_due_today() {
        let hs = [household("h1", &[HouseholdTag::LowIncome])];
        let due = due_visits(&hs, &[], &VisitSchedule::default(), today());
        assert_eq!(due.len(), 1);
        assert_eq!((due[0].due, due[0].days_overdue, due[0].last_visit), (today(), 0, None));
    }

    #[test]
    fn an_elderly_person_alone_visited_ten_days_ago_is_three_days_overdue() {
        let hs = [household("h1", &[HouseholdTag::LivingAloneElderly, HouseholdTag::LowIncome])];
        let vs = [visit("h1", "2024-06-01"), visit("h1", "2024-06-10")];
        let due = due_visits(&hs, &vs, &VisitSchedule::default(), today());
        assert_eq!(due[0].every_days, 7);
        assert_eq!(due[0].days_overdue, 3);
        assert_eq!(due[0].last_visit, Date::parse("2024-06-10").ok());
    }

    #[test]
    fn a_household_that_moved_out_is_not_due() {
        let mut h = household("h1", &[HouseholdTag::LivingAloneElderly]);
        assert!(VisitSchedule::default().interval_for(&h).is_some());
        h.status = crate::household::HouseholdStatus::MovedOut;
        assert_eq!(VisitSchedule::default().interval_for(&h), None);
        assert!(due_visits([&h], &[], &VisitSchedule::default(), today()).is_empty());
    }

    #[test]
    fn recently_visited_and_unscheduled_households_are_not_due() {
        let hs = [household("h1", &[HouseholdTag::LowIncome]), household("h2", &[HouseholdTag::Veteran])];
        let due = due_visits(&hs, &[visit("h1", "2024-06-01")], &VisitSchedule::default(), today());
        assert!(due.is_empty());
        let schedule = VisitSchedule::default().with(HouseholdTag::Veteran, 90);
        assert_eq!(due_visits(&hs, &[], &schedule, today()).len(), 2);
    }

    #[test]
    fn the_most_overdue_come_first() {
        let hs = [
            household("a", &[HouseholdTag::LowIncome]),
            household("b", &[HouseholdTag::LivingAloneElderly]),
            household("c", &[HouseholdTag::Disabled]),
        ];
        let vs = [visit("a", "2024-05-01"), visit("b", "2024-06-01")];
        let due = due_visits(&hs, &vs, &VisitSchedule::default(), today());
        let order: Vec<&str> = due.iter().map(|d| d.household.as_str()).collect();
        assert_eq!(order, ["a", "b", "c"]);
    }
}
