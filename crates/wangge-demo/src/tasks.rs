//! Tasks sent down the grid in the demo (任务下发, seed 003's 网格员任务清单 and the storm of
//! seed 002): 古南街道's ordinary task to 綦齿社区's groups (count the rental rooms, each
//! grid ticked once; some groups done), and an emergency one sent to 綦齿社区's node two
//! hours ago ("check every elderly resident living alone before the storm"), which the demo
//! secretary forwarded to its groups with an added instruction; in 二村 (the demo grid
//! worker's grid) one household needs help, another may be safe, one at least unchecked.
//!
//! Fixed ids (`demo-task-…`) whatever the seed; each record is checked by the core's
//! `task::check` and `check_sent_from`.

use super::places::grid_id;
use super::world::World;
use super::{DEMO_COMMUNITY_SECRETARY, DEMO_GRID_WORKER, DEMO_TOWN_OFFICIAL};
use wangge_core::household::{Household, HouseholdTag};
use wangge_core::task::{
    check, check_sent_from, AddedNote, ResultOutcome, Target, TargetRule, Task, TaskEntries, TaskResult,
};
use wangge_core::{CommentText, Description, EntryId, GridId, IssueTitle, PersonId, TaskId, HOUR_MILLIS};

const QICHI: &str = "500110001001000";

/// The demo's task records.
pub(super) fn tasks(world: &World, households: &[Household]) -> Vec<Task> {
    let town = grid_id(DEMO_TOWN_OFFICIAL.grid_code);
    let qichi = grid_id(QICHI);
    let erchun = grid_id(DEMO_GRID_WORKER.grid_code);
    let official = PersonId::parse(DEMO_TOWN_OFFICIAL.person_id).expect("valid");
    let secretary = PersonId::parse(DEMO_COMMUNITY_SECRETARY.person_id).expect("valid");
    let now = world.now;
    let id = |s: &str| TaskId::parse(s).expect("demo ids are valid");
    let groups: Vec<GridId> = world.tree.children(&qichi).map(|g| g.id.clone()).collect();
    let blank = |tid: String, batch: &str, grid: &GridId, title: &str, sent_at, due| Task {
        id: id(&tid),
        batch: id(batch),
        parent: None,
        grid: grid.clone(),
        from: town.clone(),
        sender: official.clone(),
        title: IssueTitle::parse(title).expect("short"),
        instructions: None,
        sent_at,
        due,
        emergency: false,
        targets: TargetRule::Grid,
        closed: None,
        entries: TaskEntries::default(),
    };
    let mut out = Vec::new();

    // 出租房屋统计: three days ago, due in four; the first half of the groups are done.
    for (n, g) in groups.iter().enumerate() {
        let mut t = blank(
            format!("demo-task-rental-{n}"),
            "demo-task-rental",
            g,
            "统计辖区出租房屋间数",
            now - 72 * HOUR_MILLIS,
            now + 96 * HOUR_MILLIS,
        );
        t.instructions =
            Description::parse("逐栋核实出租房屋间数和租住人数,完成后在本任务中登记“已完成”并备注间数。").ok();
        if n < groups.len() / 2 {
            let (worker, _) = world.worker(g);
            let mut done = result(Target::Grid, ResultOutcome::Done, &worker, now - (24 + n as i64) * HOUR_MILLIS);
            done.note = CommentText::parse(&format!("共{}间,租住{}人", 12 + 3 * n, 20 + 4 * n)).ok();
            t.entries.results.insert(entry("r1"), done);
        }
        out.push(t);
    }

    // 暴雨前排查独居老人: to 綦齿社区's node two hours ago, forwarded by its secretary.
    let storm = "demo-task-storm";
    let mut root =
        blank(storm.to_string(), storm, &qichi, "暴雨前排查独居老人", now - 2 * HOUR_MILLIS, now + 4 * HOUR_MILLIS);
    root.emergency = true;
    root.targets = TargetRule::CareTag { tag: HouseholdTag::LivingAloneElderly };
    root.instructions =
        Description::parse("今晚有强降雨。18:00前逐户见面,查看屋顶、电线和排水,联系不上的立即报告。").ok();
    for (n, g) in groups.iter().enumerate() {
        let mut t = root.clone();
        t.id = id(&format!("{storm}-{n}"));
        t.parent = Some(root.id.clone());
        t.grid = g.clone();
        t.from = qichi.clone();
        t.sender = secretary.clone();
        t.entries.notes.insert(
            entry("n1"),
            AddedNote {
                text: Description::parse("河边和老平房的住户先查;需帮扶的直接在任务里上报问题。").expect("short"),
                by: secretary.clone(),
                from: qichi.clone(),
                at: now - 90 * 60_000,
            },
        );
        if *g == erchun {
            tick_two(&mut t, households, world);
        }
        out.push(t);
    }
    out.insert(0, root);
    for t in &out {
        check(t).expect("demo tasks hold together");
        check_sent_from(&world.tree, t).expect("demo tasks are sent from above their grid");
    }
    out
}

/// 二村's living-alone elderly households: the first has a leaking roof (needs help), the
/// second is safe — always leaving at least one unchecked, so the board has someone to
/// show as not yet reached.
fn tick_two(task: &mut Task, households: &[Household], world: &World) {
    let now = world.now;
    let worker = PersonId::parse(DEMO_GRID_WORKER.person_id).expect("valid");
    let homes: Vec<&Household> = households
        .iter()
        .filter(|h| world.tree.contains(&task.grid, &h.grid) && h.has_tag(HouseholdTag::LivingAloneElderly))
        .collect();
    let outcomes =
        [(ResultOutcome::NeedsHelp, "屋顶漏雨,需要帮忙盖防水布"), (ResultOutcome::Safe, "老人在家,身体好,门窗已关好")];
    let ticked = homes.len().saturating_sub(1).min(outcomes.len());
    for (n, (h, (outcome, note))) in homes.into_iter().zip(outcomes).take(ticked).enumerate() {
        let mut r = result(Target::Household(h.id.clone()), outcome, &worker, now - (60 - 20 * n as i64) * 60_000);
        r.note = CommentText::parse(note).ok();
        task.entries.results.insert(entry(&format!("r{n}")), r);
    }
}

fn result(target: Target, outcome: ResultOutcome, by: &PersonId, at: i64) -> TaskResult {
    TaskResult { target, outcome, note: None, by: by.clone(), at, issue: None, visit: None, photos: Vec::new() }
}

fn entry(s: &str) -> EntryId {
    EntryId::parse(s).expect("demo ids are valid")
}
