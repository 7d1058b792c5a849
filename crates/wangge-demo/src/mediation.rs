//! Mediation cases in the demo (see seed report 004): the wage case at 古南街道's
//! mediation committee (three workers against a distillery that stopped production;
//! sessions together, then back to back; a people's mediation agreement for ¥156,000 in
//! two terms, the first kept, the second due next month), a neighbours' dispute still being
//! mediated in 二村 (from a demo 矛盾纠纷 issue about the same leak when there is one), and a family case in
//! 綦齿社区 that did not agree and was steered to the courts.
//!
//! Fixed ids (`demo-case-wage`, `demo-case-neighbour`, `demo-case-family`) whatever the
//! seed, so end-to-end tests can open them; three cases whatever the size, so a
//! village-scale run costs nothing more. Each is checked by the core's own
//! `mediation::check` before it leaves.

use std::collections::HashMap;

use super::places::grid_id;
use super::world::World;
use super::{names, DEMO_COMMUNITY_SECRETARY, DEMO_GRID_WORKER};
use wangge_core::grid::GridLevel;
use wangge_core::household::Household;
use wangge_core::issue::{Category, Issue, IssueEvent, IssueState};
use wangge_core::mediation::{
    check, Case, CaseEntries, CaseOutcome, DisputeType, Fulfilment, NextStep, OutcomeKind, Party, PartySide, Session,
    SessionMode, Stage, Term, TermKept,
};
use wangge_core::{CaseId, CommentText, Date, Description, EntryId, GridId, IssueId, IssueTitle, Millis, Notes};
use wangge_core::{PersonId, PersonName, Summary, DAY_MILLIS, HOUR_MILLIS};

/// The town whose mediation committee takes the wage case.
const TOWN: &str = "500110001000000";
const QICHI: &str = "500110001001000";
/// The neighbours' case's title: that of the issue template it may come from.
const NEIGHBOUR_TITLE: &str = "楼上漏水引发邻里纠纷";

/// The demo's mediation cases.
pub(super) fn cases(world: &mut World, households: &[Household], issues: &[Issue], events: &[IssueEvent]) -> Vec<Case> {
    let cases = vec![wage(world), neighbour(world, households, issues, events), family(world)];
    for c in &cases {
        check(c).unwrap_or_else(|e| panic!("demo case refused: {} ({})", e.message_en(), c.title));
    }
    cases
}

fn id(s: &str) -> EntryId {
    EntryId::parse(s).expect("demo entry ids are valid")
}

fn text<T>(parse: fn(&str) -> Result<T, wangge_core::DomainError>, s: &str) -> T {
    parse(s).unwrap_or_else(|e| panic!("demo text {s:?}: {}", e.code()))
}

/// The day `days` from today at `hour` o'clock (Beijing time).
fn day_at(world: &World, days: i64, hour: i64) -> Millis {
    world.today.add_days(days).start_millis() + hour * HOUR_MILLIS
}

fn new_case(id: &str, grid: GridId, title: &str, dispute: DisputeType, accepted_at: Millis, by: PersonId) -> Case {
    Case {
        id: CaseId::parse(id).expect("demo case ids are valid"),
        grid,
        title: text(IssueTitle::parse, title),
        dispute,
        facts: None,
        accepted_at,
        recorder: by.clone(),
        mediators: vec![by],
        issue: None,
        outcome: None,
        entries: CaseEntries::default(),
    }
}

fn party(world: &mut World, name: PersonName, side: PartySide, id_last4: bool) -> Party {
    let tail = id_last4.then(|| format!("{:04}", world.rng.below(10_000)));
    Party { name, side, phone: Some(world.phone()), id_last4: tail, household: None }
}

fn session(at: Millis, mode: SessionMode, stage: Stage, met: &[&str], notes: &str, by: &PersonId) -> Session {
    Session {
        at,
        mode,
        stage,
        met: met.iter().map(|m| id(m)).collect(),
        notes: Notes::parse(notes).ok(),
        by: by.clone(),
        photos: Vec::new(),
    }
}

/// 三名工人讨要拖欠工资: accepted 45 days ago, agreed 35 days ago; ¥96,000 paid on time,
/// ¥60,000 due on the 10th of next month.
fn wage(world: &mut World) -> Case {
    let town = grid_id(TOWN);
    let mediator = world.staff.mediators[&town].clone();
    let accepted = day_at(world, -45, 10);
    let mut c = new_case("demo-case-wage", town, "三名工人讨要拖欠工资", DisputeType::Wage, accepted, mediator.clone());
    c.facts = Description::parse(
        "三名申请人自2013年起在被申请人处工作,签有无固定期限劳动合同。公司经营不善、停产面临破产,\
         拖欠三人工资,多次讨要未果。申请人请求公司尽快支付拖欠工资,并将社保缴纳至本年9月。",
    )
    .ok();
    let workers = ["w1", "w2", "w3"];
    for w in workers {
        let gender = names::gender(&mut world.rng);
        let name = names::name(&mut world.rng, gender);
        let p = party(world, name, PartySide::Applicant, true);
        c.entries.parties.insert(id(w), p);
    }
    let firm = party(world, text(PersonName::parse, "綦江某酒业有限公司"), PartySide::Respondent, false);
    c.entries.parties.insert(id("firm"), firm);
    let all = ["w1", "w2", "w3", "firm"];
    let sessions = [
        (
            "s1",
            3,
            SessionMode::Joint,
            Stage::Listen,
            &all[..],
            "请坐、喝茶、慢慢说。公司表示已停产,准备拍卖设备厂房筹资;双方各有让步,支付时间未谈拢。",
        ),
        (
            "s2",
            6,
            SessionMode::Separate,
            Stage::Reason,
            &workers[..],
            "背靠背:与三名工人单独交流,讲清破产清偿顺序,分两期支付更稳妥。",
        ),
        (
            "s3",
            6,
            SessionMode::Separate,
            Stage::Reason,
            &["firm"][..],
            "背靠背:与公司法定代表人单独交流,明确欠薪须优先支付,商定筹款时间。",
        ),
        ("s4", 10, SessionMode::Joint, Stage::Reconcile, &all[..], "双方达成一致,当场签署人民调解协议书。"),
    ];
    for (sid, days, mode, stage, met, notes) in sessions {
        let at = accepted + days * DAY_MILLIS + 5 * HOUR_MILLIS;
        c.entries.sessions.insert(id(sid), session(at, mode, stage, met, notes, &mediator));
    }
    let agreed = accepted + 10 * DAY_MILLIS + 6 * HOUR_MILLIS;
    c.outcome = Some(CaseOutcome {
        kind: OutcomeKind::Agreement,
        at: agreed,
        next: None,
        note: CommentText::parse("签署《人民调解协议书》,欠薪等合计15.6万元分两期支付").ok(),
        by: mediator.clone(),
    });
    let first_due = Date::of_millis(agreed).add_days(14).start_millis();
    let next_month = world.today.first_of_month().add_days(40).first_of_month();
    let terms = [
        ("t1", 0, "支付三名申请人拖欠工资(第一期)", 9_600_000, first_due),
        ("t2", 1, "支付拖欠工资余款并补缴社保至本年9月", 6_000_000, next_month.add_days(9).start_millis()),
    ];
    for (tid, position, what, fen, due) in terms {
        let term = Term {
            position,
            what: text(Summary::parse, what),
            amount_fen: Some(fen),
            due: Some(due),
            from: Some(id("firm")),
            to: Some(id("w1")),
            kept: None,
            removed: false,
        };
        c.entries.terms.insert(id(tid), term);
    }
    if let Some(t) = c.entries.terms.get_mut(&id("t1")) {
        t.kept = Some(TermKept {
            how: Fulfilment::Full,
            at: first_due - DAY_MILLIS + 15 * HOUR_MILLIS,
            note: CommentText::parse("公司拍卖设备后已转账9.6万元,三人签收").ok(),
            by: mediator,
        });
    }
    c
}

/// A neighbours' dispute the grid worker of 二村 is mediating: from an open 矛盾纠纷 issue of
/// the same title in 二村 (or anywhere in 綦齿社区) when the demo has one, its parties from
/// the households there.
fn neighbour(world: &mut World, households: &[Household], issues: &[Issue], events: &[IssueEvent]) -> Case {
    let erchun = grid_id(DEMO_GRID_WORKER.grid_code);
    let issue =
        dispute_issue(world, issues, events, &erchun).or_else(|| dispute_issue(world, issues, events, &grid_id(QICHI)));
    let grid = issue.map_or(erchun, |i| i.grid.clone());
    let worker = world.worker(&grid).0;
    let accepted = day_at(world, -6, 9);
    let mut c = new_case(
        "demo-case-neighbour",
        grid.clone(),
        NEIGHBOUR_TITLE,
        DisputeType::Neighbour,
        accepted,
        worker.clone(),
    );
    c.issue = issue.map(|i| i.id.clone());
    c.facts =
        Description::parse("楼上住户卫生间防水层老化漏水,楼下住户天花板发霉,双方多次争吵,要求赔偿维修费用。").ok();
    let homes: Vec<&Household> = households.iter().filter(|h| h.grid == grid && h.head().is_some()).take(2).collect();
    for (n, (pid, side)) in
        [("upstairs", PartySide::Respondent), ("downstairs", PartySide::Applicant)].into_iter().enumerate()
    {
        let mut p = match homes.get(n).and_then(|h| h.head().map(|m| (h, m))) {
            Some((h, m)) => Party {
                name: m.name.clone(),
                side,
                phone: m.phone.clone(),
                id_last4: None,
                household: Some(h.id.clone()),
            },
            None => {
                let gender = names::gender(&mut world.rng);
                let name = names::name(&mut world.rng, gender);
                party(world, name, side, false)
            }
        };
        p.side = side;
        c.entries.parties.insert(id(pid), p);
    }
    let at = day_at(world, -4, 19);
    let notes = "晚上到楼下住户家查看漏水情况,请双方坐下来慢慢说;约定请物业检测防水层后再商量费用。";
    c.entries
        .sessions
        .insert(id("s1"), session(at, SessionMode::Joint, Stage::Listen, &["upstairs", "downstairs"], notes, &worker));
    c
}

/// The newest open 矛盾纠纷 issue between neighbours (the demo's template of that title) in
/// `root`'s subtree, if any.
fn dispute_issue<'a>(world: &World, issues: &'a [Issue], events: &[IssueEvent], root: &GridId) -> Option<&'a Issue> {
    let mut by_issue: HashMap<&IssueId, Vec<&IssueEvent>> = HashMap::new();
    for e in events {
        by_issue.entry(&e.issue).or_default().push(e);
    }
    issues
        .iter()
        .filter(|i| i.category == Category::Dispute && i.title.as_str() == NEIGHBOUR_TITLE)
        .filter(|i| &i.grid == root || world.tree.contains(root, &i.grid))
        .filter(|i| world.tree.get(&i.grid).is_some_and(|g| g.level != GridLevel::Community))
        .filter(|i| {
            let history = by_issue.get(&i.id).cloned().unwrap_or_default();
            IssueState::fold(history).is_ok_and(|s| s.status.is_open())
        })
        .max_by_key(|i| (i.created_at, i.id.clone()))
}

/// 赡养费用分担纠纷 in 綦齿社区: two sessions, no agreement, steered to the courts.
fn family(world: &mut World) -> Case {
    let qichi = grid_id(QICHI);
    let staff = world.staff.community_staff[&qichi].clone();
    let secretary = PersonId::parse(DEMO_COMMUNITY_SECRETARY.person_id).expect("valid");
    let accepted = day_at(world, -70, 10);
    let mut c = new_case(
        "demo-case-family",
        qichi,
        "兄妹三人赡养老母亲费用分担纠纷",
        DisputeType::Family,
        accepted,
        secretary.clone(),
    );
    c.mediators = vec![staff.clone(), secretary.clone()];
    c.facts = Description::parse("老人年过八旬、需人照料,三名子女对赡养费用和轮流照料的分担意见不一。").ok();
    let surname = names::surname(&mut world.rng);
    for (pid, side) in
        [("mother", PartySide::Applicant), ("son", PartySide::Respondent), ("daughter", PartySide::Respondent)]
    {
        let gender = names::gender(&mut world.rng);
        let name = names::name_with(&mut world.rng, surname, gender);
        let p = party(world, name, side, true);
        c.entries.parties.insert(id(pid), p);
    }
    let all = ["mother", "son", "daughter"];
    let s1 = session(
        accepted + 2 * DAY_MILLIS,
        SessionMode::Joint,
        Stage::Listen,
        &all,
        "听取老人和子女各自的想法。",
        &staff,
    );
    let s2 = session(
        accepted + 9 * DAY_MILLIS,
        SessionMode::Joint,
        Stage::Reason,
        &all,
        "讲解赡养义务的法律规定,长子仍不同意分担方案。",
        &secretary,
    );
    c.entries.sessions.insert(id("s1"), s1);
    c.entries.sessions.insert(id("s2"), s2);
    c.outcome = Some(CaseOutcome {
        kind: OutcomeKind::NoAgreement,
        at: accepted + 20 * DAY_MILLIS,
        next: Some(NextStep::Litigation),
        note: CommentText::parse("双方分歧较大,已告知老人可向人民法院起诉,并联系法律援助").ok(),
        by: secretary,
    });
    c
}
