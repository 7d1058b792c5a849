//! An emergency's rules, which ones are on where, the call roster and the live board.

use std::collections::BTreeMap;

use super::*;
use crate::grid::{GridLevel, GridTree};
use crate::household::{Household, HouseholdStatus, HouseholdTag};
use crate::people::{Person, Role};
use crate::record_type::describe;
use crate::refusal::english_for_code;
use crate::sync::Collection;
use crate::task::{ResultOutcome, Target, TargetRule, Task, TaskEntries, TaskResult};
use crate::unit::{Unit, UnitKind};
use crate::visit::Visit;
use crate::{Address, Date, EntryId, HouseholdId, IssueTitle, Notes, PersonName, Phone, TaskId, UnitName};
use crate::{DAY_MILLIS, HOUR_MILLIS};

pub(super) const START: Millis = 1_780_000_000_000;

fn gid(s: &str) -> GridId {
    GridId::parse(s).unwrap()
}

pub(super) fn pid(s: &str) -> PersonId {
    PersonId::parse(s).unwrap()
}

fn hid(s: &str) -> HouseholdId {
    HouseholdId::parse(s).unwrap()
}

/// 古南街道 → 綦齿社区 → 一村, 二村; 新街子社区 → 三村.
pub(super) fn tree() -> GridTree {
    crate::test_tree::tree_of(&[
        ("town", GridLevel::Town, None),
        ("qc", GridLevel::Community, Some("town")),
        ("qc-1", GridLevel::Group, Some("qc")),
        ("qc-1-b", GridLevel::Building, Some("qc-1")),
        ("qc-2", GridLevel::Group, Some("qc")),
        ("xjz", GridLevel::Community, Some("town")),
        ("xjz-1", GridLevel::Group, Some("xjz")),
    ])
}

/// A storm switched on at `grid` by the town official.
pub(super) fn storm(id: &str, grid: &str) -> Emergency {
    Emergency {
        id: EmergencyId::parse(id).unwrap(),
        grid: gid(grid),
        kind: EmergencyKind::Rainstorm,
        reason: Reason::parse("气象台发布暴雨红色预警").unwrap(),
        started_at: START,
        started_by: pid("p-town"),
        ended: None,
        reports: Reports::default(),
    }
}

pub(super) fn report(unit: Option<&str>, at: Millis, note: &str) -> Report {
    Report { unit: unit.map(|u| UnitId::parse(u).unwrap()), at, note: CommentText::parse(note).ok() }
}

fn household(id: &str, grid: &str, tag: Option<HouseholdTag>) -> Household {
    Household {
        id: hid(id),
        grid: gid(grid),
        address: Address::parse("一村1栋").unwrap(),
        members: Default::default(),
        status: HouseholdStatus::Present,
        merged_into: None,
        tags: tag.into_iter().collect(),
    }
}

fn person(id: &str, grid: &str, role: Role, name: &str) -> Person {
    Person {
        id: pid(id),
        name: PersonName::parse(name).unwrap(),
        phone: Phone::parse("13800138000").ok(),
        grid: gid(grid),
        roles: [role].into(),
        active: true,
    }
}

fn unit(id: &str, grid: &str, contact: Option<&str>) -> Unit {
    Unit {
        id: UnitId::parse(id).unwrap(),
        grid: gid(grid),
        name: UnitName::parse(&format!("单位{id}")).unwrap(),
        kind: UnitKind::PropertyFirm,
        address: Address::parse("綦齿路1号").unwrap(),
        contact: PersonName::parse("秦文忠").ok(),
        phone: Phone::parse("13900139000").ok(),
        contact_person: contact.map(pid),
    }
}

/// An emergency task at `grid` sent at `sent`, with one result per (household, outcome, at).
fn task(grid: &str, sent: Millis, emergency: bool, results: &[(&str, ResultOutcome, Millis)]) -> Task {
    let results: BTreeMap<EntryId, TaskResult> = results
        .iter()
        .enumerate()
        .map(|(n, (h, outcome, at))| {
            let r = TaskResult {
                target: Target::Household(hid(h)),
                outcome: *outcome,
                note: None,
                by: pid("p-worker"),
                at: *at,
                issue: None,
                visit: None,
                photos: Vec::new(),
            };
            (EntryId::parse(format!("r{n}")).unwrap(), r)
        })
        .collect();
    Task {
        id: TaskId::parse(format!("t-{grid}-{sent}")).unwrap(),
        batch: TaskId::parse("b").unwrap(),
        parent: None,
        grid: gid(grid),
        from: gid("town"),
        sender: pid("p-town"),
        title: IssueTitle::parse("排查独居老人").unwrap(),
        instructions: None,
        sent_at: sent,
        due: sent + 6 * HOUR_MILLIS,
        emergency,
        targets: TargetRule::CareTag { tag: HouseholdTag::LivingAloneElderly },
        closed: None,
        entries: TaskEntries { results, notes: BTreeMap::new() },
    }
}

#[test]
fn an_emergency_ended_before_it_started_is_refused_with_its_code_in_both_languages() {
    let mut e = storm("e1", "town");
    assert_eq!(check(&e), Ok(()));
    e.ended = Some(Ended { at: START - 1, by: pid("p-town"), note: None });
    assert_eq!(check(&e), Err(EmergencyError::EndedBeforeStarted));
    let fields = match serde_json::to_value(&e).unwrap() {
        serde_json::Value::Object(m) => m,
        _ => unreachable!(),
    };
    let refused = describe(Collection::Emergencies).validate("e1", &fields).unwrap_err();
    assert_eq!(refused.code(), "emergency_ended_before_started");
    assert_eq!(english_for_code(refused.code()).unwrap(), EmergencyError::EndedBeforeStarted.message_en());
    e.ended = Some(Ended { at: START, by: pid("p-town"), note: None });
    assert_eq!(check(&e), Ok(()), "switched back the same minute is fine");
}

#[test]
fn a_district_town_or_community_may_be_switched_but_not_a_group_or_an_unknown_node() {
    let tree = tree();
    for ok in ["town", "qc", "xjz"] {
        assert_eq!(check_node(&tree, &gid(ok)), Ok(()), "{ok}");
    }
    for low in ["qc-1", "nowhere"] {
        assert_eq!(check_node(&tree, &gid(low)), Err(EmergencyError::NodeTooLow), "{low}");
    }
}

#[test]
fn a_report_comes_from_inside_the_scope_and_names_only_a_unit_its_reporter_answers_for() {
    let (tree, e) = (tree(), storm("e1", "qc"));
    let plain = report(None, START + HOUR_MILLIS, "可出动3人");
    assert_eq!(check_report(&tree, &e, &pid("p-a"), &gid("qc-1"), &plain, None), Ok(()));
    assert_eq!(check_report(&tree, &e, &pid("p-a"), &gid("qc"), &plain, None), Ok(()), "at the node itself");
    assert_eq!(
        check_report(&tree, &e, &pid("p-c"), &gid("xjz-1"), &plain, None),
        Err(EmergencyError::ReporterOutOfScope),
        "another community's worker"
    );
    let for_unit = report(Some("u1"), START + HOUR_MILLIS, "物业出动5人");
    let theirs = unit("u1", "qc-2", Some("p-a"));
    assert_eq!(check_report(&tree, &e, &pid("p-a"), &gid("qc-1"), &for_unit, Some(&theirs)), Ok(()));
    let not_theirs = unit("u1", "qc-2", Some("p-b"));
    assert_eq!(
        check_report(&tree, &e, &pid("p-a"), &gid("qc-1"), &for_unit, Some(&not_theirs)),
        Err(EmergencyError::UnitNotTheirs)
    );
    let elsewhere = unit("u1", "xjz-1", Some("p-a"));
    assert_eq!(
        check_report(&tree, &e, &pid("p-a"), &gid("qc-1"), &for_unit, Some(&elsewhere)),
        Err(EmergencyError::UnitNotTheirs)
    );
    assert_eq!(check_report(&tree, &e, &pid("p-a"), &gid("qc-1"), &for_unit, None), Err(EmergencyError::UnitNotTheirs));
}

#[test]
fn an_emergency_is_on_at_its_node_and_below_until_it_is_switched_back_newest_first() {
    let tree = tree();
    let town = storm("e-town", "town");
    let mut qc = storm("e-qc", "qc");
    qc.started_at = START + HOUR_MILLIS;
    let mut old = storm("e-old", "town");
    old.ended = Some(Ended { at: START + 1, by: pid("p-town"), note: None });
    let all = [town.clone(), qc.clone(), old];
    let ids = |node: &str| active(&all, &tree, &gid(node)).iter().map(|e| e.id.to_string()).collect::<Vec<_>>();
    assert_eq!(ids("qc-1"), ["e-qc", "e-town"]);
    assert_eq!(ids("xjz-1"), ["e-town"], "the community's switch does not reach its neighbour");
    assert_eq!(ids("town"), ["e-town"], "a switch below is not on at the town");
    assert!(active(&all[2..], &tree, &gid("qc-1")).is_empty(), "an ended one is history");
}

#[test]
fn the_roster_lists_called_people_and_units_with_phones_inside_the_scope_reported_first() {
    let tree = tree();
    let mut e = storm("e1", "qc");
    let people = [
        person("p-member", "qc", Role::CommitteeMember, "秦委员"),
        person("p-first", "qc", Role::FirstSecretary, "范书记"),
        person("p-worker", "qc-1", Role::GridWorker, "李网格"),
        person("p-out", "xjz", Role::CommitteeMember, "外社区委员"),
    ];
    let mut no_phone = unit("u2", "qc-1", None);
    no_phone.phone = None;
    let units = [unit("u1", "qc-2", Some("p-contact")), no_phone, unit("u3", "xjz-1", None)];
    let names = |e: &Emergency| roster(e, &tree, &people, &units).into_iter().map(|l| l.name).collect::<Vec<_>>();
    assert_eq!(names(&e), ["单位u1", "秦委员", "范书记"], "no worker, nobody outside, no unit without a phone");
    e.reports.0.insert(pid("p-first"), report(None, START + 2 * HOUR_MILLIS, "马上到"));
    e.reports.0.insert(pid("p-contact"), report(Some("u1"), START + HOUR_MILLIS, "物业出动5人"));
    e.reports.0.insert(pid("p-worker"), report(None, START + 3 * HOUR_MILLIS, "在岗"));
    let lines = roster(&e, &tree, &people, &units);
    let order: Vec<_> = lines.iter().map(|l| (l.name.as_str(), l.report.is_some())).collect();
    assert_eq!(order, [("单位u1", true), ("范书记", true), ("李网格", true), ("秦委员", false)]);
    assert_eq!(lines[0].report.as_ref().unwrap().0, pid("p-contact"), "the unit's line says who reported for it");
    assert!(matches!(&lines[1].callable, Callable::Person { roles, .. } if roles == &[Role::FirstSecretary]));
}

#[test]
fn the_board_counts_vulnerable_households_checked_since_the_switch_by_emergency_task_or_visit() {
    let tree = tree();
    let e = storm("e1", "qc");
    let elderly = Some(HouseholdTag::LivingAloneElderly);
    let mut gone = household("h-gone", "qc-1", elderly);
    gone.status = HouseholdStatus::MovedOut;
    let households = [
        household("h1", "qc-1-b", elderly),
        household("h2", "qc-1", Some(HouseholdTag::Disabled)),
        household("h3", "qc-1", Some(HouseholdTag::Veteran)),
        household("h4", "qc-2", elderly),
        household("h5", "qc-2", elderly),
        household("h6", "xjz-1", elderly),
        gone,
    ];
    let tasks = [
        task("qc-1", START + HOUR_MILLIS, true, &[("h1", ResultOutcome::Safe, START + 2 * HOUR_MILLIS)]),
        // Not reached, an ordinary task, and a result before the switch: none counts.
        task("qc-2", START + HOUR_MILLIS, true, &[("h4", ResultOutcome::Unreachable, START + 2 * HOUR_MILLIS)]),
        task("qc-2", START + 2 * HOUR_MILLIS, false, &[("h4", ResultOutcome::Safe, START + 3 * HOUR_MILLIS)]),
        task("qc-2", START - DAY_MILLIS, true, &[("h5", ResultOutcome::Safe, START - HOUR_MILLIS)]),
    ];
    let visit = |h: &str, date: Date| Visit {
        id: crate::VisitId::parse(format!("v-{h}")).unwrap(),
        household: hid(h),
        worker: pid("p-worker"),
        date,
        notes: Notes::parse("").unwrap(),
        issues: Vec::new(),
        photos: Vec::new(),
    };
    let visits = [visit("h2", Date::of_millis(START)), visit("h5", Date::of_millis(START).add_days(-1))];
    let rows = board(&e, &tree, &households, &tasks, &visits);
    let shown: Vec<_> = rows
        .iter()
        .map(|r| (r.grid.to_string(), r.checked.iter().map(|h| h.to_string()).collect::<Vec<_>>(), r.unchecked.len()))
        .collect();
    assert_eq!(
        shown,
        [("qc-1".to_string(), vec!["h1".to_string(), "h2".to_string()], 0), ("qc-2".to_string(), vec![], 2)],
        "a building's household counts in its group; no veterans, moved-out households or neighbours"
    );
}
