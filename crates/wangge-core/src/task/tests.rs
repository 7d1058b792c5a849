//! A task's rules, its progress with `now` passed in, and the sender's board.

use super::*;
use crate::grid::{Grid, GridLevel, GridTree};
use crate::household::{Household, HouseholdStatus};
use crate::record_type::describe;
use crate::refusal::english_for_code;
use crate::sync::Collection;
use crate::{Address, EntryId, GridName, HOUR_MILLIS};

pub(super) const SENT: Millis = 1_780_000_000_000;
pub(super) const DUE: Millis = SENT + 6 * HOUR_MILLIS;

pub(super) fn eid(s: &str) -> EntryId {
    EntryId::parse(s).unwrap()
}

pub(super) fn hid(s: &str) -> Target {
    Target::Household(HouseholdId::parse(s).unwrap())
}

fn gid(s: &str) -> GridId {
    GridId::parse(s).unwrap()
}

/// 古南街道 → 綦齿社区 → 一村, 二村; 新街子社区 → 三村.
pub(super) fn tree() -> GridTree {
    crate::test_tree::tree_of(&[
        ("town", GridLevel::Town, None),
        ("qc", GridLevel::Community, Some("town")),
        ("qc-1", GridLevel::Group, Some("qc")),
        ("qc-2", GridLevel::Group, Some("qc")),
        ("xjz", GridLevel::Community, Some("town")),
        ("xjz-1", GridLevel::Group, Some("xjz")),
    ])
}

pub(super) fn household(id: &str, grid: &str, tagged: bool) -> Household {
    Household {
        id: HouseholdId::parse(id).unwrap(),
        grid: gid(grid),
        address: Address::parse("一村1栋").unwrap(),
        members: Default::default(),
        status: HouseholdStatus::Present,
        merged_into: None,
        tags: if tagged { [HouseholdTag::LivingAloneElderly].into() } else { Default::default() },
    }
}

/// "暴雨前排查独居老人", sent by the town to `grid`.
pub(super) fn storm_check(id: &str, grid: &str) -> Task {
    Task {
        id: TaskId::parse(id).unwrap(),
        batch: TaskId::parse("storm").unwrap(),
        parent: None,
        grid: gid(grid),
        from: gid("town"),
        sender: PersonId::parse("p-town").unwrap(),
        title: IssueTitle::parse("暴雨前排查独居老人").unwrap(),
        instructions: Some(Description::parse("18:00前逐户见面,查看屋顶和用电").unwrap()),
        sent_at: SENT,
        due: DUE,
        emergency: true,
        targets: TargetRule::CareTag { tag: HouseholdTag::LivingAloneElderly },
        closed: None,
        entries: TaskEntries::default(),
    }
}

pub(super) fn tick(target: Target, outcome: ResultOutcome, by: &str, at: Millis) -> TaskResult {
    TaskResult {
        target,
        outcome,
        note: None,
        by: PersonId::parse(by).unwrap(),
        at,
        issue: None,
        visit: None,
        photos: Vec::new(),
    }
}

#[test]
fn a_task_that_does_not_hold_together_is_refused_with_its_code() {
    let ok = storm_check("t1", "qc-1");
    assert_eq!(check(&ok), Ok(()));
    let mut t = ok.clone();
    t.due = t.sent_at;
    assert_eq!(check(&t), Err(TaskError::DueBeforeSent));
    let mut t = ok.clone();
    t.targets = TargetRule::Picked { targets: vec![] };
    assert_eq!(check(&t), Err(TaskError::NothingPicked));
    let mut t = ok.clone();
    t.parent = Some(t.id.clone());
    assert_eq!(check(&t), Err(TaskError::ForwardedFromItself));
    let mut t = ok.clone();
    t.closed = Some(Closed { at: SENT - 1, by: t.sender.clone(), note: None });
    assert_eq!(check(&t), Err(TaskError::ClosedBeforeSent));
    // A unit's result on a household task, a household not picked.
    let mut t = ok.clone();
    let unit = Target::Unit(UnitId::parse("u1").unwrap());
    t.entries.results.insert(eid("r1"), tick(unit, ResultOutcome::Done, "p-a", SENT + 1));
    assert_eq!(check(&t), Err(TaskError::TargetNotInTask { entry: eid("r1") }));
    let mut t = ok.clone();
    t.targets = TargetRule::Picked { targets: vec![hid("h1")] };
    t.entries.results.insert(eid("r1"), tick(hid("h2"), ResultOutcome::Safe, "p-a", SENT + 1));
    assert_eq!(check(&t), Err(TaskError::TargetNotInTask { entry: eid("r1") }));
    t.entries.results.insert(eid("r1"), tick(hid("h1"), ResultOutcome::Safe, "p-a", SENT + 1));
    assert_eq!(check(&t), Ok(()));
    // The grid rule takes the grid itself and nothing else.
    let mut t = ok.clone();
    t.targets = TargetRule::Grid;
    t.entries.results.insert(eid("r1"), tick(Target::Grid, ResultOutcome::Done, "p-a", SENT + 1));
    assert_eq!(check(&t), Ok(()));
    t.entries.results.insert(eid("r2"), tick(hid("h1"), ResultOutcome::Done, "p-a", SENT + 1));
    assert!(check(&t).is_err());
}

#[test]
fn a_closed_task_still_takes_a_result_ticked_offline() {
    let mut t = storm_check("t1", "qc-1");
    t.closed = Some(Closed { at: DUE, by: t.sender.clone(), note: None });
    t.entries.results.insert(eid("r1"), tick(hid("h1"), ResultOutcome::Safe, "p-a", DUE + HOUR_MILLIS));
    assert_eq!(check(&t), Ok(()));
    let p = progress(&t, &[hid("h1")], DUE + 2 * HOUR_MILLIS);
    assert_eq!((p.done, p.late, p.overdue), (1, 1, false));
}

#[test]
fn a_task_goes_only_to_the_senders_node_or_below() {
    let tree = tree();
    let mut t = storm_check("t1", "qc-1");
    assert_eq!(check_sent_from(&tree, &t), Ok(()));
    t.from = gid("qc-1");
    assert_eq!(check_sent_from(&tree, &t), Ok(()), "its own node");
    t.from = gid("xjz");
    assert_eq!(check_sent_from(&tree, &t), Err(TaskError::GridNotBelowSender), "a sibling community");
    t.from = gid("qc-2");
    assert_eq!(check_sent_from(&tree, &t), Err(TaskError::GridNotBelowSender));
    // A forward keeps its parent's sending and goes below the parent's grid.
    let parent = storm_check("t0", "qc");
    let mut fwd = storm_check("t1", "qc-1");
    fwd.parent = Some(parent.id.clone());
    assert_eq!(check_forward(&tree, &fwd, &parent), Ok(()));
    fwd.batch = TaskId::parse("another").unwrap();
    assert_eq!(check_forward(&tree, &fwd, &parent), Err(TaskError::ForwardMismatch));
    let mut sideways = storm_check("t2", "xjz-1");
    sideways.parent = Some(parent.id.clone());
    assert_eq!(check_forward(&tree, &sideways, &parent), Err(TaskError::ForwardMismatch));
}

#[test]
fn targets_are_resolved_against_the_roster_as_it_stands() {
    let tree = tree();
    let mut gone = household("h-gone", "qc-1", true);
    gone.status = HouseholdStatus::MovedOut;
    let roster = [
        household("h2", "qc-1", true),
        household("h1", "qc-1", true),
        household("h-untagged", "qc-1", false),
        household("h-other", "qc-2", true),
        gone,
    ];
    let t = storm_check("t1", "qc-1");
    assert_eq!(resolve_targets(&t, &tree, &roster, &[]), vec![hid("h1"), hid("h2")]);
    // At the community node (not split), the whole subtree.
    let t = storm_check("t0", "qc");
    assert_eq!(resolve_targets(&t, &tree, &roster, &[]), vec![hid("h-other"), hid("h1"), hid("h2")]);
    let mut t = storm_check("t1", "qc-1");
    t.targets = TargetRule::Picked { targets: vec![hid("h2"), hid("h1"), hid("h2")] };
    assert_eq!(resolve_targets(&t, &tree, &roster, &[]), vec![hid("h1"), hid("h2")]);
}

#[test]
fn progress_counts_reached_targets_by_outcome_worker_and_deadline() {
    let mut t = storm_check("t1", "qc-1");
    let r = &mut t.entries.results;
    // h1: A found nobody at 9:00, B saw her safe at 8:00 — reached (B's result counts).
    r.insert(eid("a1"), tick(hid("h1"), ResultOutcome::Unreachable, "p-a", SENT + 3 * HOUR_MILLIS));
    r.insert(eid("b1"), tick(hid("h1"), ResultOutcome::Safe, "p-b", SENT + 2 * HOUR_MILLIS));
    // h2: A found a leaking roof — reached, needs help.
    r.insert(eid("a2"), tick(hid("h2"), ResultOutcome::NeedsHelp, "p-a", SENT + HOUR_MILLIS));
    // h3: only "not reachable"; h4: nothing.
    r.insert(eid("a3"), tick(hid("h3"), ResultOutcome::Unreachable, "p-a", SENT + HOUR_MILLIS));
    let targets = [hid("h1"), hid("h2"), hid("h3"), hid("h4")];
    let before = progress(&t, &targets, DUE - 1);
    assert_eq!((before.total, before.done, before.overdue), (4, 2, false));
    assert_eq!(before.not_reached, vec![hid("h3"), hid("h4")]);
    assert_eq!(before.by_outcome.get(&ResultOutcome::Safe), Some(&1));
    assert_eq!(before.by_outcome.get(&ResultOutcome::NeedsHelp), Some(&1));
    assert_eq!(before.by_outcome.get(&ResultOutcome::Unreachable), Some(&1));
    let h1 = &before.targets[0];
    assert_eq!(h1.all.len(), 2, "both workers' results are shown");
    assert_eq!(h1.counted.as_ref().map(|(id, _)| id.as_str()), Some("b1"));
    let a = before.per_worker[&PersonId::parse("p-a").unwrap()];
    let b = before.per_worker[&PersonId::parse("p-b").unwrap()];
    assert_eq!((a.results, a.reached, b.results, b.reached), (3, 1, 1, 1));
    let after = progress(&t, &targets, DUE + 1);
    assert!(after.overdue, "past the deadline with two households unchecked");
    // Both reached late: the task is complete, not overdue, with two late.
    t.entries.results.insert(eid("a4"), tick(hid("h3"), ResultOutcome::Safe, "p-a", DUE + 10));
    t.entries.results.insert(eid("a5"), tick(hid("h4"), ResultOutcome::Safe, "p-a", DUE + 20));
    let late = progress(&t, &targets, DUE + 30);
    assert_eq!((late.done, late.late, late.overdue, late.complete()), (4, 2, false, true));
    // A grid with no such household has nothing to do.
    assert!(progress(&storm_check("t9", "qc-2"), &[], DUE + 1).complete());
}

#[test]
fn the_board_sums_a_forwarded_community_and_lists_who_is_not_reached() {
    let tree = tree();
    let roster = [household("h1", "qc-1", true), household("h2", "qc-2", true), household("h3", "xjz-1", true)];
    // The town sent to 綦齿 (which forwarded to its two groups) and to 新街子 (not split).
    let community = storm_check("t-qc", "qc");
    let mut g1 = storm_check("t-qc-1", "qc-1");
    let mut g2 = storm_check("t-qc-2", "qc-2");
    for g in [&mut g1, &mut g2] {
        g.parent = Some(community.id.clone());
        g.from = gid("qc");
    }
    g1.entries.results.insert(eid("r1"), tick(hid("h1"), ResultOutcome::Safe, "p-a", SENT + 1));
    let xjz = storm_check("t-xjz", "xjz");
    let mut other_batch = storm_check("other", "qc-2");
    other_batch.batch = TaskId::parse("other").unwrap();
    let tasks = [community, g1, g2, xjz, other_batch];
    let rows = board(&tasks, &TaskId::parse("storm").unwrap(), &tree, &roster, &[], DUE + 1);
    let summary: Vec<_> = rows.iter().map(|r| (r.grid.as_str(), r.forwarded, r.done, r.total, r.overdue)).collect();
    assert_eq!(
        summary,
        [
            ("qc", true, 1, 2, true),
            ("qc-1", false, 1, 1, false),
            ("qc-2", false, 0, 1, true),
            ("xjz", false, 0, 1, true),
        ]
    );
    assert_eq!(rows[0].not_reached, vec![(gid("qc-2"), hid("h2"))]);
}

#[test]
fn the_record_type_refuses_a_broken_task_and_every_code_has_english() {
    let mut t = storm_check("t1", "qc-1");
    t.entries.results.insert(eid("r1"), tick(Target::Grid, ResultOutcome::Done, "p-a", SENT + 1));
    let fields = match serde_json::to_value(&t).unwrap() {
        serde_json::Value::Object(m) => m,
        _ => unreachable!(),
    };
    assert!(fields.contains_key("result:r1"), "a result is its own field");
    let e = describe(Collection::Tasks).validate("t1", &fields).unwrap_err();
    assert_eq!(e.code(), "task_target_not_in_task");
    for e in TaskError::samples() {
        assert_eq!(english_for_code(e.code()), Some(e.message_en()));
        assert!(!e.message_zh().is_empty());
    }
    assert_eq!(TaskError::samples().len(), 7, "every variant has a sample");
}

#[test]
fn the_board_lists_grids_in_the_trees_order_not_by_their_names_characters() {
    // 七 sorts before 二 by character; the tree (uncoded: by id) puts g-a (二村) first.
    let g = |id: &str, name: &str, level, parent: Option<&str>| Grid {
        id: gid(id),
        name: GridName::parse(name).unwrap(),
        level,
        parent: parent.map(gid),
        code: None,
        retired: false,
    };
    let tree = GridTree::build(vec![
        g("qc", "綦齿社区", GridLevel::Community, None),
        g("g-b", "七村", GridLevel::Group, Some("qc")),
        g("g-a", "二村", GridLevel::Group, Some("qc")),
    ])
    .unwrap();
    let tasks = [storm_check("t-b", "g-b"), storm_check("t-a", "g-a")];
    let rows = board(&tasks, &TaskId::parse("storm").unwrap(), &tree, &[], &[], SENT + 1);
    let grids: Vec<_> = rows.iter().map(|r| r.grid.as_str()).collect();
    assert_eq!(grids, ["g-a", "g-b"]);
    // Forwarded from the community, its row names the households below in the same order.
    let community = storm_check("t-qc", "qc");
    let below = |id: &str, grid: &str| Task { parent: Some(community.id.clone()), ..storm_check(id, grid) };
    let tasks = [below("t-b", "g-b"), community.clone(), below("t-a", "g-a")];
    let roster = [household("h-b", "g-b", true), household("h-a", "g-a", true)];
    let rows = board(&tasks, &TaskId::parse("storm").unwrap(), &tree, &roster, &[], SENT + 1);
    assert_eq!(rows[0].grid, gid("qc"));
    assert_eq!(rows[0].not_reached, vec![(gid("g-a"), hid("h-a")), (gid("g-b"), hid("h-b"))]);
}
